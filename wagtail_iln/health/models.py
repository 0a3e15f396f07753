"""What partners answer to check-ins, and which e-mails a partnership was sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import parent_field, participant_field, unique
from ..programme.choices import CheckInAnswer, PartnershipEmailKind
from ..programme.models import Partnership


class CheckIn(models.Model):
    """A partner's answer to a check-in e-mail: have the partners been in touch?"""

    partnership = parent_field(Partnership, _("partnership"), "check_ins")
    participant = participant_field("check_ins")
    # The check-in period the answer is for: 0 for the first fortnight of the
    # partnership, 1 for the second, and so on.
    period = models.PositiveIntegerField(_("period"))
    answer = models.CharField(_("answer"), max_length=16, choices=CheckInAnswer.choices)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at", "-pk"]
        constraints = [
            unique(
                "partnership", "participant", "period", name="wagtail_iln_checkin_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_answer_display()}"


class PartnershipEmail(models.Model):
    """A kind of e-mail sent to a partnership's members, once per period.

    The unique constraint is what makes sending idempotent: a command or an
    admin action claims the row before it queues the e-mails.
    """

    partnership = parent_field(Partnership, _("partnership"), "emails")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnershipEmailKind.choices)
    period = models.PositiveIntegerField(_("period"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("partnership e-mail")
        verbose_name_plural = _("partnership e-mails")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            unique("partnership", "kind", "period", name="wagtail_iln_partnership_email_once")
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_kind_display()} ({self.period})"
