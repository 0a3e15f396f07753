"""Screenshots of the demo's public pages, for docs/screenshots.md.

    .venv/bin/python docs/screenshots/make.py                 # a fresh demo, served here
    .venv/bin/python docs/screenshots/make.py --url http://127.0.0.1:8000 \
        --error-url http://127.0.0.1:8001               # a running demo (and one with DEBUG off)

Without ``--url`` the demo is migrated and loaded (``load_demo``) into a
temporary database and served by ``runserver`` on a free port while the
screenshots are taken, and by a second one with DEBUG off (``ILN_DEBUG=0``,
``--insecure`` for the static files) for the 404 page, which DEBUG replaces
with Django's report. Chromium is Debian's (``/usr/bin/chromium``, or
``ILN_CHROMIUM``), driven by Playwright. Each page is saved at desktop
(1280 px) and phone (375 px) widths as ``<page>-<width>.png`` in this folder,
at most ``MAX_HEIGHT`` pixels of the page, in 256 colours to keep the files small.
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO_DIR = HERE.parents[1]
EXAMPLE_DIR = REPO_DIR / "example_site"
CHROMIUM = os.environ.get("ILN_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
MAX_HEIGHT = {"desktop": 1800, "phone": 1624}
TOPIC = "/discussion/getting-to-know-you/"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo():
    """A freshly loaded demo, served on two free ports: its base URLs, DEBUG on and off."""
    with tempfile.TemporaryDirectory(prefix="iln-screenshots-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "example_site.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "ILN_MEDIA_ROOT": f"{tmp}/media",
            "ILN_EMAIL_FILE_PATH": f"{tmp}/mail",
        }
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--noinput"], ["load_demo"]):
            subprocess.run(
                manage + command, cwd=EXAMPLE_DIR, env=env, check=True, capture_output=True
            )
        servers = []
        try:
            urls = []
            for extra_env, options in (({}, []), ({"ILN_DEBUG": "0"}, ["--insecure"])):
                port = _free_port()
                servers.append(
                    subprocess.Popen(
                        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", *options],
                        cwd=EXAMPLE_DIR,
                        env={**env, **extra_env},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
                urls.append(f"http://127.0.0.1:{port}")
                _wait(urls[-1])
            yield urls
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)


def _wait(url):
    for _attempt in range(240):
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise SystemExit(f"The demo did not answer at {url}")


def public_pages(page, base_url):
    """``{name: path}`` of the pages to show, found from the demo's topic."""
    page.goto(base_url + TOPIC)
    index = page.locator(".iln-breadcrumbs li:nth-last-child(2) a").get_attribute("href")
    application = page.locator("a[data-iln-apply-link]").first.get_attribute("href")
    photo_action = page.locator("form[data-iln-photo-form]").get_attribute("action")
    return {
        "topic": TOPIC,
        "index": index,
        "application": application,
        "my-data": "/iln/my-data/",
        "search": "/iln/search/?q=library",
        # Posted from no page, the photo form has a page of its own.
        "photo-form": photo_action.split("?")[0].split("#")[0],
        "404": "/no-such-page/",
    }


def save(png, path, max_height):
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.height > max_height:
        image = image.crop((0, 0, image.width, max_height))
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, optimize=True)


def take(base_url, error_url, out_dir):
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, locale="en-GB")
                page = context.new_page()
                for name, path in public_pages(page, base_url).items():
                    page.goto((error_url if name == "404" else base_url) + path)
                    page.wait_for_load_state("networkidle")
                    if name == "photo-form":
                        # The form opened, as a reader sees it once they chose to send a photo.
                        page.locator("[data-iln-photo-form-open]").click()
                    target = out_dir / f"{name}-{width}.png"
                    save(page.screenshot(full_page=True), target, MAX_HEIGHT[width])
                    saved.append(target)
                context.close()
        finally:
            browser.close()
    return saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the base URL of a running demo (default: start one)")
    parser.add_argument("--error-url", help="the same demo with DEBUG off, for the 404 page")
    parser.add_argument("--out", type=Path, default=HERE, help="where the PNGs go")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.url:
        url = args.url.rstrip("/")
        saved = take(url, (args.error_url or url).rstrip("/"), args.out)
    else:
        with demo() as (url, error_url):
            saved = take(url, error_url, args.out)
    for path in saved:
        print(
            f"{path.relative_to(REPO_DIR) if path.is_relative_to(REPO_DIR) else path}"
            f"  {path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
