"""E-mails about comments, sent through the task layer after commit.

Tasks carry ids: the address is read from the record when the task runs.
"""

from ..mail import email_task, enqueue_after_commit, send


def _headers(context):
    if not context.get("unsubscribe_url"):
        return {}
    # Mail clients offer a one-click unsubscribe (RFC 8058).
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@email_task
def send_subscription_email(subscription_id, kind, context):
    """Send one e-mail to a thread's subscriber; ``context`` holds titles, names, absolute URLs."""
    from .models import CommentSubscription

    subscription = CommentSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:  # unsubscribed or erased since
        return
    if kind == "confirm_subscription" and subscription.confirmed_at is not None:
        return  # confirmed already: nothing to ask
    send(
        f"wagtail_iln/comments/emails/{kind}",
        context,
        to=[subscription.email],
        language=subscription.language,
        headers=_headers(context),
    )


@email_task
def send_author_email(comment_id, kind, context):
    """Tell a comment's author what became of it, then forget their address.

    The comment keeps its author's address only until this e-mail has been sent.
    """
    from .models import Comment

    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or not comment.email:
        return
    send(
        f"wagtail_iln/comments/emails/{kind}",
        context,
        to=[comment.email],
        language=comment.language,
    )
    # No page shows the address: the cached thread stays as it is.
    Comment.objects.filter(pk=comment_id).update_unseen(email="")


def send_to_subscriber_after_commit(subscription, kind, **context):
    enqueue_after_commit(send_subscription_email, subscription.pk, kind, context)


def send_to_author_after_commit(comment, kind, **context):
    enqueue_after_commit(send_author_email, comment.pk, kind, context)
