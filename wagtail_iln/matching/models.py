"""A run of the matching engine over a round."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import account_field, parent_field, status_field
from ..programme.choices import MatchingRunStatus, RoundJobKind
from ..programme.models import Round

# How much further a job must have gone before its progress is written again.
PROGRESS_STEP = 0.05


class MatchingRun(models.Model):
    """Background work on a round: a run of the matching engine, publishing, or an import.

    One at a time per round (``runs.running_run``); the admin shows its progress.
    """

    round = parent_field(Round, _("round"), "matching_runs")
    kind = models.CharField(
        _("kind"), max_length=16, choices=RoundJobKind.choices, default=RoundJobKind.MATCH
    )
    status = status_field(MatchingRunStatus, MatchingRunStatus.QUEUED)
    # From 0 to 1 while the engine works.
    progress = models.FloatField(_("progress"), default=0.0)
    requested_by = account_field(_("requested by"))
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

    # The life of a job in the task worker: claimed once, its progress written as it
    # goes, then finished or failed. Each is one UPDATE, so a job another worker holds
    # or a page that reads the progress never waits for a lock.

    @classmethod
    def claim(cls, pk, kind):
        """The queued job ``pk`` of ``kind``, now running; None when it is not queued (any more)."""
        claimed = cls.objects.filter(pk=pk, kind=kind, status=MatchingRunStatus.QUEUED).update(
            status=MatchingRunStatus.RUNNING, started_at=timezone.now(), progress=0.0
        )
        return cls.objects.select_related("round").get(pk=pk) if claimed else None

    def progress_writer(self, step=PROGRESS_STEP):
        """A callable writing the job's progress (0 to 1) each time it has gone ``step`` further.

        1.0 is left to the end of the job, written with its results.
        """
        written = 0.0

        def write(fraction):
            nonlocal written
            if fraction < 1.0 and fraction - written >= step:
                type(self).objects.filter(pk=self.pk).update(progress=fraction)
                written = fraction

        return write

    def finish(self, status=MatchingRunStatus.FINISHED, **fields):
        type(self).objects.filter(pk=self.pk).update(
            status=status, progress=1.0, finished_at=timezone.now(), **fields
        )

    def fail(self, error, **fields):
        type(self).objects.filter(pk=self.pk).update(
            status=MatchingRunStatus.FAILED, finished_at=timezone.now(), error=error, **fields
        )
