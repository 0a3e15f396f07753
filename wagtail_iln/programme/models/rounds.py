"""A round of the programme: its dates, status and matching weights, in every language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin

from ...fields import status_field
from ...per_request import LocalizedMixin
from ...tracking import TrackedModel
from ..choices import (
    RoundStatus,
)

# Copied to every translation of a round whenever one of them is saved, with
# or without wagtail-localize: a round's dates and status are the same in all
# languages.


# A round moves through these steps in this order, never back.
STATUS_ORDER = list(RoundStatus.values)


def round_status(round, now=None):
    """The step ``round`` is at now: what its dates say, or further if the coordinators went on.

    By the dates: *planning* until applications open, *applications open*
    until they close, *matching* after that, *closed* once the end date has
    passed. ``Round.status`` holds the furthest step the coordinators moved it
    to (publishing its partnerships makes it *running*); the round is at the
    later of the two. Everything that shows or acts on a round's step asks
    this function: the admin, the public pages, the blocks.
    """
    now = now or timezone.now()
    if round.ends_on and round.ends_on < timezone.localdate(now):
        return RoundStatus.CLOSED
    by_dates = RoundStatus.PLANNING
    opens, closes = round.applications_open_at, round.applications_close_at
    if opens is not None and now >= opens:
        by_dates = RoundStatus.APPLICATIONS_OPEN
    if closes is not None and now >= closes:
        by_dates = RoundStatus.MATCHING
    stored = round.status if round.status in STATUS_ORDER else RoundStatus.PLANNING
    return RoundStatus(max(stored, by_dates, key=STATUS_ORDER.index))


ROUND_SYNCHRONISED_FIELDS = [
    "applications_open_at",
    "applications_close_at",
    "starts_on",
    "ends_on",
    "status",
    "matching_weights",
]


class Round(LocalizedMixin, TranslatableMixin, TrackedModel):
    """One run of the programme: people apply, are matched, and meet for a few months."""

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    applications_open_at = models.DateTimeField(_("applications open at"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close at"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = status_field(
        RoundStatus,
        RoundStatus.PLANNING,
        max_length=32,
        db_index=True,
        help_text=_(
            "The round moves on by itself: applications open and close with their dates, "
            "it runs once its partnerships are published and closes after its end date. "
            "Choose a later step to move it on sooner."
        ),
    )
    # Weights of the matching preferences for this round, by
    # wagtail_iln.matching.Weights field name; missing ones take the site's defaults.
    matching_weights = models.JSONField(
        _("matching weights"), default=dict, blank=True, editable=False
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("applications_open_at"), FieldPanel("applications_close_at")]
                )
            ],
            heading=_("Applications"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])],
            heading=_("Partnerships meet"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-starts_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def current_status(self):
        """The step the round is at now (:func:`round_status`)."""
        return round_status(self)

    def get_current_status_display(self):
        return RoundStatus(self.current_status).label

    get_current_status_display.short_description = _("status")

    def move_to(self, status):
        """Record that the coordinators took the round to ``status`` (in every translation).

        A round never goes back: an earlier step than the one recorded changes nothing.
        """
        if STATUS_ORDER.index(status) <= STATUS_ORDER.index(self.status):
            return
        self.status = status
        Round.objects.filter(translation_key=self.translation_key).update(status=status)

    def next_round(self):
        """The next round to take applications after this one, in the active language, or None."""
        after = max(self.applications_close_at or timezone.now(), timezone.now())
        found = (
            Round.objects.filter(applications_open_at__gte=after)
            .exclude(translation_key=self.translation_key)
            .order_by("applications_open_at", "pk")
            .first()
        )
        return found.localized if found is not None else None

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Round.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).update(
            **{name: getattr(self, name) for name in ROUND_SYNCHRONISED_FIELDS}
        )

    def clean(self):
        super().clean()
        errors = {}
        opens, closes = self.applications_open_at, self.applications_close_at
        if opens and closes and closes <= opens:
            errors["applications_close_at"] = _("Applications must close after they open.")
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("A round must end after it starts.")
        stored = Round.objects.filter(pk=self.pk).first() if self.pk else None
        # An unknown status is refused by the field's own check.
        if stored is not None and self.status != stored.status and self.status in STATUS_ORDER:
            # A step chosen before the one the round is at would be saved and change nothing.
            current = round_status(stored)
            if STATUS_ORDER.index(self.status) < STATUS_ORDER.index(current):
                errors["status"] = _(
                    "A round never goes back to an earlier step: it is at “%(status)s” now."
                ) % {"status": RoundStatus(current).label}
        if errors:
            raise ValidationError(errors)
