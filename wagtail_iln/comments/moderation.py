"""Approving, rejecting and marking comments as spam; telling the people concerned."""

from django.core import signing
from django.urls import reverse

from ..moderation.service import Moderation, Transition
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
            page = comment.page.specific
            send_after_commit(
                "approved",
                comment.email,
                comment.language,
                page_title=page.title,
                comment_url=f"{page.get_full_url()}#comment-{comment.pk}",
            )
        notify_subscribers(comment)
        self.forget_author(comment)

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
