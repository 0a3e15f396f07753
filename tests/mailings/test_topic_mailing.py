"""A topic going live reaches every accepted participant of its round by e-mail, once."""

import datetime
import re
import uuid

import django
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, streamfield

from tests.factories import (
    DiscussionTopicPageFactory,
    EnrolmentFactory,
    ImageCreditFactory,
    ParticipantFactory,
    RoundFactory,
)
from tests.helpers import make_user, run_task_worker, translate
from wagtail_iln.mailings.sending import UNSUBSCRIBE_SALT, unsubscribe_token
from wagtail_iln.models import Follower, TopicDelivery, TopicMailing, TopicOptOut

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMALL_BATCHES = {"TOPIC_MAILING_BATCH": 2}


def person(round, language="en", status="accepted", **fields):
    participant = ParticipantFactory(language=language, consent_given_at=timezone.now(), **fields)
    EnrolmentFactory(round=round, participant=participant, status=status)
    return participant


@pytest.fixture
def french():
    return Locale.objects.get_or_create(language_code="fr")[0]


@pytest.fixture
def round_people():
    round = RoundFactory(name="Round 12")
    people = {
        "ana": person(round, "en", email="ana@example.org"),
        "bea": person(round, "fr", email="bea@example.org"),
        "carl": person(round, "es", email="carl@example.org"),
        "dan": person(round, "en", email="dan@example.org", consent_withdrawn_at=timezone.now()),
        "eve": person(round, "en", email="eve@example.org", erased_at=timezone.now()),
        "fay": person(round, "en", email="fay@example.org", status="applied"),
        "gus": person(RoundFactory(), "en", email="gus@example.org"),
        "hal": person(round, "en", email="hal@example.org"),
    }
    TopicOptOut.objects.create(participant=people["hal"])
    return round, people


@pytest.fixture
def draft_topic(index_page, round_people, french):
    round, _people = round_people
    image = ImageCreditFactory(title="Start", creator="eko").image
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        title="Your workplace",
        slug="your-workplace",
        intro="Tell your partner where you work.",
        hero_image=image,
        round=round,
        live=False,
    )
    topic.save_revision()
    strings = {
        "Your workplace": "Votre lieu de travail",
        "Tell your partner where you work.": "Dites où.",
    }
    # Translated and published in French first: the topic goes live with its English original.
    translate(topic, french, strings).save_revision().publish()
    assert not TopicMailing.objects.exists()
    return topic


def publish_in_the_admin(client, topic):
    data = nested_form_data(
        {
            "title": topic.title,
            "slug": topic.slug,
            "intro": topic.intro,
            "hero_image": topic.hero_image_id,
            "body": streamfield([]),
            "tags": "",
            "discussion_opens": topic.discussion_opens.isoformat(),
            "discussion_closes": topic.discussion_closes.isoformat(),
            "comments_enabled": "on",
            "round": topic.round_id,
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{topic.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def html_of(message):
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return html


@override_settings(TASKS=DATABASE_TASKS, WAGTAIL_ILN=SMALL_BATCHES)
def test_publishing_a_topic_emails_each_accepted_participant_once_in_their_language(
    admin_client, draft_topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_in_the_admin(admin_client, draft_topic)
    assert mail.outbox == []  # the worker sends it, not the request
    page = BeautifulSoup(
        admin_client.get(f"/admin/iln/topics/{draft_topic.pk}/email/").content, "html.parser"
    )
    assert "Sent to 0 of 0" in page.select_one("[data-iln-mailing-progress]").get_text()

    run_task_worker()

    sent = by_recipient()
    assert sorted(sent) == ["ana@example.org", "bea@example.org", "carl@example.org"]
    assert sent["ana@example.org"].subject == "This fortnight's topic: Your workplace"
    # French: the page's French translation, in a French message.
    assert sent["bea@example.org"].subject == "Le sujet de la quinzaine : Votre lieu de travail"
    assert "Dites où." in sent["bea@example.org"].body
    assert sent["bea@example.org"].extra_headers["Content-Language"] == "fr"
    # Spanish: no Spanish translation, so the original, in a Spanish message.
    assert "Your workplace" in sent["carl@example.org"].subject
    assert sent["carl@example.org"].extra_headers["Content-Language"] == "es"
    for message in sent.values():
        html = html_of(message)
        # The HTML says its language, as the header does, for screen readers and translators.
        language = message.extra_headers["Content-Language"]
        assert BeautifulSoup(html, "html.parser").html["lang"] == language
        assert "/media/images/" in html and "eko" in html  # the hero image and its credit
        assert "eko" in message.body
        headers = message.extra_headers
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = re.fullmatch(
            r"<(http://localhost/iln/topics/unsubscribe/[^>]+/)>", headers["List-Unsubscribe"]
        )
        assert url is not None and url.group(1) in message.body and url.group(1) in html
    assert (
        sent["ana@example.org"].extra_headers["List-Unsubscribe"]
        != (sent["bea@example.org"].extra_headers["List-Unsubscribe"])
    )
    page = BeautifulSoup(
        admin_client.get(f"/admin/iln/topics/{draft_topic.pk}/email/").content, "html.parser"
    )
    assert "Sent to 3 of 3" in page.select_one("[data-iln-mailing-progress]").get_text()
    (emailed,) = emailed_in_history(admin_client, draft_topic)
    assert emailed.startswith("E-mailed to 3 people")

    # Published again: nothing more is sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_in_the_admin(admin_client, draft_topic)
    run_task_worker()
    assert mail.outbox == []
    assert TopicMailing.objects.count() == 1
    assert TopicDelivery.objects.count() == 3
    assert emailed_in_history(admin_client, draft_topic) == [emailed]


def emailed_in_history(client, topic):
    """The rows of the topic's history in the admin that speak of its e-mails."""
    response = client.get(f"/admin/pages/{topic.pk}/history/")
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    texts = [" ".join(row.get_text(" ", strip=True).split()) for row in rows]
    return [text for text in texts if "E-mail" in text]


@override_settings(WAGTAIL_ILN=SMALL_BATCHES)
def test_a_mailing_run_twice_sends_nothing_twice(draft_topic, django_capture_on_commit_callbacks):
    from wagtail_iln.mailings.sending import run_topic_mailing

    with django_capture_on_commit_callbacks(execute=True):
        draft_topic.save_revision().publish()
    assert len(mail.outbox) == 3
    mailing = TopicMailing.objects.get()
    TopicMailing.objects.filter(pk=mailing.pk).update(status="queued")
    run_topic_mailing.enqueue(mailing.pk)
    assert len(mail.outbox) == 3
    mailing.refresh_from_db()
    assert (mailing.status, mailing.sent, mailing.total) == ("finished", 3, 3)


def test_a_scheduled_topic_is_emailed_on_its_day(draft_topic, django_capture_on_commit_callbacks):
    day = timezone.now() + datetime.timedelta(days=3)
    draft_topic.go_live_at = day
    draft_topic.save_revision().publish()
    assert mail.outbox == [] and not TopicMailing.objects.exists()
    with (
        time_machine.travel(day + datetime.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_scheduled")
    assert len(mail.outbox) == 3


def test_one_click_unsubscribe_stops_topic_emails(
    client, draft_topic, round_people, index_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft_topic.save_revision().publish()
    message = by_recipient()["bea@example.org"]
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")

    page = client.get(url)  # opening the link changes nothing
    assert page.status_code == 200
    assert "Se désabonner" in page.content.decode() or "Unsubscribe" in page.content.decode()
    assert not TopicOptOut.objects.filter(participant__email="bea@example.org").exists()

    # The mail client's one-click post (RFC 8058): no CSRF token, no cookie.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert TopicOptOut.objects.filter(participant__email="bea@example.org").exists()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200

    mail.outbox.clear()
    round, _people = round_people
    following = DiscussionTopicPageFactory(parent=index_page, round=round, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        following.save_revision().publish()
    assert sorted(by_recipient()) == ["ana@example.org", "carl@example.org"]


def test_a_participant_who_follows_the_discussion_gets_the_topic_once(
    index_page, round_people, django_capture_on_commit_callbacks
):
    round, _people = round_people
    for address in ("ANA@example.org", "reader@example.org"):  # a participant, a reader
        Follower.objects.create(
            index=index_page,
            email=address,
            language="en",
            form_key=uuid.uuid4(),
            confirmed_at=timezone.now(),
        )
    topic = DiscussionTopicPageFactory(parent=index_page, round=round, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    sent_to = sorted(message.to[0].lower() for message in mail.outbox)
    assert sent_to == [
        "ana@example.org",
        "bea@example.org",
        "carl@example.org",
        "reader@example.org",
    ]
    assert TopicMailing.objects.get(topic_key=topic.translation_key).sent == 4


def test_an_unsubscribe_link_from_a_year_ago_still_works(client, round_people):
    _round, people = round_people
    with time_machine.travel(timezone.now() - datetime.timedelta(days=365)):
        token = unsubscribe_token(people["ana"].pk)
    assert client.post(f"/iln/topics/unsubscribe/{token}/").status_code == 200
    assert TopicOptOut.objects.filter(participant=people["ana"]).exists()


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda pk: signing.dumps(pk, salt=UNSUBSCRIBE_SALT, key="x" * 50), id="forged"
        ),
        pytest.param(
            lambda pk: signing.dumps(pk, salt="wagtail_iln.photos.withdraw"), id="other-salt"
        ),
        pytest.param(lambda pk: unsubscribe_token(pk).replace(":", "x:", 1), id="tampered"),
        pytest.param(lambda pk: signing.dumps(str(pk), salt=UNSUBSCRIBE_SALT), id="id-as-text"),
        pytest.param(lambda pk: signing.dumps([pk], salt=UNSUBSCRIBE_SALT), id="id-in-a-list"),
        pytest.param(lambda pk: signing.dumps(2**63, salt=UNSUBSCRIBE_SALT), id="id-too-big"),
        pytest.param(lambda pk: signing.dumps(-pk, salt=UNSUBSCRIBE_SALT), id="negative-id"),
        pytest.param(lambda pk: "", id="empty"),
    ],
)
def test_a_hostile_unsubscribe_link_changes_nothing(client, round_people, make_token):
    _round, people = round_people
    token = make_token(people["ana"].pk) or "x"
    for method in (client.get, client.post):
        response = method(f"/iln/topics/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert TopicOptOut.objects.filter(participant=people["ana"]).count() == 0


def test_a_tampered_id_does_not_unsubscribe_someone_else(client, round_people):
    _round, people = round_people
    token = unsubscribe_token(people["ana"].pk)
    value, rest = token.split(":", 1)
    other = signing.b64_encode(str(people["bea"].pk).encode()).decode()
    response = client.post(f"/iln/topics/unsubscribe/{other}:{rest}/")
    assert response.status_code == 400
    assert not TopicOptOut.objects.filter(participant__in=[people["ana"], people["bea"]]).exists()


def test_the_coordinator_previews_and_sends_a_test_to_themselves(
    admin_client, admin_user, draft_topic, django_capture_on_commit_callbacks
):
    edit = admin_client.get(f"/admin/pages/{draft_topic.pk}/edit/").content.decode()
    email_url = f"/admin/iln/topics/{draft_topic.pk}/email/"
    assert email_url in edit  # in the topic's header menu

    page = BeautifulSoup(admin_client.get(email_url + "?language=fr").content, "html.parser")
    assert "Votre lieu de travail" in page.select_one("[data-iln-mailing-subject]").get_text()
    assert "Dites où." in page.select_one("[data-iln-mailing-text]").get_text()
    assert "eko" in page.select_one("iframe")["srcdoc"]
    assert "3 participants" in page.select_one("[data-iln-mailing-progress]").get_text()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(email_url + "test/", {"language": "fr"}, follow=True)
    assert (
        f"A test of this e-mail is on its way to {admin_user.email}." in response.content.decode()
    )
    [message] = mail.outbox
    assert message.to == [admin_user.email]
    assert message.subject.startswith("[Test]") and "Votre lieu de travail" in message.subject
    assert "List-Unsubscribe" not in message.extra_headers
    assert not TopicMailing.objects.exists()  # a test starts no sending


def test_only_those_who_may_edit_the_topic_see_its_email(client, django_user_model, draft_topic):
    client.force_login(make_user(django_user_model, "reader"))
    # Wagtail's admin sends them to its home page, with a message.
    for response in (
        client.get(f"/admin/iln/topics/{draft_topic.pk}/email/"),
        client.post(f"/admin/iln/topics/{draft_topic.pk}/email/test/", {"language": "en"}),
    ):
        assert (response.status_code, response.url) == (302, "/admin/")
    assert mail.outbox == []


def test_participants_see_the_topics_they_were_sent_in_their_data(
    draft_topic, django_capture_on_commit_callbacks
):
    from wagtail_iln.mailings.personal_data import export

    with django_capture_on_commit_callbacks(execute=True):
        draft_topic.save_revision().publish()
    data = export("ANA@example.org")
    assert [item["topic"] for item in data["topic_emails"]] == ["Your workplace"]
    assert export("hal@example.org")["topic_emails_stopped_at"] is not None


@pytest.mark.skipif(
    django.VERSION >= (6, 0),
    reason="Django 6 builds messages with the modern e-mail policy: each is built by Django",
)
def test_a_message_copied_from_its_language_prototype_is_the_message_django_builds(draft_topic):
    from django.core.mail import EmailMultiAlternatives

    from wagtail_iln.mailings.sending import render_content

    content = render_content(draft_topic, "fr").prepare()
    assert content.prototype is not None
    url = "http://localhost/iln/topics/unsubscribe/abc:def/"
    copied = content.message("bea@example.org", url).message()
    built = EmailMultiAlternatives.message(content.message("bea@example.org", url))

    def normalised(tree):
        for name in ("Date", "Message-ID"):
            del tree[name]
        text = tree.as_string()
        return re.sub(r"={15}\d+==", "=BOUNDARY=", text)

    assert copied["Message-ID"] != built["Message-ID"]
    assert normalised(copied) == normalised(built)
    assert f"<{url}>" in copied["List-Unsubscribe"] and url in copied.as_string()
    # An address the email package must encode is built the usual way.
    other = content.message("bé@exemple.fr", url).message()
    assert other["To"] != "bé@exemple.fr" and url in other.as_string()


@override_settings(EMAIL_BACKEND="tests.mail_backends.RefusingMailServer")
def test_a_mailing_stopped_by_the_mail_server_says_so_in_the_topics_history(
    admin_client, draft_topic, django_capture_on_commit_callbacks, monkeypatch
):
    from tests import mail_backends

    # A task backend that cannot try again later: the mailing stops there.
    monkeypatch.setattr(mail_backends.RefusingMailServer, "refusals", 100)
    with django_capture_on_commit_callbacks(execute=True):
        publish_in_the_admin(admin_client, draft_topic)
    assert mail.outbox == []
    assert TopicMailing.objects.get().status == "failed"
    (stopped,) = emailed_in_history(admin_client, draft_topic)
    assert stopped.startswith(
        "E-mailing stopped on an error after 0 messages; the Topic e-mail page says why"
    ), stopped
