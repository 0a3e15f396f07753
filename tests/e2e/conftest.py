"""Browser tests against the demo site, served by ``runserver`` in a subprocess.

The demo gets its own temporary SQLite database and media folder, is migrated
and loaded with ``load_demo``, then driven by Debian's Chromium through
Playwright. Without Chromium the tests are skipped, unless
``ILN_REQUIRE_BROWSER=1``, which makes a missing browser a failure (for CI).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = REPO_DIR / "example_site"
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
CHROMIUM = os.environ.get("ILN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60

# Playwright's synchronous API leaves an event loop running in the thread once the
# browser is open, and Django then refuses database work in that thread. The browser
# and the database are still used one call at a time, so the check is turned off for
# the test process (conftest modules are imported before any test runs, on every
# pytest-xdist worker too).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _unavailable(reason):
    if os.environ.get("ILN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ILN_REQUIRE_BROWSER=1 requires the browser tests to run)")
    pytest.skip(reason)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo_env(tmp_dir):
    env = os.environ.copy()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # for the test process only
    # pytest-django exports the test settings; the demo has its own.
    env["DJANGO_SETTINGS_MODULE"] = "example_site.settings"
    env["DATABASE_URL"] = f"sqlite:///{tmp_dir / 'demo.sqlite3'}"
    env["ILN_MEDIA_ROOT"] = str(tmp_dir / "media")
    # The server's e-mails, one file each, for tests that follow a link in them.
    env["ILN_EMAIL_FILE_PATH"] = str(tmp_dir / "mail")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def _wait_until_serving(url, process, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"runserver did not answer at {url}:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory):
    """The environment of the demo site's commands: its database, migrated and loaded."""
    tmp_dir = tmp_path_factory.mktemp("demo-site")
    env = _demo_env(tmp_dir)
    _manage("migrate", "--noinput", env=env)
    _manage("load_demo", env=env)
    env["ILN_DEMO_TMP"] = str(tmp_dir)
    return env


def _serve(env, log_name, *options):
    """Serve the demo with ``runserver`` on a free port, yielding its base URL."""
    tmp_dir = Path(env["ILN_DEMO_TMP"])
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_dir / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", *options],
            cwd=EXAMPLE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(base_url + "/", process, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def demo_server(demo_env):
    """The base URL of the demo site, migrated and loaded, served on a free port."""
    yield from _serve(demo_env, "runserver.log")


@pytest.fixture(scope="session")
def demo_server_without_debug(demo_env):
    """The same demo with DEBUG off, as in production: its own 404 and 500 pages.

    ``--insecure`` lets runserver serve the static files still (the demo's
    media are not served: the pages it is for show none).
    """
    env = {**demo_env, "ILN_DEBUG": "0"}
    yield from _serve(env, "runserver-without-debug.log", "--insecure")


@pytest.fixture
def page(browser, demo_server):
    """A fresh browser page; ``page.requested_urls`` lists every URL it requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
