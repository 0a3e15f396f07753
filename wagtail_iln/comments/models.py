import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..conf import get_setting
from ..fields import account_field, language_field, parent_field, unique
from ..moderation.models import ModeratedModel
from ..tracking import TrackedQuerySet


def email_hash_keys():
    """The keys an address may have been hashed with; new hashes use the first.

    ``WAGTAIL_ILN["EMAIL_HASH_KEY"]`` when set, then keys derived from
    ``SECRET_KEY`` and each of ``SECRET_KEY_FALLBACKS``: hashes made before the
    dedicated key was set, or before ``SECRET_KEY`` was rotated, are still found
    while the old key is a fallback.
    """
    keys = []
    dedicated = get_setting("EMAIL_HASH_KEY")
    if dedicated:
        keys.append(f"wagtail_iln.comments.email_hash:{dedicated}".encode())
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        keys.append(f"wagtail_iln.comments:{secret}".encode())
    return keys


def _hash(key, email):
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def email_hash(email):
    """A keyed hash of an address: enough to recognise a commenter, not to write to them."""
    return _hash(email_hash_keys()[0], email)


def email_hashes(email):
    """Every hash ``email`` may be stored under (see ``email_hash_keys``), for lookups."""
    return list(dict.fromkeys(_hash(key, email) for key in email_hash_keys()))


class CommentQuerySet(TrackedQuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def in_thread(self, page):
        """The comments of a page and of all its translations: one thread."""
        return self.filter(thread_key=page.translation_key)


def thread_scope(thread_key, status):
    """The comments of a thread in ``status``, as fragments name them."""
    return f"thread:{thread_key}:{str(status)}"


class Comment(ModeratedModel):
    """A comment in the open discussion of a topic, moderated before it is shown."""

    # A save makes stale only the threads that show its thread's comments in its
    # status: a held comment leaves the cached thread as it was.
    fragment_scope_fields = ("thread_key", "status")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("comment status", "pending")
        APPROVED = "approved", pgettext_lazy("comment status", "approved")
        REJECTED = "rejected", pgettext_lazy("comment status", "rejected")
        SPAM = "spam", pgettext_lazy("comment status", "spam")

    class HeldReason(models.TextChoices):
        NONE = "", _("not held")
        FIRST_TIME = "first_time", _("new commenter, or address not confirmed in this browser")
        FIRST_FROM_ACCOUNT = "first_account", _("first comment from this account")
        LINKS = "links", _("too many links")
        BLOCKLIST = "blocklist", _("matches the blocklist")
        SPAM_CHECKER = "spam_checker", _("a spam checker flagged it")

    thread_key = models.UUIDField(db_index=True, editable=False)
    page = parent_field("wagtailcore.Page", _("page"))
    language = language_field()
    parent = parent_field("self", _("in reply to"), "replies", null=True, blank=True)
    name = models.CharField(_("name"), max_length=80)
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    # Kept only until the author has been told the outcome of moderation.
    email = models.EmailField(_("e-mail address"), blank=True)
    body = models.TextField(_("comment"))
    # A comment posted by a reader signed in through a sign-in provider (django-allauth).
    user = account_field(_("account"))
    account_provider = models.CharField(_("signed in with"), max_length=80, blank=True)
    held_reason = models.CharField(
        _("why it was held"), max_length=16, choices=HeldReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", _("Can moderate comments"))]

    def __str__(self):
        return self.body[:60]

    def fragment_scope(self, values):
        return thread_scope(values["thread_key"], values["status"])


class CommentSubscription(models.Model):
    """Someone who asked to be told of new comments in a thread, once they confirm."""

    thread_key = models.UUIDField(db_index=True)
    email = models.EmailField(_("e-mail address"))
    email_hash = models.CharField(max_length=64, db_index=True)
    language = language_field()
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment subscription")
        verbose_name_plural = _("comment subscriptions")
        constraints = [unique("thread_key", "email_hash", name="wagtail_iln_one_subscription")]

    def __str__(self):
        return str(self.thread_key)


class BlockedAccount(models.Model):
    """An account a moderator stopped from commenting: its comments are refused."""

    user = parent_field(settings.AUTH_USER_MODEL, _("account"), field_class=models.OneToOneField)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    blocked_at = models.DateTimeField(_("blocked at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("blocked account")
        verbose_name_plural = _("blocked accounts")

    def __str__(self):
        return str(self.user)
