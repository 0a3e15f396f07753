"""Commenting as a reader signed in through a sign-in provider (django-allauth)."""

import json

import pytest
from allauth.socialaccount.models import SocialAccount
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client, override_settings

from tests.helpers import approved_comment, oidc_provider_settings, post_comment
from wagtail_iln.checks import check_social_sign_in
from wagtail_iln.comments.models import BlockedAccount
from wagtail_iln.models import Comment
from wagtail_iln.privacy.data_rights import data_token

PROVIDER_ID = "programme-login"


@pytest.fixture(autouse=True)
def provider(settings):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider_settings()


@pytest.fixture
def ana(django_user_model):
    user = django_user_model.objects.create_user("ana-oidc", "ana@example.org", None)
    SocialAccount.objects.create(
        user=user, provider=PROVIDER_ID, uid="sub-1234", extra_data={"name": "Ana Lima"}
    )
    return user


@pytest.fixture
def signed_in(ana):
    client = Client()
    client.force_login(ana, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def form_of(client, page):
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    return html, html.select_one("#comment-form")


def account_post(client, page, body):
    _, form = form_of(client, page)
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    data.update(body=body, website="")
    return client.post(form["action"], data)


def test_a_reader_who_is_not_signed_in_is_offered_the_sites_providers(client, topic_page):
    html, form = form_of(client, topic_page)

    buttons = html.select(".iln-sign-in form")
    assert [b.button.get_text(strip=True) for b in buttons] == ["Sign in with Programme login"]
    action = buttons[0]["action"]
    assert action.startswith(f"/accounts/oidc/{PROVIDER_ID}/login/?")
    assert "process=login" in action
    assert f"next={topic_page.url.replace('/', '%2F')}%23comment-form" in action
    assert form.select_one("input[name=name]") and form.select_one("input[name=email]")


def test_signed_in_the_form_says_who_is_commenting_and_asks_no_name_or_address(
    signed_in, topic_page
):
    html, form = form_of(signed_in, topic_page)

    account = " ".join(form.select_one(".iln-comment-form__account").get_text().split())
    assert account == (
        "You are commenting as Ana Lima using your Programme login account (Log out / Change)"
    )
    assert form.select_one("input[name=name]") is None
    assert form.select_one("input[name=email]") is None
    assert html.select(".iln-sign-in") == []
    sign_out = html.select_one(f"form#{form['id']}-sign-out")
    assert sign_out["action"] == "/accounts/logout/"
    assert sign_out.select_one("input[name=next]")["value"] == f"{topic_page.url}#comment-form"


def test_log_out_comes_back_to_the_comment_form_with_the_providers(signed_in, topic_page):
    html, form = form_of(signed_in, topic_page)
    sign_out = html.select_one(f"form#{form['id']}-sign-out")
    data = {field["name"]: field["value"] for field in sign_out.select("input")}

    response = signed_in.post(sign_out["action"], data)

    assert response.status_code == 302
    assert response["Location"] == f"{topic_page.url}#comment-form"
    html, form = form_of(signed_in, topic_page)
    assert html.select(".iln-sign-in form")
    assert form.select_one("input[name=email]")


def test_trust_belongs_to_the_account_first_held_then_shown(signed_in, topic_page, ana):
    first = account_post(signed_in, topic_page, "Our library has a seed bank.")
    assert "iln-comment=held" in first["Location"]
    held = Comment.objects.get()
    assert (held.name, held.user, held.account_provider) == ("Ana Lima", ana, "Programme login")
    assert held.held_reason == Comment.HeldReason.FIRST_FROM_ACCOUNT
    held.status = Comment.Status.APPROVED
    held.save()

    second = account_post(signed_in, topic_page, "And a tool library too.")

    assert "iln-comment=shown" in second["Location"]
    shown = Comment.objects.get(body="And a tool library too.")
    assert shown.status == Comment.Status.APPROVED
    html, _ = form_of(Client(), topic_page)
    mark = html.select_one(f"#comment-{shown.pk} .iln-comment__account")
    assert mark.get_text(strip=True) == "signed in with Programme login"
    assert html.select_one(f"#comment-{shown.pk} .iln-comment__author").get_text() == "Ana Lima"


def test_typing_the_accounts_address_earns_none_of_its_trust(client, signed_in, topic_page, ana):
    approved_comment(topic_page, user=ana, name="Ana Lima", account_provider="Programme login")
    post_comment(client, topic_page, name="Ana Lima", email="ana@example.org", body="Me again")
    assert Comment.objects.get(body="Me again").status == Comment.Status.PENDING


def test_a_blocked_account_cannot_comment(signed_in, topic_page, ana):
    BlockedAccount.objects.create(user=ana, reason="Spam")

    response = account_post(signed_in, topic_page, "Buy cheap watches")

    assert response.status_code == 400
    assert "This account may no longer comment here." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_moderator_blocks_an_account_in_the_admin(admin_client, ana):
    url = "/admin/snippets/wagtail_iln/blockedaccount/"
    response = admin_client.post(url + "add/", {"user": ana.pk, "reason": "Spam links"})
    assert response.status_code == 302
    assert BlockedAccount.objects.get().user == ana
    assert "Spam links" in admin_client.get(url).content.decode()


def test_the_linked_account_is_in_the_persons_data_and_goes_with_erasure(
    signed_in, topic_page, ana
):
    account_post(signed_in, topic_page, "Hello from Recife")
    link = f"/iln/my-data/{data_token('ANA@example.org')}/"

    data = json.loads(Client().get(link + "?format=json").content)

    assert data["sign_in_accounts"][0]["provider"] == PROVIDER_ID
    assert data["sign_in_accounts"][0]["uid"] == "sub-1234"
    assert data["comments"][0]["body"] == "Hello from Recife"
    Client().post(link, {"action": "erase"})
    assert SocialAccount.objects.count() == 0
    comment = Comment.objects.get()
    assert (comment.name, comment.user, comment.account_provider) == ("", None, "")


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"MIDDLEWARE": []}, "allauth.account.middleware.AccountMiddleware"),
        ({"ROOT_URLCONF": "tests.urls_without_allauth"}, "account_logout"),
    ],
)
def test_a_half_made_sign_in_setup_is_named_by_a_check(changes, named):
    with override_settings(**changes):
        errors = check_social_sign_in(None)
    assert [error.id for error in errors] == ["wagtail_iln.E005"]
    assert f"'{named}' is missing" in errors[0].msg


def test_the_complete_setup_passes_the_checks():
    assert check_social_sign_in(None) == []
    call_command("check", "--fail-level", "WARNING")
