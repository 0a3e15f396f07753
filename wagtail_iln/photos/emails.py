"""E-mails about photo submissions, sent through the task layer after commit."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

EMAIL_KINDS = ("received", "confirmation", "approved", "rejected")


def _render(kind, context):
    subject = render_to_string(f"wagtail_iln/photos/emails/{kind}_subject.txt", context)
    body = render_to_string(f"wagtail_iln/photos/emails/{kind}_body.txt", context)
    # A subject is one line, whatever was typed into the form.
    return " ".join(subject.split()), body


@task()
def send_photo_email(submission_id, kind, links):
    """Send one kind of e-mail about a submission; ``links`` holds absolute URLs."""
    from .models import PhotoSubmission

    submission = PhotoSubmission.objects.select_related("campaign").get(pk=submission_id)
    context = {"submission": submission, "campaign": submission.campaign, **links}
    if kind == "received":
        recipients = submission.campaign.moderator_emails
        language = settings.LANGUAGE_CODE
    else:
        recipients = [submission.email]
        language = submission.language
    if not recipients:
        return
    with translation.override(language):
        subject, body = _render(kind, context)
    send_mail(subject, body, None, recipients)


def send_after_commit(submission, kind, **links):
    """Queue an e-mail once the current transaction has committed."""
    transaction.on_commit(partial(send_photo_email.enqueue, submission.pk, kind, links))
