"""E-mails about photo submissions, sent through the task layer after commit."""

from django.conf import settings

from ..mail import email_task, enqueue_after_commit, send

EMAIL_KINDS = ("received", "confirmation", "approved", "rejected")


@email_task
def send_photo_email(submission_id, kind, links):
    """Send one kind of e-mail about a submission; ``links`` holds absolute URLs."""
    from .models import PhotoSubmission

    submission = PhotoSubmission.objects.select_related("campaign").filter(pk=submission_id).first()
    if submission is None:
        return
    if kind == "received":
        recipients = submission.campaign.moderator_emails
        language = settings.LANGUAGE_CODE
    else:
        recipients = [submission.email]
        language = submission.language
    send(
        f"wagtail_iln/photos/emails/{kind}",
        {"submission": submission, "campaign": submission.campaign, **links},
        to=recipients,
        language=language,
    )


def send_after_commit(submission, kind, **links):
    """Queue an e-mail once the current transaction has committed."""
    enqueue_after_commit(send_photo_email, submission.pk, kind, links)
