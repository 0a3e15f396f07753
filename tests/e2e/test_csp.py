"""The example site's production profile: what it refuses, and its content security
policy in a real browser.

The browser tests serve the profile (``example_site.settings_production``) with
gunicorn and the task worker on a free loopback port, as ``make serve-prod``
does, on a temporary SQLite database and Redis at 127.0.0.1:6379 under a key
prefix of its own. Every page a visitor, a participant and an editor use is
opened while Chromium reports policy violations; there must be none, and the
scripts the pages rely on must still run.
"""

import os
import secrets
import sqlite3
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in, phone_photo

from .conftest import EXAMPLE_DIR, _free_port, _manage, _unavailable

sys.path.insert(0, str(EXAMPLE_DIR))
import serve_prod  # noqa: E402

pytestmark = pytest.mark.slow

TOPIC_PATH = "/discussion/getting-to-know-you/"
FRENCH_TOPIC_PATH = "/fr/discussions/faisons-connaissance/"
REDIS_URL = "redis://127.0.0.1:6379/0"

# Everything the production settings require, for the checks that run no server.
REQUIRED = {
    "DJANGO_SETTINGS_MODULE": "example_site.settings_production",
    "ILN_SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wagtail_iln_unused",
    "ILN_ALLOWED_HOSTS": "programme.example.org",
    "ILN_BASE_URL": "https://programme.example.org",
    "ILN_REDIS_URL": REDIS_URL,
    "ILN_EMAIL_HOST": "smtp.example.org",
}


def manage_check(*args, **env):
    """``manage.py check`` under the production settings with the given environment."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ILN_")
        and key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the tests' own
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=EXAMPLE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_checks_report_nothing():
    result = manage_check("--deploy", "--fail-level", "WARNING", **REQUIRED)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["ILN_SECRET_KEY", "DATABASE_URL", "ILN_ALLOWED_HOSTS", "ILN_BASE_URL", "ILN_REDIS_URL"],
)
def test_a_missing_required_variable_is_named(missing):
    env = {key: value for key, value in REQUIRED.items() if key != missing}
    result = manage_check(**env)
    assert result.returncode != 0
    assert f"need the environment variable {missing}" in result.stderr


def test_e_mail_needs_a_server_or_a_folder():
    env = {key: value for key, value in REQUIRED.items() if key != "ILN_EMAIL_HOST"}
    assert "ILN_EMAIL_HOST" in manage_check(**env).stderr
    assert manage_check(**env, ILN_EMAIL_FILE_PATH="/tmp/iln-mail").returncode == 0


def test_plain_http_is_refused_for_a_public_host():
    result = manage_check(**REQUIRED, ILN_LOCAL_HTTP="1")
    assert result.returncode != 0
    assert "only for a run on the loopback interface" in result.stderr
    local = {**REQUIRED, "ILN_ALLOWED_HOSTS": "127.0.0.1,localhost", "ILN_LOCAL_HTTP": "1"}
    assert manage_check(**local).returncode == 0


def test_a_malformed_rate_limit_is_refused():
    result = manage_check(**REQUIRED, ILN_PHOTO_RATE_LIMIT="ten an hour")
    assert result.returncode != 0
    assert "ILN_PHOTO_RATE_LIMIT must be count/seconds" in result.stderr


def test_the_form_renderer_writes_the_same_html_as_django():
    from django import forms
    from django.forms.renderers import DjangoTemplates
    from example_site.forms import FastFormRenderer

    class Form(forms.Form):
        country = forms.ChoiceField(
            choices=[("", "---"), ("Oceania", [("NZ", "New Zealand"), ("TO", "Tonga")])],
            widget=forms.Select(attrs={"class": "wide", "data-x": '"quoted" & <b>'}),
        )
        languages = forms.MultipleChoiceField(
            label="Languages <spoken>",
            choices=[("en", "English"), ("mi", "Māori <te reo>")],
            required=False,
        )
        size = forms.TypedChoiceField(choices=[(1, "small"), (2, "large")], coerce=int)
        name = forms.CharField(max_length=20, help_text="As <b>shown</b>")
        email = forms.EmailField(required=False)
        story = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
        count = forms.IntegerField(min_value=0)
        website = forms.URLField(required=False, assume_scheme="https")
        consent = forms.BooleanField()
        key = forms.CharField(widget=forms.HiddenInput, initial="k&1")
        kinds = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    data = {
        "country": "TO",
        "languages": ["en", "mi"],
        "size": "2",
        "name": 'Aroha "A" <Ngata>',
        "email": "not an address",
        "story": "Line one\n<script>alert(1)</script>",
        "count": "-1",
        "consent": "on",
        "key": "k&2",
        "kinds": ["b"],
    }
    for form_data in (None, data, {}):
        expected = Form(form_data, renderer=DjangoTemplates()).as_div()
        assert Form(form_data, renderer=FastFormRenderer()).as_div() == expected
        assert expected.count("<option") == 7
        assert "&lt;script&gt;" in expected or form_data is not data


# --- In the browser ---------------------------------------------------------------------


class _ServerURL(str):
    """The server's base URL, which also knows the demo topic's page id."""


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as error:  # any failure to reach it means no Redis to test with
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    tmp_dir = tmp_path_factory.mktemp("production-profile")
    port = _free_port()
    env = serve_prod.profile_env(
        port,
        f"sqlite:///{tmp_dir / 'db.sqlite3'}",
        ILN_SECRET_KEY=secrets.token_urlsafe(50),
        ILN_CACHE_KEY_PREFIX=f"wagtail_iln_test_{uuid.uuid4().hex[:8]}",
        ILN_MEDIA_ROOT=str(tmp_dir / "media"),
        ILN_PENDING_ROOT=str(tmp_dir / "pending"),
        ILN_STATIC_ROOT=str(tmp_dir / "static"),
        ILN_EMAIL_FILE_PATH=str(tmp_dir / "mail"),
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo"]):
        _manage(*command, env=env)
    processes = serve_prod.start(env, port, log_dir=tmp_dir)
    base_url = f"http://127.0.0.1:{port}"
    try:
        serve_prod.wait_until_serving(base_url + "/", processes)
        with sqlite3.connect(tmp_dir / "db.sqlite3") as database:
            (topic_id,) = database.execute(
                "SELECT id FROM wagtailcore_page WHERE url_path LIKE ?", ["%/getting-to-know-you/"]
            ).fetchone()
        base_url = _ServerURL(base_url)
        base_url.topic_id = topic_id
        yield base_url
    except RuntimeError as error:
        pytest.fail(f"{error}\n{(tmp_dir / 'gunicorn.log').read_text()}")
    finally:
        serve_prod.stop(processes)


@pytest.fixture
def watched_page(browser, production_server):
    """A browser page that keeps every content-security-policy violation it reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.violations = []
    page.on(
        "console",
        lambda message: (
            page.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.mark.browser
def test_public_pages_send_a_strict_policy_and_break_nothing(watched_page, production_server):
    page = watched_page
    for path in ("/", "/discussion/", TOPIC_PATH, FRENCH_TOPIC_PATH):
        response = page.goto(production_server + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        page.wait_for_load_state("networkidle")
    assert page.violations == []

    # The photo form's script runs: it previews the picked photo before sending.
    page.goto(production_server + TOPIC_PATH)
    page.locator("[data-iln-photo-form-open]").click()
    form = page.locator("form[data-iln-photo-form]")
    form.locator("input[name=photo]").set_input_files(
        {"name": "IMG_0002.JPG", "mimeType": "image/jpeg", "buffer": phone_photo()}
    )
    preview = form.locator(".iln-photo-form__preview img")
    expect(preview).to_have_count(1)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )

    # The like button's script sends the like without leaving the page.
    page.evaluate("window.ilnNotReloaded = true")
    like = page.locator("#iln-like-topic form")
    like.get_by_role("button", name="Like this topic").click()
    expect(like.get_by_role("button", name="You like this topic")).to_be_disabled()
    expect(like.locator(".iln-like__count")).to_have_text("1 person likes this")
    assert page.evaluate("window.ilnNotReloaded") is True

    # And the forms post: a comment is received and held for the moderators.
    page.locator("[data-iln-comment-form-open]").click()
    comments = page.locator("#comment-form")
    comments.locator("input[name=name]").fill("Tavita")
    comments.locator("input[name=email]").fill("tavita@example.org")
    comments.locator("textarea[name=body]").fill("Our reading garden opens at dawn in summer.")
    comments.get_by_role("button", name="Post comment").click()
    notice = page.locator(".iln-comments .iln-notice--success")
    assert "will appear once a moderator has approved it" in notice.inner_text()
    assert page.violations == []


@pytest.mark.browser
def test_the_admin_works_under_its_policy(watched_page, production_server):
    page = watched_page
    log_in(page, production_server)
    response = page.goto(production_server + "/admin/")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    # The admin's own scripts ran: the sidebar is drawn by them.
    expect(page.locator("#wagtail-sidebar a[href='/admin/images/']").first).to_be_attached()

    page.goto(production_server + "/admin/iln/moderation/photos/")
    row = page.locator("tbody tr").first
    expect(row).to_have_count(1)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=row.locator("img").element_handle()
    )
    row.locator("a").first.click()
    page.wait_for_url("**/inspect/*/")
    page.locator("form[data-iln-approve-form] button").click()
    expect(page.locator(".messages")).to_contain_text("approved")

    page.goto(production_server + "/admin/iln/moderation/comments/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{production_server}/admin/pages/{production_server.topic_id}/edit/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("input[name=title]")).to_have_value(
        "Getting to know you and your #favouritefeature"
    )
    assert page.violations == []
