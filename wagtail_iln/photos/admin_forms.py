from django import forms
from django.core.validators import validate_email
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
        label=_("moderator e-mail addresses"),
        required=False,
        help_text=_("One address per line; each is told of new photos."),
    )
    licences = forms.MultipleChoiceField(
        label=_("licences offered"),
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
