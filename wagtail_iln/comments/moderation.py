"""Approving, rejecting and marking comments as spam; telling the people concerned."""

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from ..fragments import forget_stored_parts
from ..mail import email_task, enqueue_after_commit, send
from ..moderation.service import Moderation, Transition
from ..warming import warm_pages_after_commit
from .emails import send_to_author_after_commit, send_to_subscriber_after_commit
from .models import Comment, CommentSubscription, email_hashes

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
        send_to_subscriber_after_commit(
            subscription,
            "new_comment",
            page_title=page.title,
            author=comment.name,
            comment_url=f"{page.get_full_url()}#comment-{comment.pk}",
            unsubscribe_url=_absolute(
                page, reverse("wagtail_iln:comment_unsubscribe", args=[token])
            ),
        )


def subscribe(comment, email):
    """Ask the author of ``comment`` to confirm they want to hear of new comments in its thread.

    The same work whether the address subscribed before or not: one insert that
    does nothing when the subscription exists. The task finds out whether there
    is something to confirm.
    """
    CommentSubscription.objects.bulk_create(
        [
            CommentSubscription(
                thread_key=comment.thread_key,
                email_hash=comment.email_hash,
                email=email,
                language=comment.language,
            )
        ],
        ignore_conflicts=True,
    )
    enqueue_after_commit(send_subscription_confirmation, comment.pk)


@email_task
def send_subscription_confirmation(comment_id):
    """E-mail the author of a comment the link confirming their subscription, if unconfirmed."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or not comment.email_hash:
        return
    subscription = CommentSubscription.objects.filter(
        thread_key=comment.thread_key, email_hash=comment.email_hash, confirmed_at__isnull=True
    ).first()
    if subscription is None:  # confirmed before, or gone
        return
    page = comment.page.specific
    token = subscription_token(subscription)
    send(
        "wagtail_iln/comments/emails/confirm_subscription",
        {
            "page_title": page.title,
            "confirm_url": _absolute(page, reverse("wagtail_iln:comment_confirm", args=[token])),
        },
        to=[subscription.email],
        language=subscription.language,
    )


class CommentModeration(Moderation):
    """Any comment may be approved, rejected or marked as spam, whatever its status; once it is
    moderated its author's address is forgotten. An approved comment's author and the thread's
    subscribers are told."""

    model = Comment
    transitions = {
        "approve": Transition(Comment.Status.APPROVED),
        "reject": Transition(Comment.Status.REJECTED),
        "spam": Transition(Comment.Status.SPAM),
    }

    def forget_author(self, comment):
        comment.email = ""

    def on_approve(self, comment, user):
        if comment.email:
            # The task reads the address from the comment, then forgets it.
            page = comment.page.specific
            send_to_author_after_commit(
                comment,
                "approved",
                page_title=page.title,
                comment_url=f"{page.get_full_url()}#comment-{comment.pk}",
            )
        notify_subscribers(comment)

    def after_approve(self, comment, user):
        warm_pages_after_commit([comment.page_id])  # its thread, for the next reader

    def on_reject(self, comment, user):
        self.forget_author(comment)

    on_spam = on_reject


comment_moderation = CommentModeration()


def approve(comment, user):
    """Show a comment; approving it again changes nothing. Returns whether this call did."""
    return comment_moderation.apply(comment, "approve", user)


def reject(comment, user):
    return comment_moderation.apply(comment, "reject", user)


def mark_spam(comment, user):
    return comment_moderation.apply(comment, "spam", user)


def erase_commenter(email, anonymise=False):
    """Remove a person's comments, or keep them without their name; forget their address.

    Comments hashed with an earlier key are found too (``email_hashes``).
    Returns the number of comments removed or anonymised.
    """
    digests = email_hashes(email)
    comments = Comment.objects.filter(
        Q(email_hash__in=digests) | Q(user__email__iexact=email.strip())
    )
    CommentSubscription.objects.filter(email_hash__in=digests).delete()
    # Threads rendered with their name are kept no longer than the cache keeps them.
    transaction.on_commit(forget_stored_parts)
    if anonymise:
        return comments.update(name="", email="", email_hash="", user=None, account_provider="")
    count = comments.count()
    comments.delete()
    return count
