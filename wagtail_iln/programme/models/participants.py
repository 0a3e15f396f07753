"""A person in the programme, and their enrolment in a round."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from ...fields import consent_version_field, language_field, participant_field, status_field, unique
from ...tracking import TrackedModel, TrackedQuerySet
from ...words import language_name
from ..choices import (
    ContactFrequency,
    ContactMethod,
    EnrolmentStatus,
    WorkplaceKind,
    WorkplaceSize,
    validate_contact_methods,
    validate_language_codes,
    validate_time_zone,
)
from ..forms import ParticipantAdminForm

# Copied to every translation of a round whenever one of them is saved, with
# or without wagtail-localize: a round's dates and status are the same in all
# languages.
from .rounds import Round


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
    language = language_field(
        _("language for e-mails"),
        blank=True,
        help_text=_('The language programme e-mails are written in, e.g. "fr".'),
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = consent_version_field(
        blank=True, help_text=_("Which privacy notice the person agreed to.")
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

    def get_identity_display(self):
        """The name, told apart from namesakes: "Arjun Chaudhry (India, Central Library)"."""
        details = [str(part) for part in (self.country.name, self.workplace) if part]
        return f"{self.name} ({', '.join(details)})" if details else self.name

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
        """The languages by name, cased as in a sentence: "English, French", "anglais, français"."""
        return ", ".join(language_name(code) for code in self.languages)

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


def enrolment_status_scope(status):
    """The enrolments in ``status`` (in every round), as fragments name them."""
    return f"status:{status}"


class Enrolment(TrackedModel):
    """A participant in a round."""

    # A save makes stale only the fragments that read enrolments in its status, before
    # and after: the round stats count accepted ones, so an application leaves them.
    fragment_scope_fields = ("status",)

    participant = participant_field("enrolments")
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = status_field(EnrolmentStatus, EnrolmentStatus.APPLIED, db_index=True)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)

    objects = EnrolmentManager()

    panels = [FieldPanel("participant"), FieldPanel("round"), FieldPanel("status")]

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-round__starts_on", "participant__name", "pk"]
        constraints = [
            unique(
                "participant",
                "round",
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

    def fragment_scope(self, values):
        return enrolment_status_scope(values["status"])

    def get_participant_display(self):
        return self.participant.get_identity_display()

    get_participant_display.short_description = _("participant")

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
