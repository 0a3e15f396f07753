"""Two or three enrolments of one round, working together."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from ...fields import parent_field, status_field
from ...tracking import TrackedModel
from ..choices import (
    EnrolmentStatus,
    PartnershipStatus,
)
from ..forms import PartnershipAdminForm

# Copied to every translation of a round whenever one of them is saved, with
# or without wagtail-localize: a round's dates and status are the same in all
# languages.
from .participants import Enrolment
from .rounds import Round


class Partnership(ClusterableModel, TrackedModel):
    """Two or three participants of one round who meet for the round."""

    MIN_MEMBERS = 2
    MAX_MEMBERS = 3

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="partnerships"
    )
    status = status_field(PartnershipStatus, PartnershipStatus.PROPOSED, db_index=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Set by matching: the pair's score and why (wagtail_iln.matching reason keys
    # and their values, [{"key": ..., "params": {...}}]).
    score = models.FloatField(_("score"), null=True, blank=True, editable=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True, editable=False)
    # A proposed partnership an editor fixed: running the matching again keeps it.
    pinned = models.BooleanField(
        _("kept when matching again"),
        default=False,
        help_text=_("Matching the round again keeps this partnership as it is."),
    )
    # The latest check-in saying the partners have been in touch.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("round"), FieldPanel("status"), FieldPanel("pinned")]),
        FieldRowPanel([FieldPanel("started_on"), FieldPanel("ended_on")]),
        InlinePanel(
            "members",
            label=capfirst(_("member")),
            heading=_("Members"),
            min_num=MIN_MEMBERS,
            max_num=MAX_MEMBERS,
        ),
    ]
    base_form_class = PartnershipAdminForm

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-round__starts_on", "pk"]

    @staticmethod
    def start_date(round, today=None):
        """When a partnership of ``round`` published ``today`` starts: the one rule.

        With the round, or today if the round has already started.
        """
        today = today or timezone.localdate()
        return max(round.starts_on, today) if round.starts_on else today

    def get_started_on_display(self):
        """The start date as every view and e-mail shows it: "Dec. 24, 2026", never "just now"."""
        if self.started_on is None:
            return str(_("not started"))
        return date_format(self.started_on, "DATE_FORMAT")

    get_started_on_display.short_description = _("starts on")

    def get_members_display(self):
        """The members told apart from namesakes, for the admin's lists."""
        people = [member.enrolment.participant for member in self.members.all()]
        return " & ".join(person.get_identity_display() for person in people) or str(self)

    get_members_display.short_description = _("members")

    def __str__(self):
        names = [member.enrolment.participant.name for member in self.members.all()]
        if names:
            return " & ".join(names)
        return _("partnership %(number)s") % {"number": self.pk or "-"}

    def validate_members(self, enrolments, round=None):
        """Raise ``ValidationError`` unless ``enrolments`` may be this partnership's members.

        Two or three accepted enrolments of the partnership's round, none already
        in another partnership. Used by the admin form; call it before saving
        members made elsewhere (matching, imports).
        """
        if round is None and self.round_id:
            round = self.round
        # Any translation of the round is the same round: matching pairs people
        # who applied on the French page with people who applied on the English one.
        round_key = round.translation_key if round is not None else None
        errors = []
        if not self.MIN_MEMBERS <= len(enrolments) <= self.MAX_MEMBERS:
            errors.append(
                ValidationError(
                    _("A partnership has %(min)s or %(max)s members, not %(count)s."),
                    code="member_count",
                    params={
                        "min": self.MIN_MEMBERS,
                        "max": self.MAX_MEMBERS,
                        "count": len(enrolments),
                    },
                )
            )
        seen = set()
        for enrolment in enrolments:
            params = {"participant": enrolment.participant.name, "round": enrolment.round}
            if enrolment.participant_id in seen:
                errors.append(
                    ValidationError(
                        _("%(participant)s is in the partnership twice."),
                        code="duplicate_member",
                        params=params,
                    )
                )
            seen.add(enrolment.participant_id)
            if round_key and enrolment.round.translation_key != round_key:
                errors.append(
                    ValidationError(
                        _(
                            "%(participant)s is enrolled in %(round)s, "
                            "not in this partnership's round."
                        ),
                        code="other_round",
                        params=params,
                    )
                )
            elif enrolment.status != EnrolmentStatus.ACCEPTED:
                errors.append(
                    ValidationError(
                        _("%(participant)s's enrolment is %(status)s, not accepted."),
                        code="not_accepted",
                        params={**params, "status": enrolment.get_status_display()},
                    )
                )
        taken = PartnershipMember.objects.filter(enrolment__in=enrolments).select_related(
            "enrolment__participant"
        )
        if self.pk:
            taken = taken.exclude(partnership_id=self.pk)
        for member in taken:
            errors.append(
                ValidationError(
                    _("%(participant)s is already in another partnership of this round."),
                    code="taken",
                    params={"participant": member.enrolment.participant.name},
                )
            )
        if errors:
            raise ValidationError(errors)


class PartnershipMember(models.Model):
    partnership = ParentalKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="members"
    )
    # One partnership per enrolment, and so per participant and round.
    enrolment = parent_field(
        Enrolment,
        _("enrolment"),
        "partnership_member",
        field_class=models.OneToOneField,
        error_messages={
            "unique": _("This person is already in another partnership of this round.")
        },
    )

    panels = [FieldPanel("enrolment")]

    class Meta:
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        ordering = ["pk"]

    def __str__(self):
        return str(self.enrolment.participant)
