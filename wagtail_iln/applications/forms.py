"""The public form to apply to a round, and what it stores until the applicant confirms."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .. import widgets
from ..pageforms import (
    DistinctChoicesMixin,
    DuplicatePost,
    FormKeyField,
    OneLineField,
    PublicFormMixin,
    email_errors,
)
from ..programme.choices import (
    ContactFrequency,
    ContactMethod,
    RoundStatus,
    WorkplaceKind,
    WorkplaceSize,
    country_choices,
    language_choices,
    time_zone_choices,
    validate_contact_methods,
    validate_language_codes,
    validate_time_zone,
)
from ..programme.models import PROFILE_FIELDS, Participant
from ..programme.models.rounds import round_status
from .models import Application

# Change the version whenever the consent wording changes: each participant
# keeps the version they agreed to.
CONSENT_VERSION = "application-2025-1"
CONSENT_TEXT = _(
    "I agree that the programme's organisers keep the information above to match me "
    "with partners and to write to me about this round, and that my partners see my "
    "name, e-mail address, workplace and what I wrote about my work and hopes."
)

SHORT_TEXT_LENGTH = 200
LONG_TEXT_LENGTH = 2000


WINDOW_OPEN = "open"
WINDOW_NOT_YET = "not_yet"
WINDOW_CLOSED = "closed"


def application_window(round, now=None):
    """``WINDOW_OPEN`` while the round's step is *applications open* (:func:`round_status`).

    ``WINDOW_NOT_YET`` while it is *planning*; ``WINDOW_CLOSED`` once it has
    gone further: its applications closed, or its partnerships were published.
    """
    status = round_status(round, now)
    if status == RoundStatus.PLANNING:
        return WINDOW_NOT_YET
    if status == RoundStatus.APPLICATIONS_OPEN:
        return WINDOW_OPEN
    return WINDOW_CLOSED


def window_context(round, now=None):
    """What the application form shows of the window: its state, when it closed, what is next.

    ``closed_on`` is the closing time once it has passed (None when the round
    closed earlier, by publishing its partnerships); ``next_round`` is the next
    round that takes applications, once this one's have closed.
    """
    now = now or timezone.now()
    window = application_window(round, now)
    closes = round.applications_close_at
    closed = window == WINDOW_CLOSED
    return {
        "window": window,
        "closed_on": closes if closed and closes is not None and closes <= now else None,
        "next_round": round.next_round() if closed else None,
    }


def applications_open(round, now=None):
    """Whether ``round`` takes applications now."""
    return application_window(round, now) == WINDOW_OPEN


def with_blank(choices):
    return [("", "---------"), *choices]


class CodeListField(DistinctChoicesMixin, forms.MultipleChoiceField):
    """Several codes from a list, each once; an unknown code gets the model's own clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A field replaces the message of a validator's error with its own of the
        # same code; the validators say better which code is unknown.
        del self.error_messages["invalid_choice"]

    def valid_value(self, value):
        return True  # left to the validators


def long_text(label, required=False, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        **kwargs,
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RoundApplicationForm(PublicFormMixin, forms.Form):
    """The profile of the person applying, their consent, a honeypot and a one-time key."""

    rate_limited_message = _(
        "You have sent many applications in a short time. Please try again later."
    )

    name = OneLineField(
        label=_("Your name"),
        max_length=SHORT_TEXT_LENGTH,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages=email_errors(_("Enter your e-mail address: we send a link to it.")),
        help_text=_("We send a link to this address: your application counts once you follow it."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=widgets.Listed(country_choices),
        widget=widgets.Select,
        error_messages={"required": _("Choose the country you work in.")},
    )
    city = OneLineField(label=_("City"), max_length=SHORT_TEXT_LENGTH, required=False)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        # time_zone.js chooses the reader's own, as their device knows it.
        widget=widgets.Select(attrs={"data-iln-time-zone": True}),
        help_text=_("So that partners can find a time to meet."),
        error_messages={"required": _("Choose your time zone.")},
    )
    languages = CodeListField(
        label=_("Languages you are happy to talk in"),
        choices=language_choices,
        validators=[validate_language_codes],
        widget=widgets.SelectMultiple(attrs=widgets.LANGUAGE_LIST_ATTRS),
        help_text=_(
            "Choose every one: hold down Ctrl (⌘ on a Mac) as you click to add a language."
        ),
        error_messages={"required": _("Choose at least one language you are happy to talk in.")},
    )
    workplace = OneLineField(label=_("Workplace"), max_length=SHORT_TEXT_LENGTH, required=False)
    workplace_kind = forms.ChoiceField(
        label=_("Kind of workplace"),
        choices=with_blank(WorkplaceKind.choices),
        error_messages={"required": _("Choose the kind of library you work in.")},
    )
    workplace_size = forms.ChoiceField(
        label=_("Size of workplace"), choices=with_blank(WorkplaceSize.choices), required=False
    )
    role = OneLineField(label=_("Your role"), max_length=SHORT_TEXT_LENGTH, required=False)
    day_to_day = long_text(_("What you do day to day"))
    career_path = long_text(_("Your career path so far"))
    hopes_career = long_text(_("Where you hope to go"))
    hopes_partnership = long_text(
        _("What you hope to get from a partnership"),
        required=True,
        error_messages={
            "required": _(
                "Tell us what you hope to get from a partnership: it helps us find your partner."
            )
        },
    )
    contact_frequency = forms.ChoiceField(
        label=_("How often would you like to be in touch?"),
        choices=ContactFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you would like to be in touch.")},
    )
    contact_methods = CodeListField(
        label=_("Ways of keeping in touch"),
        choices=ContactMethod.choices,
        validators=[validate_contact_methods],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Tick the box to agree, or we cannot take your application.")
        },
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_key = FormKeyField()

    summary_labels = {"consent": _("Your consent")}

    #: The groups the form is shown in: (legend, field names).
    groups = [
        (_("About you"), ["name", "email", "country", "city", "time_zone", "languages"]),
        (
            _("Your work"),
            ["workplace", "workplace_kind", "workplace_size", "role", "day_to_day", "career_path"],
        ),
        (_("Your hopes"), ["hopes_career", "hopes_partnership"]),
        (_("Keeping in touch"), ["contact_frequency", "contact_methods"]),
        (_("Your consent"), ["consent"]),
    ]

    def __init__(self, round, *args, **kwargs):
        self.round = round
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = time_zone_choices()
        self.fields["form_key"].initial = uuid.uuid4()

    def get_id_prefix(self):
        return f"iln-apply-{self.round.pk}"

    def fieldsets(self):
        """(legend, bound fields) for each of ``groups``, in order."""
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def is_replay(self):
        """Whether this very form was sent before: a double click or a replayed post."""
        try:
            key = uuid.UUID(str(self.data.get("form_key", "")))
        except ValueError:
            return False
        return Application.objects.filter(form_key=key).exists()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(_("Your application could not be accepted."), code="honeypot")
        self.validate_profile(cleaned)
        return cleaned

    def validate_profile(self, cleaned):
        """Check the profile as the ``Participant`` it will become, with the model's own rules."""
        fields_with_errors = set(self.errors)
        participant = Participant(
            **{
                name: cleaned[name]
                for name in PROFILE_FIELDS
                if name in cleaned and name not in fields_with_errors
            }
        )
        try:
            participant.full_clean(
                exclude=[*fields_with_errors, "consent_given_at", "consent_version"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)

    def profile(self):
        """The cleaned profile as JSON-ready values."""
        data = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        data["country"] = str(data["country"])
        return data

    def save(self, source_url=""):
        """Store a pending :class:`Application`; raise ``DuplicatePost`` for a replayed form."""
        data = self.cleaned_data
        if Application.objects.filter(form_key=data["form_key"]).exists():
            raise DuplicatePost
        now = timezone.now()
        application = Application(
            round=self.round,
            email=data["email"],
            data=self.profile(),
            language=translation.get_language() or "",
            form_key=data["form_key"],
            consent_version=CONSENT_VERSION,
            consent_given_at=now,
            source_url=source_url[:2048],
            created_at=now,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:
            raise DuplicatePost from error
        return application
