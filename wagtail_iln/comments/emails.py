"""E-mails about comments, sent through the task layer after commit."""

from ..mail import email_task, enqueue_after_commit, seal, send, unseal


@email_task
def send_comment_email(kind, sealed_to, language, context):
    """Send one e-mail; ``context`` holds plain values (titles, names, absolute URLs).

    The address is sealed: a comment forgets its author's address when it is
    moderated, so no record is left to look it up in.
    """
    headers = {}
    if context.get("unsubscribe_url"):
        # Mail clients offer a one-click unsubscribe (RFC 8058).
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    send(
        f"wagtail_iln/comments/emails/{kind}",
        context,
        to=[unseal(sealed_to)],
        language=language,
        headers=headers,
    )


def send_after_commit(kind, to, language, **context):
    enqueue_after_commit(send_comment_email, kind, seal(to), language, context)
