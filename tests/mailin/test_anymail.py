"""A site on a sending service: inbound photos and bounces come through anymail's webhooks."""

import base64
import json
import uuid

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from tests.factories import DiscussionTopicPageFactory
from tests.mailin.messages import ADDRESS, SENDER, photo_email, small_jpeg
from tests.mailings.test_topic_mailing import (  # noqa: F401  (fixtures)
    draft_topic,
    french,
    publish_in_the_admin,
    round_people,
)
from wagtail_iln.models import (
    Follower,
    InboundMessage,
    PhotoSubmission,
    UndeliverableAddress,
)
from wagtail_iln.privacy import data_rights

AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"service:webhook-secret").decode()}


@pytest.fixture(autouse=True)
def links(settings):
    settings.WAGTAIL_ILN = {"MAIL_SITE_URL": "https://iln.example.org"}


def post_json(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json", **AUTH)


def test_a_photo_posted_by_the_services_inbound_webhook_waits_for_its_sender(
    client, campaign, django_capture_on_commit_callbacks
):
    raw = photo_email(small_jpeg(1), small_jpeg(2))
    payload = {
        "FromFull": {"Email": SENDER, "Name": "Ana"},
        "ToFull": [{"Email": ADDRESS, "Name": ""}],
        "Headers": [{"Name": "Return-Path", "Value": f"<{SENDER}>"}],
        "RawEmail": raw.decode("ascii"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, "/anymail/postmark/inbound/", payload)

    assert response.status_code == 200
    assert PhotoSubmission.objects.filter(email=SENDER).count() == 2
    assert all(submission.awaits_sender for submission in PhotoSubmission.objects.all())
    [reply] = mail.outbox
    assert reply.to == [SENDER]
    # The service posting the same message again (a retried webhook) changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        post_json(client, "/anymail/postmark/inbound/", payload)
    assert PhotoSubmission.objects.count() == 2
    assert len(mail.outbox) == 1


def test_the_inbound_signal_feeds_the_same_handler_with_the_envelope_recipient(
    campaign, django_capture_on_commit_callbacks
):
    # Sent to the campaign as a blind copy: only the envelope knows the address.
    message = AnymailInboundMessage.parse_raw_mime_bytes(
        photo_email(small_jpeg(3), to="friends@example.org")
    )
    message.envelope_recipient = ADDRESS
    with django_capture_on_commit_callbacks(execute=True):
        inbound.send(
            sender=object,
            event=AnymailInboundEvent(event_type="inbound", message=message),
            esp_name="Mailgun",
        )

    assert PhotoSubmission.objects.get().campaign == campaign
    assert InboundMessage.objects.get().outcome == InboundMessage.Outcome.ACCEPTED


def test_a_webhook_without_the_secret_changes_nothing(client, campaign):
    payload = {"RawEmail": photo_email(small_jpeg(4)).decode("ascii")}
    response = client.post(
        "/anymail/postmark/inbound/", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert PhotoSubmission.objects.count() == 0


def bounce(client, email, record_type="Bounce", kind="HardBounce"):
    payload = {
        "RecordType": record_type,
        "Type": kind,
        "ID": 4323372036854775807,
        "Email": email,
        "BouncedAt": "2026-12-01T10:00:00Z",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
    }
    response = post_json(client, "/anymail/postmark/tracking/", payload)
    assert response.status_code == 200


def test_bounces_and_complaints_mark_the_address_undeliverable(client, db):
    bounce(client, "Bea@Example.org")
    bounce(client, "bea@example.org")
    bounce(client, "cy@example.org", record_type="SpamComplaint", kind="SpamComplaint")
    bounce(client, "dee@example.org", kind="Transient")  # a soft bounce: tried again later
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="delivered", recipient="eve@example.org"),
        esp_name="Mailgun",
    )

    records = {record.email: record for record in UndeliverableAddress.objects.all()}
    assert sorted(records) == ["bea@example.org", "cy@example.org"]
    assert records["bea@example.org"].events == 2
    assert records["bea@example.org"].event == "bounced"
    assert records["cy@example.org"].event == "complained"


def test_topics_skip_undeliverable_participants_and_the_admin_counts_them(
    client,
    admin_client,
    draft_topic,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    bounce(client, "bea@example.org")
    page = BeautifulSoup(
        admin_client.get(f"/admin/iln/topics/{draft_topic.pk}/email/").content, "html.parser"
    )
    assert page.select_one("[data-iln-mailing-undeliverable]").get_text(strip=True) == (
        "1 address is skipped: the mail service reported it undeliverable."
    )
    assert "2 participants" in page.select_one("[data-iln-mailing-progress]").get_text()

    with django_capture_on_commit_callbacks(execute=True):
        publish_in_the_admin(admin_client, draft_topic)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "carl@example.org",
    ]


def test_followers_at_undeliverable_addresses_get_nothing(
    client, index_page, django_capture_on_commit_callbacks
):
    kept, _bouncing = (
        Follower.objects.create(
            index=index_page,
            email=email,
            language="en",
            form_key=uuid.uuid4(),
            confirmed_at=timezone.now(),
        )
        for email in ("kim@example.org", "lou@example.org")
    )
    bounce(client, "lou@example.org")
    topic = DiscussionTopicPageFactory(parent=index_page, title="Mentoring", live=False)

    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()

    assert [message.to for message in mail.outbox] == [[kept.email]]


def test_a_follow_request_from_an_undeliverable_address_sends_nothing(
    client, index_page, django_capture_on_commit_callbacks
):
    bounce(client, "lou@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/iln/discussions/{index_page.pk}/follow/",
            {"email": "lou@example.org", "form_key": "6f9b2c1e-1111-4c1e-9a1e-2b1e3c4d5e6f"},
        )
    assert response.status_code == 302
    assert mail.outbox == []
    assert Follower.objects.get(email="lou@example.org").confirmed_at is None


def test_the_senders_address_and_bounces_are_exported_and_erased(
    client, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inbound.send(
            sender=object,
            event=AnymailInboundEvent(
                event_type="inbound",
                message=AnymailInboundMessage.parse_raw_mime_bytes(photo_email(small_jpeg(5))),
            ),
            esp_name="Postmark",
        )
    bounce(client, SENDER)

    exported = data_rights.export(SENDER.upper())

    assert [entry["outcome"] for entry in exported["photo_emails"]] == ["accepted"]
    assert exported["photo_emails"][0]["campaign"] == "#favouritefeature"
    assert [entry["event"] for entry in exported["undeliverable_address"]] == ["bounced"]
    assert len(exported["photo_submissions"]) == 1

    data_rights.erase_data(SENDER)

    assert not UndeliverableAddress.objects.exists()
    message = InboundMessage.objects.get()
    assert (message.sender, message.message_id) == ("", "")
    assert data_rights.export(SENDER)["photo_emails"] == []
