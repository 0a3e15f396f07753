"""The sender of e-mailed photos confirms them through the signed link of the reply."""

import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from tests.helpers import make_user
from tests.mailin.messages import SENDER, photo_email, small_jpeg
from wagtail_iln.mailin.emails import CONFIRM_SALT, confirm_token
from wagtail_iln.mailin.handling import handle_message
from wagtail_iln.models import InboundMessage, PhotoSubmission
from wagtail_iln.moderation.service import ModerationError
from wagtail_iln.photos.moderation import approve, photo_moderation


@pytest.fixture
def receive(django_capture_on_commit_callbacks, settings):
    settings.WAGTAIL_ILN = {"MAIL_SITE_URL": "https://iln.example.org"}

    def run(raw):
        with django_capture_on_commit_callbacks(execute=True):
            return handle_message(raw)

    return run


def link_in(reply):
    return re.search(r"https://iln\.example\.org(/iln/photos/confirm/[^/\s]+/)", reply.body)[1]


def answer(client, url, **data):
    response = client.post(url, data) if data else client.get(url)
    return response, BeautifulSoup(response.content, "html.parser")


def test_the_sender_gives_name_licence_and_consent_then_moderators_are_told(
    client, campaign, receive, django_capture_on_commit_callbacks
):
    receive(photo_email(small_jpeg(1), small_jpeg(2)))
    url = link_in(mail.outbox.pop())

    response, page = answer(client, url)
    assert response.status_code == 200
    assert len(page.select(".iln-mail-confirm__photos li")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response, page = answer(
            client, url, credit_name="Ana Pérez", licence="cc-by-4.0", consent="on"
        )

    assert response.status_code == 200
    assert "Your photos are confirmed" in page.get_text()
    for submission in PhotoSubmission.objects.all():
        assert submission.credit_name == "Ana Pérez"
        assert submission.licence == "cc-by-4.0"
        assert not submission.awaits_sender
        assert submission.status == PhotoSubmission.Status.PENDING
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("ana@example.org",)] * 2 + [("moderator@example.org",)] * 2


def test_a_photo_cannot_be_approved_before_its_sender_confirms(campaign, receive, admin_user):
    receive(photo_email(small_jpeg(3)))
    submission = PhotoSubmission.objects.get()

    assert not photo_moderation.allows(submission, "approve")
    with pytest.raises(ModerationError, match="has not confirmed it yet"):
        approve(submission, admin_user)
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.image is None


def test_the_moderation_queue_offers_no_approval_before_confirmation(
    client, campaign, receive, django_user_model
):
    moderator = make_user(django_user_model, "moderator", "moderate_photosubmission")
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    receive(photo_email(small_jpeg(4)))
    submission = PhotoSubmission.objects.get()

    response = client.get(reverse("wagtail_iln_photos:inspect", args=[submission.pk]))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("[data-iln-approve-form]") is None
    assert page.select_one("[data-iln-reject-form]") is not None
    assert "has not confirmed it yet" in page.select_one("[data-iln-awaits-sender]").get_text()


def test_a_form_with_errors_is_shown_again_and_changes_nothing(client, campaign, receive):
    receive(photo_email(small_jpeg(5)))
    url = link_in(mail.outbox.pop())

    response, page = answer(client, url, credit_name="Ana", licence="all-rights-reserved")

    assert response.status_code == 400
    assert page.select(".iln-field__error")
    assert PhotoSubmission.objects.get().awaits_sender
    assert InboundMessage.objects.get().confirmed_at is None


def test_a_french_sender_gets_the_page_in_french(client, campaign, receive):
    receive(photo_email(small_jpeg(6), language="fr"))
    url = link_in(mail.outbox.pop())

    response, page = answer(client, url)

    assert "Confirmer mes photos" in page.get_text()


def test_confirming_again_changes_nothing(
    client, campaign, receive, django_capture_on_commit_callbacks
):
    receive(photo_email(small_jpeg(7)))
    url = link_in(mail.outbox.pop())
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, url, credit_name="Ana", licence="cc-by-4.0", consent="on")
    confirmed = InboundMessage.objects.get().confirmed_at
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response, page = answer(client, url, credit_name="Mallory", licence="cc0-1.0", consent="on")

    assert response.status_code == 200
    assert "Your photos are confirmed" in page.get_text()
    submission = PhotoSubmission.objects.get()
    assert (submission.credit_name, submission.licence) == ("Ana", "cc-by-4.0")
    assert InboundMessage.objects.get().confirmed_at == confirmed
    assert mail.outbox == []


def assert_refused_link(client, url, text):
    for response, page in (answer(client, url), answer(client, url, credit_name="X", consent="on")):
        assert response.status_code == 400
        assert text in page.select_one("[role=alert]").get_text()
    assert all(submission.awaits_sender for submission in PhotoSubmission.objects.all())
    assert InboundMessage.objects.filter(confirmed_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps(1, salt="wagtail_iln.photos.withdraw"),  # another link's signature
        signing.dumps("1", salt=CONFIRM_SALT),  # signed, but not an id
        signing.dumps(999_999, salt=CONFIRM_SALT),  # no such message
    ],
    ids=["forged", "other link", "not an id", "unknown message"],
)
def test_a_forged_link_is_refused_and_changes_nothing(client, campaign, receive, token):
    receive(photo_email(small_jpeg(8)))
    url = reverse("wagtail_iln:mail_photo_confirm", args=[token])
    assert_refused_link(client, url, "This link is not valid.")


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "This link has expired."), ("es", "Este enlace ha caducado.")],
)
def test_an_expired_link_is_refused_in_the_senders_language(
    client, campaign, receive, language, text
):
    receive(photo_email(small_jpeg(9), language=language))
    url = link_in(mail.outbox.pop())
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        assert_refused_link(client, url, text)


def test_a_link_confirms_its_own_email_and_no_other(
    client, campaign, receive, django_capture_on_commit_callbacks
):
    receive(photo_email(small_jpeg(10), sender="ana@example.org"))
    receive(photo_email(small_jpeg(11), sender="mallory@example.org"))
    mallorys = InboundMessage.objects.get(sender="mallory@example.org")
    url = reverse("wagtail_iln:mail_photo_confirm", args=[confirm_token(mallorys.pk)])

    with django_capture_on_commit_callbacks(execute=True):
        answer(client, url, credit_name="Mallory", licence="cc0-1.0", consent="on")

    anas = PhotoSubmission.objects.get(email="ana@example.org")
    assert anas.awaits_sender and anas.credit_name == ""


def test_a_forged_sender_never_gets_the_link(campaign, receive):
    """Mallory sends a photo as Ana, asking for answers at his own address: the link goes to
    Ana only, and her confirming is her choice."""
    receive(
        photo_email(
            small_jpeg(12),
            sender=SENDER,
            headers={"Reply-To": "mallory@example.org", "Sender": "mallory@example.org"},
        )
    )

    [reply] = mail.outbox
    assert reply.to == [SENDER]
    assert "mallory" not in str(reply.message())
    assert PhotoSubmission.objects.get().email == SENDER


def test_a_withdrawn_photo_leaves_nothing_to_confirm(client, campaign, receive):
    from wagtail_iln.photos.moderation import withdraw

    receive(photo_email(small_jpeg(13)))
    url = link_in(mail.outbox.pop())
    withdraw(PhotoSubmission.objects.get())

    response, page = answer(client, url, credit_name="Ana", licence="cc-by-4.0", consent="on")

    assert "There is no photo left to confirm" in page.get_text()
    assert PhotoSubmission.objects.get().status == PhotoSubmission.Status.WITHDRAWN
