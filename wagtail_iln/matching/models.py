"""A run of the matching engine over a round."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..programme.choices import MatchingRunStatus, RoundJobKind
from ..programme.models import Round


class MatchingRun(models.Model):
    """Background work on a round: a run of the matching engine, publishing, or an import.

    One at a time per round (``runs.running_run``); the admin shows its progress.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="matching_runs"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=RoundJobKind.choices, default=RoundJobKind.MATCH
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MatchingRunStatus.choices,
        default=MatchingRunStatus.QUEUED,
    )
    # From 0 to 1 while the engine works.
    progress = models.FloatField(_("progress"), default=0.0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The weights the run used, and what it found: overall figures, and the
    # enrolments left unmatched with the reason ([{"enrolment": id, "key": ..., "params": {...}}]).
    weights = models.JSONField(_("weights"), default=dict, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    unmatched = models.JSONField(_("unmatched"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # An import's CSV file while it waits for the worker; emptied once imported.
    payload = models.BinaryField(_("file"), blank=True, default=b"", editable=False)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return _("Matching of %(round)s, %(when)s") % {
            "round": self.round,
            "when": self.created_at.strftime("%Y-%m-%d %H:%M"),
        }

    @property
    def in_progress(self):
        return self.status in (MatchingRunStatus.QUEUED, MatchingRunStatus.RUNNING)
