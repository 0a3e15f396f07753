"""Anyone follows a discussion by e-mail: a signed link confirms, one click leaves."""

import datetime
import re
import uuid

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale

from tests.factories import DiscussionIndexPageFactory, DiscussionTopicPageFactory
from wagtail_iln.mailings.follow import CONFIRM_SALT, confirm_token, leave_token
from wagtail_iln.models import Follower, TopicDelivery
from wagtail_iln.privacy.data_rights import erase_data, export

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_index(site_root):
    french = Locale.objects.get_or_create(language_code="fr")[0]
    index = DiscussionIndexPageFactory(parent=site_root, title="Discussion", slug="discussion")
    return index.copy_for_translation(french, copy_parents=True, alias=False).specific


def publish_fr(page):
    page.save_revision().publish()
    return page


def follow(client, index, address, **fields):
    page = BeautifulSoup(client.get(index.url).content, "html.parser")
    form = page.select_one("form[data-iln-follow-form]")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    data.update(email=address, **fields)
    return client.post(form["action"], data)


def confirm_link(message):
    # Under i18n_patterns, the link carries the language of the page it was asked from.
    pattern = r"http://testserver((?:/fr|/es)?/iln/discussions/confirm/[^/\s]+/)"
    return re.search(pattern, message.body).group(1)


def test_following_a_discussion_the_whole_way(
    client, index_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, index_page, "reader@example.org")
    assert response.status_code == 302
    assert response.url == f"{index_page.url}?following={index_page.pk}#iln-follow-{index_page.pk}"
    thanks = BeautifulSoup(client.get(response.url).content, "html.parser")
    assert "Please follow the link" in thanks.select_one(f"#iln-follow-{index_page.pk}").get_text()
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert Follower.objects.get().confirmed_at is None

    # Nothing goes to an address that has not confirmed.
    mail.outbox.clear()
    first = DiscussionTopicPageFactory(parent=index_page, title="Before confirming", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        first.save_revision().publish()
    assert mail.outbox == []

    url = confirm_link(message)
    assert "Confirm" in client.get(url).content.decode()
    assert Follower.objects.get().confirmed_at is None  # opening the link is not confirming
    assert client.post(url).status_code == 200
    assert Follower.objects.get().confirmed_at is not None

    topic = DiscussionTopicPageFactory(parent=index_page, title="Your workplace", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
        topic.save_revision().publish()  # published again: sent once
    [news] = mail.outbox
    assert news.to == ["reader@example.org"] and "Your workplace" in news.subject
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave = news.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    assert leave.startswith("/iln/discussions/leave/") and leave in news.body

    # The mail client's one-click post: no CSRF token, no cookie.
    assert client.post(leave, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follower.objects.exists()
    assert client.post(leave, {"List-Unsubscribe": "One-Click"}).status_code == 200
    mail.outbox.clear()
    last = DiscussionTopicPageFactory(parent=index_page, title="After leaving", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        last.save_revision().publish()
    assert mail.outbox == []


def test_the_confirmation_and_the_topics_speak_the_language_of_the_page(
    client, french_index, django_capture_on_commit_callbacks
):
    publish_fr(french_index)
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, french_index, "lectrice@example.org")
    [message] = mail.outbox
    assert message.subject == f"Confirmez que vous voulez suivre {french_index.title}"
    client.post(confirm_link(message))
    mail.outbox.clear()
    topic = DiscussionTopicPageFactory(parent=french_index, title="Votre bibliothèque", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    [news] = mail.outbox
    assert news.subject == "Le sujet de la quinzaine : Votre bibliothèque"
    assert news.extra_headers["Content-Language"] == "fr"


def test_a_bad_address_is_refused_and_nothing_is_kept(client, index_page):
    response = follow(client, index_page, "not an address")
    assert response.status_code == 400
    assert "Enter an e-mail address such as name@example.org." in response.content.decode()
    assert not Follower.objects.exists() and mail.outbox == []


@override_settings(WAGTAIL_ILN={"FOLLOW_RATE_LIMIT": (2, 3600)})
def test_too_many_requests_are_refused(client, index_page):
    for number in range(2):
        assert follow(client, index_page, f"r{number}@example.org").status_code == 302
    response = follow(client, index_page, "r3@example.org")
    assert response.status_code == 429
    assert Follower.objects.count() == 2


def test_an_expired_confirmation_link_confirms_nothing(client, index_page):
    follower = Follower.objects.create(
        index=index_page, email="late@example.org", language="en", form_key=uuid.uuid4()
    )
    token = confirm_token(follower.pk)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(f"/iln/discussions/confirm/{token}/")
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None


HOSTILE = [
    pytest.param(lambda pk: signing.dumps(pk, salt=CONFIRM_SALT, key="k" * 50), id="forged"),
    pytest.param(lambda pk: leave_token(pk), id="other-salt"),
    pytest.param(lambda pk: confirm_token(pk).replace(":", "x:", 1), id="tampered"),
    pytest.param(lambda pk: signing.dumps(str(pk), salt=CONFIRM_SALT), id="id-as-text"),
    pytest.param(lambda pk: signing.dumps({"id": pk}, salt=CONFIRM_SALT), id="id-in-an-object"),
    pytest.param(lambda pk: signing.dumps(0, salt=CONFIRM_SALT), id="id-zero"),
]


@pytest.mark.parametrize("make_token", HOSTILE)
def test_a_hostile_confirmation_link_confirms_nothing(client, index_page, make_token):
    follower = Follower.objects.create(
        index=index_page, email="x@example.org", language="en", form_key=uuid.uuid4()
    )
    for method in (client.get, client.post):
        response = method(f"/iln/discussions/confirm/{make_token(follower.pk)}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    follower.refresh_from_db()
    assert follower.confirmed_at is None


def test_a_tampered_id_does_not_confirm_someone_else(client, index_page):
    mine, theirs = (
        Follower.objects.create(
            index=index_page, email=f"{name}@example.org", language="en", form_key=uuid.uuid4()
        )
        for name in ("me", "them")
    )
    _value, rest = confirm_token(mine.pk).split(":", 1)
    other = signing.b64_encode(str(theirs.pk).encode()).decode()
    assert client.post(f"/iln/discussions/confirm/{other}:{rest}/").status_code == 400
    assert not Follower.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda pk: confirm_token(pk), id="other-salt"),
        pytest.param(lambda pk: leave_token(pk).replace(":", "x:", 1), id="tampered"),
        pytest.param(lambda pk: signing.dumps([pk], salt="x"), id="forged"),
    ],
)
def test_a_hostile_leave_link_removes_nobody(client, index_page, make_token):
    follower = Follower.objects.create(
        index=index_page,
        email="stay@example.org",
        language="en",
        form_key=uuid.uuid4(),
        confirmed_at=timezone.now(),
    )
    assert client.post(f"/iln/discussions/leave/{make_token(follower.pk)}/").status_code == 400
    assert Follower.objects.filter(pk=follower.pk).exists()


def test_followers_are_counted_in_the_admin(admin_client, index_page):
    for number, confirmed in enumerate([True, True, False]):
        Follower.objects.create(
            index=index_page,
            email=f"f{number}@example.org",
            language="en",
            form_key=uuid.uuid4(),
            confirmed_at=timezone.now() if confirmed else None,
        )
    edit = admin_client.get(f"/admin/pages/{index_page.pk}/edit/").content.decode()
    url = f"/admin/iln/discussions/{index_page.pk}/followers/"
    assert url in edit
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert page.select_one("[data-iln-followers]").get_text(strip=True) == (
        "2 people follow this discussion by e-mail."
    )
    assert "f0@example.org" not in page.get_text()
    topic = DiscussionTopicPageFactory(parent=index_page, live=False)
    email_page = admin_client.get(f"/admin/iln/topics/{topic.pk}/email/").content.decode()
    assert "It will also be e-mailed to 2 people who follow the discussion." in email_page


def test_followers_data_is_exported_and_erased(index_page, django_capture_on_commit_callbacks):
    follower = Follower.objects.create(
        index=index_page,
        email="Reader@example.org",
        language="en",
        form_key=uuid.uuid4(),
        confirmed_at=timezone.now(),
    )
    topic = DiscussionTopicPageFactory(parent=index_page, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    assert TopicDelivery.objects.filter(follower=follower).exists()
    data = export("reader@example.org")
    assert [d["discussion"] for d in data["followed_discussions"]] == [index_page.title]
    erase_data("READER@example.org")
    assert not Follower.objects.exists()
    assert not TopicDelivery.objects.filter(follower__isnull=False).exists()


def test_the_confirmed_page_offers_to_stop_at_once(
    client, index_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, index_page, "reader@example.org")
    [message] = mail.outbox
    page = BeautifulSoup(client.post(confirm_link(message)).content, "html.parser")
    assert "You follow this discussion" in page.get_text()
    leave = page.select_one("a[data-iln-follow-leave]")["href"]
    assert Follower.objects.get().confirmed_at is not None

    leaving = BeautifulSoup(client.get(leave).content, "html.parser").get_text(" ", strip=True)
    assert "Stop receiving each new topic of this discussion by e-mail?" in leaving
    assert Follower.objects.exists()  # opening the link is not leaving
    assert client.post(leave).status_code == 200
    assert not Follower.objects.exists()


def test_the_form_says_what_following_sends_and_how_often(client, index_page):
    section = BeautifulSoup(client.get(index_page.url).content, "html.parser").select_one(
        ".iln-follow-form"
    )
    text = section.get_text(" ", strip=True)
    assert "Each new topic of this discussion by e-mail, when it is published" in text
    assert "about one every two weeks" in text
    assert "every e-mail has a link to stop" in text
