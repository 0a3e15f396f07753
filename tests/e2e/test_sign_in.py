"""Signing in to comment, end to end: a real OpenID Connect provider on 127.0.0.1
(django-oauth-toolkit in a second process, ``tests/oidc_provider``), the test site
served by pytest-django's live server, and Chromium between them."""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import oidc_provider_settings
from tests.oidc_provider.serve import CLIENT
from wagtail_iln.models import Comment

from .conftest import _free_port, _wait_until_serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
CODE_SECONDS = 4
CALLBACK = "/accounts/oidc/programme-login/login/callback/"


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The provider's base URL; its client is the live server's sign-in callback."""
    tmp_dir = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    log_path = tmp_dir / "provider.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "OIDC_PROVIDER_DB": str(tmp_dir / "provider.sqlite3"),
        "OIDC_CODE_SECONDS": str(CODE_SECONDS),
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.serve",
                str(port),
                live_server.url + CALLBACK,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base_url + "/o/.well-known/openid-configuration", process, log_path)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def site(settings, live_server, provider):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider_settings(
        server_url=provider + "/o", client_id=CLIENT["client_id"]
    )
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"] = CLIENT[
        "client_secret"
    ]
    return live_server.url


@pytest.fixture
def reader(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def open_comment_form(page):
    page.locator("[data-iln-comment-form-open]").click()


def sign_in_at_the_provider(page, consent=True):
    open_comment_form(page)
    page.locator(".iln-sign-in").get_by_role("button", name="Sign in with Programme login").click()
    page.wait_for_url("http://127.0.0.1:*/login/**")
    page.fill("#id_username", CLIENT["username"])
    page.fill("#id_password", CLIENT["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("http://127.0.0.1:*/o/authorize/**")
    if consent:
        page.get_by_role("button", name="Authorize").click()


def test_a_reader_signs_in_with_the_provider_and_comments_as_their_account(
    reader, site, topic_page
):
    page = reader
    page.goto(site + topic_page.url)
    sign_in_at_the_provider(page)

    page.wait_for_url(f"{site}{topic_page.url}#comment-form")
    form = page.locator("#comment-form")
    expect(form.locator(".iln-comment-form__account")).to_have_text(
        "You are commenting as Ana Lima using your Programme login account (Log out / Change)"
    )
    assert form.locator("input[name=email]").count() == 0
    form.locator("textarea[name=body]").fill("Our library lends seeds every spring.")
    form.get_by_role("button", name="Post comment").click()

    notice = page.locator(".iln-comments .iln-notice--success")
    expect(notice).to_contain_text("will appear once a moderator has approved it")
    comment = Comment.objects.get()
    assert (comment.name, comment.account_provider) == ("Ana Lima", "Programme login")
    assert comment.user.email == "ana@example.org"
    assert comment.status == Comment.Status.PENDING


def test_a_forged_state_is_refused_with_a_clear_message(reader, site, topic_page):
    page = reader
    page.goto(f"{site}{CALLBACK}?code=stolen-code&state=forged-state")

    expect(page.locator("h1")).to_have_text("Signing in did not work")
    expect(page.get_by_role("alert")).to_contain_text("You are not signed in")
    page.goto(site + topic_page.url)
    open_comment_form(page)
    expect(page.locator(".iln-sign-in")).to_be_visible()
    assert page.locator(".iln-comment-form__account").count() == 0


def test_an_expired_code_is_refused_with_a_clear_message(reader, site, topic_page):
    page = reader
    page.goto(site + topic_page.url)
    sign_in_at_the_provider(page, consent=False)
    # Consent as the browser would, but keep the answer: the link back with a fresh code.
    fields = page.eval_on_selector_all(
        "#authorizationForm input[type=hidden]",
        "inputs => Object.fromEntries(inputs.map(i => [i.name, i.value]))",
    )
    answer = page.request.post(page.url, form={**fields, "allow": "Authorize"}, max_redirects=0)
    callback = answer.headers["location"]
    assert callback.startswith(site + CALLBACK) and "code=" in callback
    page.wait_for_timeout((CODE_SECONDS + 2) * 1000)  # the code expires at the provider

    page.goto(callback)

    expect(page.locator("h1")).to_have_text("Signing in did not work")
    expect(page.get_by_role("alert")).to_contain_text("it had expired")
    page.goto(site + topic_page.url)
    assert page.locator(".iln-comment-form__account").count() == 0
