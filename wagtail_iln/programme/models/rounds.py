"""A round of the programme: its dates, status and matching weights, in every language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin

from ...fragments import TrackedModel
from ..choices import (
    RoundStatus,
)

# Copied to every translation of a round whenever one of them is saved, with
# or without wagtail-localize: a round's dates and status are the same in all
# languages.


ROUND_SYNCHRONISED_FIELDS = [
    "applications_open_at",
    "applications_close_at",
    "starts_on",
    "ends_on",
    "status",
    "matching_weights",
]


class Round(TranslatableMixin, TrackedModel):
    """One run of the programme: people apply, are matched, and meet for a few months."""

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    applications_open_at = models.DateTimeField(_("applications open at"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close at"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=RoundStatus.choices,
        default=RoundStatus.PLANNING,
        db_index=True,
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
        if errors:
            raise ValidationError(errors)
