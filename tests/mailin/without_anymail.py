"""Run by test_without_anymail.py in an interpreter that refuses to import anymail."""

import sys

from django.core import mail

from tests.mailin.messages import photo_email, small_jpeg
from wagtail_iln.mailin import inbound
from wagtail_iln.mailin.handling import handle_message
from wagtail_iln.models import PhotoSubmission


def test_mail_is_handled_and_nothing_of_anymail_is_imported(
    campaign, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_ILN = {"MAIL_SITE_URL": "https://iln.example.org"}
    assert not inbound.enabled()

    with django_capture_on_commit_callbacks(execute=True):
        handle_message(photo_email(small_jpeg(1)))

    assert PhotoSubmission.objects.get().awaits_sender
    assert len(mail.outbox) == 1
    assert not any(name == "anymail" or name.startswith("anymail.") for name in sys.modules)
