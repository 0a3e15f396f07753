"""Photos sent by e-mail: each message handled once, and the photos it brought."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..fields import language_field, optional_link_field, parent_field, unique


class InboundMessage(models.Model):
    """One e-mail read from the mailbox or received through a webhook, recorded once.

    ``key`` is the SHA-256 of the message's Message-ID (of its bytes when it has
    none): a message seen again, after a crash or a second delivery, is not handled twice.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("e-mail outcome", "photos received")
        REFUSED = "refused", pgettext_lazy("e-mail outcome", "refused")
        IGNORED = "ignored", pgettext_lazy("e-mail outcome", "ignored")
        MALFORMED = "malformed", pgettext_lazy("e-mail outcome", "unreadable")

    key = models.CharField(max_length=64, unique=True, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.EmailField(_("sender"), blank=True)
    campaign = optional_link_field("wagtail_iln.PhotoCampaign", _("campaign"))
    language = language_field(blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    # What the reply tells about each refused attachment: [{"name": ..., "reason": ...}],
    # the reason already in the sender's language.
    refusals = models.JSONField(_("refused attachments"), default=list, blank=True)
    # Why the whole message was refused or ignored (a code, see ``handling.REASONS``).
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail received")
        verbose_name_plural = _("e-mails received")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.message_id or self.key


class MailedPhoto(models.Model):
    """A photo that came in an e-mail: pending until its sender confirms it."""

    message = parent_field(InboundMessage, _("e-mail"), "photos")
    submission = parent_field(
        "wagtail_iln.PhotoSubmission",
        _("photo submission"),
        "mailed",
        field_class=models.OneToOneField,
    )
    position = models.PositiveSmallIntegerField(_("position in the e-mail"))

    class Meta:
        verbose_name = _("photo sent by e-mail")
        verbose_name_plural = _("photos sent by e-mail")
        constraints = [unique("message", "position", name="wagtail_iln_mailed_photo_once")]

    def __str__(self):
        return str(self.submission)
