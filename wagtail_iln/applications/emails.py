"""E-mails about applications to a round, sent through the task layer after commit."""

import datetime

from ..conf import get_setting
from ..mail import email_task, enqueue_after_commit, send


@email_task
def send_application_email(application_id, kind, links):
    """Send one kind of e-mail to an applicant, in the language of the page they applied on."""
    from .models import Application

    application = Application.objects.select_related("round").filter(pk=application_id).first()
    if application is None:
        return
    context = {
        "application": application,
        "round": application.round,
        "name": application.data.get("name", ""),
        "expires_at": application.created_at
        + datetime.timedelta(days=get_setting("APPLICATION_CONFIRM_DAYS")),
        **links,
    }
    send(
        f"wagtail_iln/applications/emails/{kind}",
        context,
        to=[application.email],
        language=application.language,
    )


def send_after_commit(application, kind, **links):
    """Queue an e-mail once the current transaction has committed."""
    enqueue_after_commit(send_application_email, application.pk, kind, links)
