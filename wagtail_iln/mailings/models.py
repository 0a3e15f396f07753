"""A topic sent by e-mail: the job, who received it, and who asked for no more."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import language_field, parent_field, participant_field, status_field, unique
from ..programme.choices import MatchingRunStatus


class TopicMailing(models.Model):
    """Sending one topic (every translation of it) to the participants of its round.

    One per topic: publishing it again, or publishing a translation, sends nothing more.
    """

    # The topic's translation_key: one mailing for all its translations.
    topic_key = models.UUIDField(_("topic"), unique=True, editable=False)
    topic = parent_field("wagtail_iln.DiscussionTopicPage", _("topic"))
    status = status_field(MatchingRunStatus, MatchingRunStatus.QUEUED)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("topic mailing")
        verbose_name_plural = _("topic mailings")

    def __str__(self):
        return _("E-mails of %(topic)s") % {"topic": self.topic}

    @property
    def in_progress(self):
        return self.status in (MatchingRunStatus.QUEUED, MatchingRunStatus.RUNNING)

    @classmethod
    def claim(cls, pk):
        """The queued mailing ``pk``, now running; None when it is not queued (any more)."""
        claimed = cls.objects.filter(pk=pk, status=MatchingRunStatus.QUEUED).update(
            status=MatchingRunStatus.RUNNING, started_at=timezone.now()
        )
        return cls.objects.select_related("topic").get(pk=pk) if claimed else None

    def set(self, **fields):
        """Write ``fields`` in one UPDATE: a page reading the progress never waits for a lock."""
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            if not hasattr(value, "resolve_expression"):
                setattr(self, name, value)


class Follower(models.Model):
    """Someone who follows a discussion index by e-mail: each new topic of it is sent to them.

    Made by the public form, pending until the address is confirmed through the
    e-mailed link; the address is held until they leave or are erased.
    """

    index = parent_field("wagtail_iln.DiscussionIndexPage", _("discussion"), "followers")
    email = models.EmailField(_("e-mail address"), max_length=254)
    # The language of the page they followed from: their e-mails are written in it.
    language = language_field()
    # The hidden one-time key of the form that made it: a post sent twice makes one.
    form_key = models.UUIDField(_("form key"), unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return self.email


class TopicDelivery(models.Model):
    """One participant or follower was sent one topic: claimed in the batch that sends it."""

    mailing = parent_field(TopicMailing, _("topic mailing"), "deliveries")
    participant = participant_field("topic_deliveries", null=True, blank=True)
    follower = parent_field(Follower, _("follower"), "deliveries", null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("topic e-mail")
        verbose_name_plural = _("topic e-mails")
        constraints = [
            unique("mailing", "participant", name="wagtail_iln_topic_sent_once"),
            unique("mailing", "follower", name="wagtail_iln_topic_sent_once_to_follower"),
        ]

    def __str__(self):
        return _("%(topic)s to %(participant)s") % {
            "topic": self.mailing.topic,
            "participant": self.participant or self.follower,
        }


class TopicOptOut(models.Model):
    """A participant who asked for no more topics by e-mail."""

    participant = participant_field("topic_opt_out", field_class=models.OneToOneField)
    created_at = models.DateTimeField(_("unsubscribed at"), default=timezone.now)

    class Meta:
        verbose_name = _("topic e-mail opt-out")
        verbose_name_plural = _("topic e-mail opt-outs")

    def __str__(self):
        return str(self.participant)


class UndeliverableAddress(models.Model):
    """An address the sending service reported as bounced, rejected or complaining of spam.

    Topics and follow e-mails are not sent to it any more (recorded by
    ``mailings.bounces`` from anymail's tracking webhooks).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    event = models.CharField(_("last event"), max_length=16)
    description = models.CharField(_("description"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    events = models.PositiveIntegerField(_("events"), default=1)

    class Meta:
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")

    def __str__(self):
        return self.email
