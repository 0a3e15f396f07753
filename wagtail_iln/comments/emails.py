"""E-mails about comments, sent through the task layer after commit."""

from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_comment_email(kind, to, language, context):
    """Send one e-mail; ``context`` holds plain values (titles, names, absolute URLs)."""
    with translation.override(language):
        subject = render_to_string(f"wagtail_iln/comments/emails/{kind}_subject.txt", context)
        body = render_to_string(f"wagtail_iln/comments/emails/{kind}_body.txt", context)
    headers = {}
    if context.get("unsubscribe_url"):
        # Mail clients offer a one-click unsubscribe (RFC 8058).
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    EmailMessage(" ".join(subject.split()), body, to=[to], headers=headers).send()


def send_after_commit(kind, to, language, **context):
    transaction.on_commit(partial(send_comment_email.enqueue, kind, to, language, context))
