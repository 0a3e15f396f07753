"""What the first reader of a topic page waits for, next to a reader of the warm page.

Run from the repository root::

    .venv/bin/python benchmarks/topic_page.py [--production-stack]

Builds a topic like the demo's announcement (hero and body images, round
stats with chart, the application and photo forms, a gallery of 12 approved
photos, a comment thread) in a fresh SQLite database in memory with Django's
local memory cache or, with ``--production-stack``, as the production profile
stores it: in PostgreSQL (the database ``ILN_BENCHMARK_DATABASE_URL`` names,
by default ``wagtail_iln_topic_page`` at 127.0.0.1, dropped and created
again) with both caches in Redis (``ILN_REDIS_URL``, by default
127.0.0.1:6379, under a key prefix of the run's own; "emptied" deletes those
keys alone), where each cache call and query is a round trip. The topic is published
through the task backend so its renditions are made, and times, through
Django's test client, each of these once in every round (medians over the
rounds; their queries are counted on a first round, which is not timed):

- the warm page: every part in the cache;
- the cold page: the cache emptied (fragments, generations, Wagtail's
  renditions cache), the renditions and the rendered parts still in the
  database (``FRAGMENT_CACHE_DATABASE``), as after a deployment that restarts
  a local memory cache or a flush of Redis;
- the first reader after a moderator approves a photo (the approval's tasks
  have made its renditions, then rendered the page in the task worker:
  ``wagtail_iln.warming``);
- the first reader once the parts are older than ``FRAGMENT_CACHE_TIMEOUT``
  (the clock moved on), with a task backend apart from the request: served
  the old parts while the worker is asked to render the page again;
- nothing kept: the cache emptied and no rendered part in the database, as
  for the first reader ever, or after an upgrade of the app: every part
  rendered, and kept;
- the page with the fragment cache off (``FRAGMENT_CACHE_TIMEOUT`` 0), the
  cache emptied as for the cold page: every part rendered for its reader. The
  page with nothing kept against it is what keeping the parts costs their
  first reader.

Prints each median and minimum (on a shared machine the minimum moves least),
the ratios to the warm page against their goals, the queries of each kind of
view, and where the time of the page with nothing kept goes: each cached
part's own rendering (medians over those views), the rest being what a warm
view does too. It reports; it always exits 0.
"""

import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# With --production-stack: the production profile's stores, each a fresh one of its own.
PRODUCTION_STACK = "--production-stack" in sys.argv[1:]
DATABASE_URL = os.environ.get(
    "ILN_BENCHMARK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wagtail_iln_topic_page"
)
REDIS_URL = os.environ.get("ILN_REDIS_URL", "redis://127.0.0.1:6379/0")
KEY_PREFIX = f"wagtail_iln_topic_page_{os.getpid()}"


if PRODUCTION_STACK:
    # The example site's production profile: how load.py makes its database too.
    sys.path.insert(0, str(REPO_DIR / "example_site"))
    import serve_prod

    serve_prod.drop_database(DATABASE_URL)
    serve_prod.create_database(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
else:
    # A fresh database in memory, whatever DATABASE_URL says.
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

ROUNDS = 15
COLD_GOAL = 2.0  # the cold page may cost at most this many times the warm one
AFTER_APPROVAL_GOAL = 1.3  # the first reader after an approval, against the warm page
ENROLMENTS = 300
GALLERY_PHOTOS = 12
COMMENTS = 10


def build_topic():
    from django.core.management import call_command
    from wagtail.models import Site

    from tests.factories import (
        DiscussionIndexPageFactory,
        DiscussionTopicPageFactory,
        EnrolmentFactory,
        ImageCreditFactory,
    )
    from tests.helpers import announcement_body, approved_comment, approved_photo, open_round
    from wagtail_iln.models import PhotoCampaign

    call_command("migrate", verbosity=0)
    root = Site.objects.get(is_default_site=True).root_page
    index = DiscussionIndexPageFactory(parent=root, title="Discussion", slug="discussion")
    round = open_round()
    countries = ["AU", "BR", "FR", "IN", "KE", "NZ", "PE", "SE", "TH", "ZA"]
    for number in range(ENROLMENTS):
        EnrolmentFactory(
            round=round, status="accepted", participant__country=countries[number % 10]
        )
    campaign = PhotoCampaign.objects.create(name="#favouritefeature", hashtags="#favouritefeature")
    for number in range(GALLERY_PHOTOS):
        approved_photo(campaign, width=1600, height=1200, title=f"Reading corner {number}")
    topic = DiscussionTopicPageFactory(
        parent=index,
        slug="announcement",
        hero_image=ImageCreditFactory().image,
        body=announcement_body(round, campaign, ImageCreditFactory().image),
    )
    topic.tags.add("favouritefeature", "ILNround")
    topic.save_revision().publish()  # its renditions are made by the task (immediate here)
    for number in range(COMMENTS):
        approved_comment(topic, body=f"Our library has a rooftop garden, number {number}.")
    return topic, campaign


def main():
    import time_machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from wagtail.models import Site

    from tests.helpers import jpeg_with_gps, pending_photo
    from wagtail_iln import fragments
    from wagtail_iln.conf import get_setting
    from wagtail_iln.models import RenderedPart
    from wagtail_iln.photos import moderation

    # Each cached part's own rendering on the views with nothing kept, by its name.
    parts_spent, measuring = defaultdict(list), []
    render = fragments.render

    def timed_render(request, parts, fragment_models, render_html, *args, **kwargs):
        # A block's parts start with its module and class; a tag's with its name.
        name = str(parts[1] if "." in str(parts[0]) else parts[0])

        def timed(for_cache):
            start = time.perf_counter()
            try:
                return render_html(for_cache)
            finally:
                if measuring and measuring[0]:
                    parts_spent[name].append(time.perf_counter() - start)

        return render(request, parts, fragment_models, timed, *args, **kwargs)

    fragments.render = timed_render

    stores = {}
    if PRODUCTION_STACK:  # as the production profile has them: a renditions cache apart
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        stores["CACHES"] = {
            "default": {**redis, "KEY_PREFIX": KEY_PREFIX},
            "renditions": {**redis, "KEY_PREFIX": f"{KEY_PREFIX}:renditions"},
        }
    with tempfile.TemporaryDirectory() as media, override_settings(**stores, MEDIA_ROOT=media):
        topic, campaign = build_topic()
        moderator = get_user_model().objects.create_superuser("moderator", "m@example.org", "x")
        url = topic.url
        # Under the site's host name, as the task worker asks for its pages.
        site = Site.objects.get(is_default_site=True)
        client = Client(HTTP_HOST=urlsplit(site.root_url).netloc)

        dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        cache_off = {**getattr(settings, "WAGTAIL_ILN", {}), "FRAGMENT_CACHE_TIMEOUT": 0}
        timeout = timedelta(seconds=get_setting("FRAGMENT_CACHE_TIMEOUT") + 1)
        times, queries = defaultdict(list), {}
        counting = False

        def view(kind=None):
            """Time one view as ``kind``; on the round that counts, count its queries instead."""
            if counting and kind:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                queries[kind] = len(captured)
            else:
                start = time.perf_counter()
                response = client.get(url)
                if kind:
                    times[kind].append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code

        def clear(parts_kept=True):
            if not parts_kept:
                RenderedPart.objects.all().delete()
            for cache in caches.all():
                if PRODUCTION_STACK:  # this run's keys alone, not the whole Redis database
                    client = cache._cache.get_client(write=True)
                    keys = list(client.scan_iter(f"{cache.key_prefix}:*"))
                    if keys:
                        client.delete(*keys)
                else:
                    cache.clear()

        # The gallery's photos get their renditions from their first rendering here
        # (approved_photo makes no task), as they would from the approval's task.
        view()
        view()
        # The first round counts each view's queries; the others time them, each kind
        # once per round, so that the machine's load weighs on all alike.
        for number in range(ROUNDS + 1):
            counting = number == 0
            view("warm")
            clear()
            view("cold")
            clear(parts_kept=False)
            measuring.append(not counting)
            view("nothing kept")
            measuring.clear()
            with override_settings(WAGTAIL_ILN=cache_off):
                clear()
                view("uncached")
            view()  # warm again
            content = jpeg_with_gps(color=(15 * number, 120, 160))
            submission = pending_photo(campaign, content=content, title=f"New photo {number}")
            moderation.approve(submission, moderator)  # its tasks: renditions, then the page
            view("after approval")
            assert f"New photo {number}" in client.get(url).content.decode()
            # The first reader once the parts have grown old (past FRAGMENT_CACHE_TIMEOUT),
            # with a task backend apart from the request: served them while the worker is
            # asked to render the page again (wagtail_iln.warming.refresh_in_background).
            with override_settings(TASKS=dummy):
                clear()
                view()  # rendered and kept now
                with time_machine.travel(timezone.now() + timeout, tick=True):
                    view("aged")
        fragments.render = render
        if PRODUCTION_STACK:
            clear()
    warm, cold, nothing_kept = times["warm"], times["cold"], times["nothing kept"]
    after_approval, aged, uncached = times["after approval"], times["aged"], times["uncached"]
    stack = "PostgreSQL and Redis" if PRODUCTION_STACK else "SQLite in memory, local memory cache"
    print(
        f"Topic page: round stats of {ENROLMENTS}, both forms, a gallery of {GALLERY_PHOTOS}, "
        f"{COMMENTS} comments, hero and body images; {ROUNDS} rounds; {stack}"
    )
    for label, times, kind in [
        ("(a) warm page:                     ", warm, "warm"),
        ("(b) cold page (empty cache):       ", cold, "cold"),
        ("(c) first reader after an approval:", after_approval, "after approval"),
        ("(d) first reader of old parts:     ", aged, "aged"),
        ("(e) nothing kept (cache, database):", nothing_kept, "nothing kept"),
        ("(f) fragment cache off:            ", uncached, "uncached"),
    ]:
        print(
            f"  {label} median {ms(statistics.median(times))}, "
            f"minimum {ms(min(times))}, {queries[kind]} queries"
        )
    for label, times, goal in [
        ("b/a", cold, COLD_GOAL),
        ("c/a", after_approval, AFTER_APPROVAL_GOAL),
        ("d/a", aged, AFTER_APPROVAL_GOAL),
    ]:
        ratio = statistics.median(times) / statistics.median(warm)
        print(
            f"  ratio {label}: {ratio:.2f} (goal ≤ {goal}) {verdict(ratio, goal)}; "
            f"of the minimums {min(times) / min(warm):.2f}"
        )
    for label, times, meaning in [
        ("e/a", nothing_kept, "the parts' rendering"),
        ("e/f", nothing_kept, "the fragment cache's own cost to a first reader"),
    ]:
        against = warm if label.endswith("a") else uncached
        print(
            f"  ratio {label}: {statistics.median(times) / statistics.median(against):.2f} "
            f"({meaning}; no goal); of the minimums {min(times) / min(against):.2f}"
        )
    print("  where the time of the page with nothing kept goes (each part's rendering, medians):")
    total = 0
    for name, times in sorted(parts_spent.items(), key=lambda item: -statistics.median(item[1])):
        spent = statistics.median(times) * len(times) / ROUNDS
        total += spent
        print(f"    {name:<30} {ms(spent)}")
    rest = statistics.median(nothing_kept) - total
    print(f"    {'the parts together':<30} {ms(total)}; the rest of the page {ms(rest)}")
    return 0


def ms(seconds):
    return f"{seconds * 1000:6.1f} ms"


def verdict(ratio, goal):
    return "PASS" if ratio <= goal else "FAIL"


if __name__ == "__main__":
    sys.exit(main())
