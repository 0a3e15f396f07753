from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import TranslatableMixin

from ..fragments import TrackedModel, TrackedQuerySet
from .choices import (
    ContactFrequency,
    ContactMethod,
    EnrolmentStatus,
    PartnershipStatus,
    RoundStatus,
    WorkplaceKind,
    WorkplaceSize,
    validate_contact_methods,
    validate_language_codes,
    validate_time_zone,
)
from .forms import ParticipantAdminForm, PartnershipAdminForm

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


class ParticipantQuerySet(TrackedQuerySet):
    def enrolled_in(self, round):
        """People enrolled in ``round`` (in any of its translations)."""
        return self.filter(
            Exists(
                Enrolment.objects.filter(
                    participant=OuterRef("pk"), round__translation_key=round.translation_key
                )
            )
        )

    def returning(self, round=None):
        """People who come back: in ``round`` if given, else in any round."""
        enrolments = Enrolment.objects.with_returning().filter(
            participant=OuterRef("pk"), is_returning=True
        )
        if round is not None:
            enrolments = enrolments.filter(round__translation_key=round.translation_key)
        return self.filter(Exists(enrolments))

    def not_returning(self, round=None):
        returning = self.returning(round).values("pk")
        return self.exclude(pk__in=returning)

    def reachable(self):
        """People the programme may e-mail: they gave consent and did not withdraw it."""
        return self.filter(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)


# The fields of a person's profile, in the order forms, imports and the admin use.
PROFILE_FIELDS = [
    "name",
    "email",
    "country",
    "city",
    "time_zone",
    "languages",
    "workplace",
    "workplace_kind",
    "workplace_size",
    "role",
    "day_to_day",
    "career_path",
    "hopes_career",
    "hopes_partnership",
    "contact_frequency",
    "contact_methods",
]


class Participant(TrackedModel):
    """A person taking part in the programme. Personal data: shown in the admin only."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("A name such as Europe/Paris or America/Lima."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Languages the person is happy to talk in."),
    )
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    workplace_kind = models.CharField(
        _("kind of workplace"), max_length=32, choices=WorkplaceKind.choices, blank=True
    )
    workplace_size = models.CharField(
        _("size of workplace"), max_length=16, choices=WorkplaceSize.choices, blank=True
    )
    role = models.CharField(_("role"), max_length=255, blank=True)
    day_to_day = models.TextField(_("what I do day to day"), blank=True)
    career_path = models.TextField(_("career path"), blank=True)
    hopes_career = models.TextField(_("where I hope to go"), blank=True)
    hopes_partnership = models.TextField(_("what I hope to get from a partnership"), blank=True)
    contact_frequency = models.CharField(
        _("how often to be in touch"),
        max_length=16,
        choices=ContactFrequency.choices,
        blank=True,
    )
    contact_methods = models.JSONField(
        _("ways of keeping in touch"),
        default=list,
        blank=True,
        validators=[validate_contact_methods],
    )
    # The site language the programme writes to the person in (a code of LANGUAGES);
    # blank: the site's default language.
    language = models.CharField(
        _("language for e-mails"),
        max_length=16,
        blank=True,
        help_text=_('The language programme e-mails are written in, e.g. "fr".'),
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(
        _("consent version"),
        max_length=64,
        blank=True,
        help_text=_("Which privacy notice the person agreed to."),
    )
    consent_withdrawn_at = models.DateTimeField(
        _("consent withdrawn at"),
        null=True,
        blank=True,
        help_text=_("The programme no longer e-mails the person after this."),
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("email"),
                FieldRowPanel([FieldPanel("country"), FieldPanel("city")]),
                FieldPanel("time_zone"),
                FieldPanel("languages"),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("workplace"),
                FieldRowPanel([FieldPanel("workplace_kind"), FieldPanel("workplace_size")]),
                FieldPanel("role"),
                FieldPanel("day_to_day"),
                FieldPanel("career_path"),
            ],
            heading=_("Work"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hopes_career"),
                FieldPanel("hopes_partnership"),
                FieldPanel("contact_frequency"),
                FieldPanel("contact_methods"),
                FieldPanel("language"),
            ],
            heading=_("Hopes and keeping in touch"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("consent_given_at"), FieldPanel("consent_version")]),
                FieldPanel("consent_withdrawn_at", read_only=True),
            ],
            heading=_("Consent"),
        ),
    ]
    base_form_class = ParticipantAdminForm

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="wagtail_iln_participant_email_unique",
                violation_error_message=_("A participant with this e-mail address already exists."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def may_be_emailed(self):
        """Whether programme e-mails may go to this person; check before sending any."""
        return self.consent_given_at is not None and self.consent_withdrawn_at is None

    @property
    def email_language(self):
        """The language to write to this person in: theirs if the site has it, else the default."""
        codes = {code for code, _name in settings.LANGUAGES}
        return self.language if self.language in codes else settings.LANGUAGE_CODE

    def get_languages_display(self):
        """The languages by name, in the reader's language: "English, French"."""
        names = []
        for code in self.languages:
            try:
                names.append(str(get_language_info(code)["name_translated"]))
            except KeyError:
                names.append(code)
        return ", ".join(names)

    def get_contact_methods_display(self):
        labels = dict(ContactMethod.choices)
        return ", ".join(str(labels.get(method, method)) for method in self.contact_methods)

    def round_names(self):
        """The rounds the person enrolled in, oldest first, separated by commas."""
        enrolments = sorted(self.enrolments.all(), key=lambda e: e.round.starts_on)
        return ", ".join(enrolment.round.name for enrolment in enrolments)

    round_names.short_description = _("rounds")


class EnrolmentQuerySet(TrackedQuerySet):
    def with_returning(self):
        """Annotate ``is_returning``: accepted in a round that started before this one."""
        earlier = Enrolment.objects.filter(
            participant=OuterRef("participant"),
            status=EnrolmentStatus.ACCEPTED,
            round__starts_on__lt=OuterRef("round__starts_on"),
        )
        return self.annotate(is_returning=Exists(earlier))


class EnrolmentManager(models.Manager.from_queryset(EnrolmentQuerySet)):
    def get_queryset(self):
        # An enrolment is nearly always shown as "person in round".
        return super().get_queryset().select_related("participant", "round")


class Enrolment(TrackedModel):
    """A participant in a round."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.APPLIED,
        db_index=True,
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)

    objects = EnrolmentManager()

    panels = [FieldPanel("participant"), FieldPanel("round"), FieldPanel("status")]

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-round__starts_on", "participant__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "round"],
                name="wagtail_iln_one_enrolment_per_round",
                violation_error_message=_("This participant is already enrolled in this round."),
            )
        ]

    def __str__(self):
        return _("%(participant)s in %(round)s (%(status)s)") % {
            "participant": self.participant,
            "round": self.round,
            "status": self.get_status_display(),
        }

    def clean(self):
        super().clean()
        if self.participant_id and self.round_id:
            # Another language's copy of the same round is the same round.
            same_round = Enrolment.objects.filter(
                participant_id=self.participant_id,
                round__translation_key=self.round.translation_key,
            ).exclude(Q(pk=self.pk) | Q(round_id=self.round_id))
            if same_round.exists():
                raise ValidationError(_("This participant is already enrolled in this round."))


class Partnership(ClusterableModel, TrackedModel):
    """Two or three participants of one round who meet for the round."""

    MIN_MEMBERS = 2
    MAX_MEMBERS = 3

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="partnerships"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PROPOSED,
        db_index=True,
    )
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
            label=_("member"),
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
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="partnership_member",
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
