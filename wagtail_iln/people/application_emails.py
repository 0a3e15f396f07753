"""E-mails about applications to a round, sent through the task layer after commit."""

import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from ..conf import get_setting


@task()
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
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"wagtail_iln/people/emails/{kind}_subject.txt", context)
        body = render_to_string(f"wagtail_iln/people/emails/{kind}_body.txt", context)
    # A subject is one line, whatever was typed into the form.
    send_mail(" ".join(subject.split()), body, None, [application.email])


def send_after_commit(application, kind, **links):
    """Queue an e-mail once the current transaction has committed."""
    transaction.on_commit(partial(send_application_email.enqueue, application.pk, kind, links))
