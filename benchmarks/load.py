"""Load the production profile with a mixed workload and check that nothing was lost.

    .venv/bin/python benchmarks/load.py [--duration 60] [--users 10]

Starts the example site's production profile itself (gunicorn with two
workers and the task worker, on a free port of 127.0.0.1, its own PostgreSQL
database ``wagtail_iln_load``, Redis at 127.0.0.1:6379 under a key prefix of
its own, media in a temporary folder), then:

1. compares the throughput of the #favouritefeature topic page with a bare
   Wagtail page showing the same images at the same renditions (``BarePage``),
   alternating the two under the same concurrency;
2. runs locust headless for ``--duration`` seconds, at most
   ``--max-requests`` requests: readers of the topic, its gallery and the
   bare page, participants sending photos (JPEGs made with Pillow, each
   different) and comments, and an editor approving both in the admin;
3. loads the public pages and the admin in Chromium and counts the
   content-security-policy violations;
4. checks the database and the storages: every photo and comment that got
   the thank-you answer is stored exactly once, every photo row has its file
   and every file its row.

Prints requests per second, p50/p95/p99 per kind of request and the error
rate, and exits 1 when a goal is missed: a server error, the topic page under
0.8 times the bare page's throughput, its median time under the mixed load
above 1.1 times the bare page's (judged when each was asked 150 times: a run
of 60 s), anything lost, a CSP violation.

This file is also the locustfile that step 2 hands to locust: the user
classes are defined only when locust imports it (locust patches the standard
library with gevent on import, which the orchestrating process must not have).
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
EXAMPLE_DIR = REPO_DIR / "example_site"
# The example site's serve_prod (the production profile) and home.sample_images.
sys.path.insert(0, str(EXAMPLE_DIR))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wagtail_iln_load"
CHROMIUM = os.environ.get("ILN_CHROMIUM", "/usr/bin/chromium")
# Raised so one load client (every user is 127.0.0.1) is not answered 429.
LOAD_RATE_LIMITS = {"ILN_PHOTO_RATE_LIMIT": "100000/3600", "ILN_COMMENT_RATE_LIMIT": "100000/600"}
THROUGHPUT_GOAL = 0.8
# The topic page's median time under the mixed load, against the bare page's; judged
# when each was asked at least P50_MIN_REQUESTS times (a 60 s run asks each 200 to 300).
P50_GOAL = 1.1
P50_MIN_REQUESTS = 150
PHOTO_TITLE = "Load photo"
COMMENT_BODY = "Load comment"


class FormParser(HTMLParser):
    """The fields of the forms of a page: ``{action: {name: value}}``, first option of selects."""

    def __init__(self):
        super().__init__()
        self.forms = {}
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(attrs.get("action", ""), {})
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") not in {"checkbox", "file", "submit"}:
                self.current[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and attrs.get("value"):
            self.current.setdefault(self.select, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def page_forms(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- The locust users (defined when locust imports this file) -----------------------------


def locust_users():
    from home.sample_images import generated_jpeg
    from locust import HttpUser, between, events, task
    from locust.exception import StopUser

    topic_url = os.environ["ILN_LOAD_TOPIC_URL"]
    bare_url = os.environ["ILN_LOAD_BARE_URL"]
    max_requests = int(os.environ["ILN_LOAD_MAX_REQUESTS"])
    record = {
        "photos": [],
        "comments": [],
        "statuses": {},
        "times": {},
        "approved": 0,
        "capped": False,
    }

    @events.request.add_listener
    def count(request_type, name, response, exception, context, response_time=0, **kwargs):
        status = getattr(response, "status_code", 0) or 0
        key = f"{request_type} {name}"
        by_status = record["statuses"].setdefault(key, {})
        by_status[str(status)] = by_status.get(str(status), 0) + 1
        # Unrounded, for the medians compared (locust's own percentiles are rounded).
        record["times"].setdefault(name, []).append(response_time)

    @events.quitting.add_listener
    def save(environment, **kwargs):
        Path(os.environ["ILN_LOAD_RECORD"]).write_text(json.dumps(record))

    class LoadUser(HttpUser):
        abstract = True

        def checked_requests(self):
            if self.environment.stats.total.num_requests >= max_requests:
                record["capped"] = True
                raise StopUser

        def get(self, url, name):
            self.checked_requests()
            with self.client.get(url, name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                return response

        def post(self, url, name, accepted, **kwargs):
            """A post answered by a redirect whose address matches ``accepted``."""
            self.checked_requests()
            with self.client.post(
                url, name=name, allow_redirects=False, catch_response=True, **kwargs
            ) as response:
                location = response.headers.get("Location", "")
                ok = response.status_code == 302 and re.search(accepted, location)
                if not ok:
                    response.failure(f"status {response.status_code} {location}")
                return bool(ok)

    class Reader(LoadUser):
        weight = 6
        wait_time = between(0.2, 1.0)

        @task(3)
        def topic(self):
            self.get(topic_url, "topic page")

        @task(3)
        def bare(self):
            self.get(bare_url, "bare page")

        @task(2)
        def gallery(self):
            # Past the last page, the gallery shows its last page.
            self.get(f"{topic_url}?{os.environ['ILN_LOAD_GALLERY_PARAMETER']}=2", "gallery page 2")

    class Participant(LoadUser):
        weight = 3
        wait_time = between(1, 3)

        def forms(self):
            response = self.get(topic_url, "topic page")
            return page_forms(response.text) if response.status_code == 200 else {}

        @task
        def photo(self):
            forms = self.forms()
            action, fields = next(
                ((a, f) for a, f in forms.items() if "/iln/photos/" in a), (None, None)
            )
            if action is None:
                return
            key = uuid.uuid4().hex
            title = f"{PHOTO_TITLE} {key}"
            data = {
                **fields,
                "title": title,
                "story": "The window seat where the morning light falls on the desk.",
                "credit_name": "Load participant",
                "email": f"{key}@example.com",
                "country": "NZ",
                "workplace": "Load library",
                "consent": "on",
                "website": "",
            }
            photo = ("photo.jpg", generated_jpeg(key, size=(800, 600)), "image/jpeg")
            if self.post(
                action, "photo post", r"iln-photo-sent=", data=data, files={"photo": photo}
            ):
                record["photos"].append(title)

        @task
        def comment(self):
            forms = self.forms()
            action, fields = next(
                ((a, f) for a, f in forms.items() if "/iln/comments/" in a), (None, None)
            )
            if action is None:
                return
            key = uuid.uuid4().hex
            body = f"{COMMENT_BODY} {key}: the reading room is my favourite place."
            data = {
                **fields,
                "name": "Load reader",
                "email": f"{key}@example.com",
                "body": body,
                "website": "",
                "parent": "",
            }
            if self.post(action, "comment post", r"iln-comment=", data=data):
                record["comments"].append(body)

    class Editor(LoadUser):
        fixed_count = 1
        wait_time = between(1, 2)

        def on_start(self):
            self.get("/admin/login/", "admin login form")
            token = self.client.cookies.get("csrftoken", "")
            self.post(
                "/admin/login/",
                "admin login",
                r"/admin/$",
                data={
                    "username": "admin",
                    "password": "changeme",
                    "csrfmiddlewaretoken": token,
                    "next": "/admin/",
                },
            )

        def approve_first(self, queue, name):
            response = self.get(f"/admin/iln/moderation/{queue}/", f"{name} queue")
            ids = re.findall(rf"/admin/iln/moderation/{queue}/inspect/(\d+)/", response.text)
            if not ids:
                return
            token = self.client.cookies.get("csrftoken", "")
            if self.post(
                f"/admin/iln/moderation/{queue}/approve/{ids[0]}/",
                f"{name} approve",
                rf"/admin/iln/moderation/{queue}/",
                data={"csrfmiddlewaretoken": token},
            ):
                record["approved"] += 1

        @task
        def moderate(self):
            self.approve_first("photos", "admin photo")
            self.approve_first("comments", "admin comment")

    return {"Reader": Reader, "Participant": Participant, "Editor": Editor}


# --- The orchestrator ------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


def throughput(base_url, path, seconds, concurrency):
    """Requests per second answered 200 by ``concurrency`` clients for ``seconds``."""
    deadline = time.monotonic() + seconds
    done = []
    errors = []

    def client():
        count = 0
        while time.monotonic() < deadline:
            try:
                status = fetch(base_url + path)
            except (urllib.error.URLError, OSError) as error:
                errors.append(str(error))
                continue
            if status == 200:
                count += 1
            else:
                errors.append(str(status))
        done.append(count)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started), errors


def compare_pages(base_url, topic_url, bare_url, rounds, seconds, concurrency):
    """Alternate the two pages; the medians of their requests per second.

    One round of each first, not counted: every server process has loaded its
    code and filled its per-process memos before either page is timed.
    """
    rates = {"topic": [], "bare": []}
    errors = []
    for path in (topic_url, bare_url):
        errors += throughput(base_url, path, seconds, concurrency)[1]
    for _ in range(rounds):
        for name, path in (("topic", topic_url), ("bare", bare_url)):
            rate, failed = throughput(base_url, path, seconds, concurrency)
            rates[name].append(rate)
            errors += failed
    return {name: statistics.median(values) for name, values in rates.items()}, errors


def run_locust(base_url, env, tmp, options):
    record_path = tmp / "record.json"
    locust_env = {
        **env,
        "ILN_LOAD_RECORD": str(record_path),
        "ILN_LOAD_MAX_REQUESTS": str(options.max_requests),
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--users",
        str(options.users),
        "--spawn-rate",
        str(options.users),
        "--run-time",
        f"{options.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        base_url,
        "--csv",
        str(tmp / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    with open(tmp / "locust.log", "w") as log:
        subprocess.run(
            command,
            cwd=REPO_DIR,
            env=locust_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=options.duration + 120,
            check=True,
        )
    with open(tmp / "locust_stats.csv", newline="") as stats_file:
        stats = list(csv.DictReader(stats_file))
    return stats, json.loads(record_path.read_text())


def csp_violations(base_url, urls):
    """Content-security-policy violations Chromium reports on each page, as the admin."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        messages = []
        page.on(
            "console",
            lambda message: (
                messages.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(f"{base_url}/admin/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "changeme")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base_url}/admin/")
        for url in urls:
            del messages[:]
            page.goto(base_url + url)
            page.wait_for_load_state("networkidle")
            found[url] = list(messages)
        browser.close()
    return found


def gallery_titles(html):
    """The titles of the photos a gallery page shows, in order."""
    found = re.findall(r'<h3 class="iln-photo__title"[^>]*>(.*?)</h3>', html, re.S)
    return [unescape(title).strip() for title in found]


def freshness_check(env, base_url, topic_url, campaign_id, fetches=6):
    """The topic page, served by every web process, shows the newest approved photos."""
    from serve_prod import connect

    with connect(env["DATABASE_URL"]) as connection:
        newest = [
            title
            for (title,) in connection.execute(
                "SELECT p.title FROM wagtail_iln_photosubmission p "
                "JOIN wagtail_iln_photocampaign c ON c.id = p.campaign_id "
                "WHERE c.translation_key = (SELECT translation_key "
                "FROM wagtail_iln_photocampaign WHERE id = %s) "
                "AND p.status = 'approved' AND p.image_id IS NOT NULL "
                "ORDER BY p.moderated_at DESC, p.id DESC LIMIT 12",
                [campaign_id],
            )
        ]
    problems = []
    for _ in range(fetches):  # the web processes take turns
        with urllib.request.urlopen(base_url + topic_url, timeout=30) as response:
            shown = gallery_titles(response.read().decode())
        if shown != newest:
            problems.append(
                f"the gallery shows {shown[:3]}…, the newest approved are {newest[:3]}…"
            )
    return problems


def database_check(env, record):
    """What the load users were told was accepted, against the database and the storages."""
    from serve_prod import connect

    problems = []
    media = Path(env["ILN_MEDIA_ROOT"])
    pending = Path(env["ILN_PENDING_ROOT"])
    with connect(env["DATABASE_URL"]) as connection:
        # Every photo, the demo's and prepare_load's too: each must have its file.
        all_photos = connection.execute(
            "SELECT p.title, p.status, p.file, i.file FROM wagtail_iln_photosubmission p "
            "LEFT JOIN wagtailimages_image i ON i.id = p.image_id"
        ).fetchall()
        photos = [row for row in all_photos if row[0].startswith(f"{PHOTO_TITLE} ")]
        comments = connection.execute(
            "SELECT body FROM wagtail_iln_comment WHERE body LIKE %s", [f"{COMMENT_BODY} %"]
        ).fetchall()
        pending_names = {
            name
            for (name,) in connection.execute(
                "SELECT file FROM wagtail_iln_photosubmission WHERE file <> ''"
            )
        }
        image_names = {
            name for (name,) in connection.execute("SELECT file FROM wagtailimages_image")
        }
        queued = connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'"
        ).fetchone()[0]

    stored_titles = [title for title, *_ in photos]
    for title in record["photos"]:
        if stored_titles.count(title) != 1:
            problems.append(f"photo “{title}” stored {stored_titles.count(title)} times")
    stored_bodies = [body for (body,) in comments]
    for body in record["comments"]:
        if stored_bodies.count(body) != 1:
            problems.append(f"comment “{body[:40]}…” stored {stored_bodies.count(body)} times")
    for title, status, pending_file, image_file in all_photos:
        if status == "pending" and not (pending_file and (pending / pending_file).is_file()):
            problems.append(f"pending photo “{title}” has no file")
        if status == "approved" and not (image_file and (media / image_file).is_file()):
            problems.append(f"approved photo “{title}” has no image file")
    for path in pending.rglob("*") if pending.exists() else []:
        if path.is_file() and str(path.relative_to(pending)) not in pending_names:
            problems.append(f"pending file {path.name} has no row")
    originals = media / "original_images"
    for path in originals.rglob("*") if originals.exists() else []:
        if path.is_file() and str(path.relative_to(media)) not in image_names:
            problems.append(f"image file {path.name} has no row")
    summary = {
        "photos accepted": len(record["photos"]),
        "photos stored": len(photos),
        "comments accepted": len(record["comments"]),
        "comments stored": len(comments),
        "approved by the editor": record["approved"],
        "tasks not (yet) successful": queued,
    }
    return summary, problems


def print_stats(stats, duration):
    print(
        f"\n{'request':<26}{'count':>7}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  (ms)"
    )
    for row in stats:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        print(
            f"{name:<26}{row['Request Count']:>7}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed load")
    parser.add_argument("--users", type=int, default=10, help="locust users (1 is the editor)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="hard cap on requests")
    parser.add_argument("--compare-seconds", type=float, default=3.0)
    parser.add_argument("--compare-rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--throughput-goal", type=float, default=THROUGHPUT_GOAL)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    options = parser.parse_args()

    import serve_prod

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="iln-load-"))
    env = serve_prod.profile_env(
        port,
        options.database_url,
        ILN_SECRET_KEY=secrets.token_urlsafe(50),
        ILN_CACHE_KEY_PREFIX=f"wagtail_iln_load_{uuid.uuid4().hex[:8]}",
        ILN_MEDIA_ROOT=str(tmp / "media"),
        ILN_PENDING_ROOT=str(tmp / "pending"),
        ILN_STATIC_ROOT=str(tmp / "static"),
        ILN_EMAIL_FILE_PATH=str(tmp / "mail"),
        **LOAD_RATE_LIMITS,
    )
    print(f"Production profile on {base_url}, database {options.database_url}, files in {tmp}")
    print(
        "Rate limits raised for the load (every user is 127.0.0.1): "
        + ", ".join(f"{name}={value}" for name, value in LOAD_RATE_LIMITS.items())
    )
    processes = []
    goals = []
    try:
        serve_prod.drop_database(options.database_url)
        serve_prod.prepare(env)
        prepared = json.loads(serve_prod.manage(env, "prepare_load", capture=True).splitlines()[-1])
        processes = serve_prod.start(env, port, log_dir=tmp)
        serve_prod.wait_until_serving(base_url + prepared["topic_url"], processes)
        topic_html = urllib.request.urlopen(base_url + prepared["topic_url"]).read().decode()
        gallery_parameter = re.search(r'id="(iln-gallery-[^"]+)"', topic_html).group(1)
        for _ in range(3):  # renditions are made on the first views
            fetch(base_url + prepared["topic_url"])
            fetch(base_url + prepared["bare_url"])

        print(
            f"\n1. Throughput, {options.concurrency} clients, {options.compare_rounds} alternating "
            f"rounds of {options.compare_seconds:g} s (gallery of {prepared['gallery_photos']})"
        )
        rates, errors = compare_pages(
            base_url,
            prepared["topic_url"],
            prepared["bare_url"],
            options.compare_rounds,
            options.compare_seconds,
            options.concurrency,
        )
        ratio = rates["topic"] / rates["bare"]
        print(f"   topic page {rates['topic']:.1f} req/s, bare page {rates['bare']:.1f} req/s")
        goal = options.throughput_goal
        print(f"   ratio {ratio:.2f} (goal ≥ {goal:g})")
        goals.append((f"topic page ≥ {goal:g} × bare page throughput", ratio >= goal))
        goals.append(("no error while comparing", not errors))

        print(f"\n2. Mixed load: {options.users} users for {options.duration} s")
        env.update(
            ILN_LOAD_TOPIC_URL=prepared["topic_url"],
            ILN_LOAD_BARE_URL=prepared["bare_url"],
            ILN_LOAD_GALLERY_PARAMETER=gallery_parameter,
        )
        stats, record = run_locust(base_url, env, tmp, options)
        print_stats(stats, options.duration)
        total = next(row for row in stats if row["Name"] == "Aggregated")
        requests, failures = int(total["Request Count"]), int(total["Failure Count"])
        server_errors = sum(
            count
            for by_status in record["statuses"].values()
            for status, count in by_status.items()
            if int(status) >= 500
        )
        too_many = sum(by.get("429", 0) for by in record["statuses"].values())
        print(
            f"   {float(total['Requests/s']):.1f} req/s; error rate "
            f"{failures / max(requests, 1):.2%} ({failures} of {requests}); "
            f"server errors {server_errors}; 429 answers {too_many}"
            + ("; stopped at the request cap" if record["capped"] else "")
        )
        goals.append(("no server error", server_errors == 0))
        goals.append(("no failed request", failures == 0))
        topic_times = record["times"].get("topic page", [])
        bare_times = record["times"].get("bare page", [])
        if topic_times and bare_times:
            topic_p50, bare_p50 = statistics.median(topic_times), statistics.median(bare_times)
            p50_ratio = topic_p50 / bare_p50
            judged = min(len(topic_times), len(bare_times)) >= P50_MIN_REQUESTS
            print(
                f"   topic page p50 {topic_p50:.1f} ms, bare page p50 {bare_p50:.1f} ms: "
                f"ratio {p50_ratio:.2f} (goal ≤ {P50_GOAL:g}"
                + (
                    ")"
                    if judged
                    else f"; not judged under {P50_MIN_REQUESTS} requests of each page)"
                )
            )
            if judged:
                goals.append(
                    (f"topic page p50 ≤ {P50_GOAL:g} × bare page p50", p50_ratio <= P50_GOAL)
                )

        print("\n3. Content security policy in Chromium")
        pages = [
            "/",
            prepared["topic_url"],
            prepared["bare_url"],
            "/admin/",
            "/admin/iln/moderation/photos/",
            "/admin/iln/moderation/comments/",
            f"/admin/pages/{prepared['topic_id']}/edit/",
        ]
        if Path(CHROMIUM).exists():
            violations = csp_violations(base_url, pages)
            for url, messages in violations.items():
                print(f"   {url}: {len(messages)} violation(s)")
                for message in messages[:3]:
                    print(f"      {message[:160]}")
            goals.append(
                ("no CSP violation", not any(messages for messages in violations.values()))
            )
        elif os.environ.get("ILN_REQUIRE_BROWSER") == "1":
            print(f"   no Chromium at {CHROMIUM}, and ILN_REQUIRE_BROWSER=1 requires the check")
            goals.append(("no CSP violation", False))
        else:
            print(f"   skipped: no Chromium at {CHROMIUM}")

        print("\n4. Database and storages")
        time.sleep(2)  # the worker sends the last e-mails
        summary, problems = database_check(env, record)
        for name, value in summary.items():
            print(f"   {name}: {value}")
        for problem in problems[:20]:
            print(f"   LOST: {problem}")
        goals.append(("nothing lost", not problems))
        stale = freshness_check(env, base_url, prepared["topic_url"], prepared["campaign_id"])
        for problem in stale[:3]:
            print(f"   STALE: {problem}")
        shows = "stale photos" if stale else "the newest approved photos"
        print(f"   the topic page's gallery: {shows}")
        goals.append(("the topic page shows the newest approved photos", not stale))
        goals.append(("photos and comments accepted", record["photos"] and record["comments"]))
    except Exception:
        for log in ("gunicorn.log", "worker.log", "locust.log"):
            if (tmp / log).exists():
                print(
                    f"\n--- the end of {log}:\n"
                    + "\n".join((tmp / log).read_text().splitlines()[-30:])
                )
        raise
    finally:
        serve_prod.stop(processes)
        if not options.keep:
            serve_prod.drop_database(options.database_url)
            shutil.rmtree(tmp, ignore_errors=True)

    print("\nGoals:")
    for name, met in goals:
        print(f"   {'met   ' if met else 'MISSED'} {name}")
    return 0 if goals and all(met for _, met in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
elif "ILN_LOAD_RECORD" in os.environ:  # imported by the locust that main() started
    globals().update(locust_users())
