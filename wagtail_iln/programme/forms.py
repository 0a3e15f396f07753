from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..pageforms import DistinctChoicesMixin, DistinctMultipleChoiceField
from .choices import ContactMethod, language_choices


class DistinctTypedMultipleChoiceField(DistinctChoicesMixin, forms.TypedMultipleChoiceField):
    """Several typed choices from a list, each once."""


def languages_field(**kwargs):
    """A participant's languages, picked from the list by name."""
    return DistinctMultipleChoiceField(
        label=capfirst(_("languages")),
        choices=language_choices,
        required=False,
        help_text=_("Languages the person is happy to talk in."),
        **kwargs,
    )


def contact_methods_field():
    """A participant's ways of keeping in touch, one box each."""
    return DistinctTypedMultipleChoiceField(
        label=capfirst(_("ways of keeping in touch")),
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ParticipantAdminForm(WagtailAdminModelForm):
    languages = languages_field(widget=forms.SelectMultiple(attrs={"size": 8}))
    contact_methods = contact_methods_field()


class PartnershipAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        members = self.formsets.get("members")
        round = cleaned.get("round")
        if members is None or round is None or not members.is_valid():
            return cleaned
        enrolments = [
            form.cleaned_data["enrolment"]
            for form in members.forms
            if form.cleaned_data.get("enrolment") and not members._should_delete_form(form)
        ]
        try:
            self.instance.validate_members(enrolments, round=round)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned
