"""Which comments are held for moderation, and which are spam."""

from django.utils.module_loading import import_string

from ..conf import get_setting
from .commenters import has_proved
from .models import Comment, email_hashes
from .rendering import count_links


def is_blocklisted(comment):
    text = " ".join([comment.name, comment.body, comment.email]).lower()
    return any(
        entry.strip().lower() in text for entry in get_setting("COMMENT_BLOCKLIST") if entry.strip()
    )


def flagged_by_spam_checker(comment, request):
    return any(
        import_string(path)(comment, request) for path in get_setting("COMMENT_SPAM_CHECKERS")
    )


def is_trusted(comment, request):
    """Whether ``comment`` may be shown at once: its author proved the address, which has a past.

    The address must have an approved comment, and the author must have proved
    it is theirs (``commenters.has_proved``): typing someone's address is not
    enough. The history is looked up only for a proven address, so the work
    done says nothing about an address someone merely typed.
    """
    if comment.user_id is not None:
        # Trust belongs to the account: its first comment is held, later ones shown.
        return Comment.objects.approved().filter(user_id=comment.user_id).exists()
    if not has_proved(request, comment.email):
        return False
    return Comment.objects.approved().filter(email_hash__in=email_hashes(comment.email)).exists()


def decide(comment, request):
    """Set the status of a new comment, and why it was held."""
    Status, Held = Comment.Status, Comment.HeldReason
    if is_blocklisted(comment):
        comment.status, comment.held_reason = Status.SPAM, Held.BLOCKLIST
    elif flagged_by_spam_checker(comment, request):
        comment.status, comment.held_reason = Status.SPAM, Held.SPAM_CHECKER
    elif count_links(comment.body) > get_setting("COMMENT_MAX_LINKS"):
        comment.status, comment.held_reason = Status.PENDING, Held.LINKS
    elif not is_trusted(comment, request):
        first = Held.FIRST_FROM_ACCOUNT if comment.user_id is not None else Held.FIRST_TIME
        comment.status, comment.held_reason = Status.PENDING, first
    else:
        comment.status, comment.held_reason = Status.APPROVED, Held.NONE
    return comment
