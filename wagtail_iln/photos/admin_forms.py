from django import forms
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..credits.licences import LICENCE_CHOICES


class EmailListField(forms.CharField):
    """E-mail addresses, one per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        value = super().to_python(value)
        return [line.strip() for line in value.splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        for address in value:
            validate_email(address)


class PhotoCampaignAdminForm(WagtailAdminModelForm):
    moderator_emails = EmailListField(
        label=capfirst(_("moderator e-mail addresses")),
        required=False,
        help_text=_("One address per line; each is told of new photos."),
    )
    licences = forms.MultipleChoiceField(
        label=capfirst(_("licences offered")),
        choices=LICENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The licences submitters may choose from."),
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return cleaned


REJECTION_REASONS = [
    ("not-a-workplace", _("Not a photo of a workplace")),
    ("not-clear", _("The photo is not clear enough")),
    ("people-recognisable", _("People can be recognised without their consent")),
    ("not-their-photo", _("Appears to be someone else's photo")),
    ("other", _("Other")),
]


class RejectionForm(forms.Form):
    """Why a photo is rejected: a usual reason, a note to the submitter, or both."""

    # No reason is chosen for the moderator: a rejection pressed by mistake is refused.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason…")), *REJECTION_REASONS],
        error_messages={"required": _("Choose why the photo is rejected: the submitter reads it.")},
    )
    note = forms.CharField(
        label=_("Note to the submitter"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, unless the reason is “Other”. The submitter reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Tell the submitter why the photo is rejected."))
        return cleaned

    def reason_for(self, submission):
        """The reason as the submitter reads it: in the language they sent the photo in."""
        parts = []
        code = self.cleaned_data["reason"]
        if code != "other":
            with translation.override(submission.language):
                parts.append(str(dict(REJECTION_REASONS)[code]))
        if note := self.cleaned_data["note"].strip():
            parts.append(note)
        return "\n\n".join(parts)
