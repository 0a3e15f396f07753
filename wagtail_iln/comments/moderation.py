"""Approving, rejecting and marking comments as spam; telling the people concerned."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .emails import send_after_commit
from .models import Comment, CommentSubscription, email_hash

SUBSCRIPTION_SALT = "wagtail_iln.comments.subscription"


def subscription_token(subscription):
    return signing.dumps(subscription.pk, salt=SUBSCRIPTION_SALT)


def _absolute(page, path):
    return page.get_site().root_url + path


def notify_subscribers(comment):
    """Tell the confirmed subscribers of the thread, except the author, of a new comment."""
    page = comment.page.specific
    subscriptions = CommentSubscription.objects.filter(
        thread_key=comment.thread_key, confirmed_at__isnull=False
    ).exclude(email_hash=comment.email_hash)
    for subscription in subscriptions:
        token = subscription_token(subscription)
        send_after_commit(
            "new_comment",
            subscription.email,
            subscription.language,
            page_title=page.title,
            author=comment.name,
            comment_url=f"{page.get_full_url()}#comment-{comment.pk}",
            unsubscribe_url=_absolute(
                page, reverse("wagtail_iln:comment_unsubscribe", args=[token])
            ),
        )


def subscribe(comment, email):
    """Ask the author to confirm they want to hear of new comments in the thread."""
    subscription, _ = CommentSubscription.objects.get_or_create(
        thread_key=comment.thread_key,
        email_hash=email_hash(email),
        defaults={"email": email, "language": comment.language},
    )
    if subscription.confirmed_at is None:
        page = comment.page.specific
        token = subscription_token(subscription)
        send_after_commit(
            "confirm_subscription",
            email,
            comment.language,
            page_title=page.title,
            confirm_url=_absolute(page, reverse("wagtail_iln:comment_confirm", args=[token])),
        )
    return subscription


def _moderate(comment, user, status):
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == status:
            return comment, False
        comment.status = status
        comment.moderated_at = timezone.now()
        comment.moderated_by = user
        author_email, comment.email = comment.email, ""
        comment.save()
        if status == Comment.Status.APPROVED:
            if author_email:
                page = comment.page.specific
                send_after_commit(
                    "approved",
                    author_email,
                    comment.language,
                    page_title=page.title,
                    comment_url=f"{page.get_full_url()}#comment-{comment.pk}",
                )
            notify_subscribers(comment)
    return comment, True


def approve(comment, user):
    """Show a comment; approving it again changes nothing. Returns whether this call did."""
    return _moderate(comment, user, Comment.Status.APPROVED)[1]


def reject(comment, user):
    return _moderate(comment, user, Comment.Status.REJECTED)[1]


def mark_spam(comment, user):
    return _moderate(comment, user, Comment.Status.SPAM)[1]


def erase_commenter(email, anonymise=False):
    """Remove a person's comments, or keep them without their name; forget their address.

    Returns the number of comments removed or anonymised.
    """
    digest = email_hash(email)
    comments = Comment.objects.filter(email_hash=digest)
    CommentSubscription.objects.filter(email_hash=digest).delete()
    if anonymise:
        return comments.update(name="", email="", email_hash="")
    count = comments.count()
    comments.delete()
    return count
