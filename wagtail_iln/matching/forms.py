"""The form an editor sets a round's matching weights with."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .runs import MAX_WEIGHT, WORKPLACE_PREFERENCE, clean_weights

SAME, DIFFERENT = "same", "different"


def weight_field(label, help_text):
    return forms.FloatField(
        label=capfirst(label),
        help_text=help_text,
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )


class MatchingWeightsForm(forms.Form):
    """One field per :class:`wagtail_iln.matching.Weights` field; 0 ignores a preference."""

    shared_language = weight_field(
        _("shared languages"), _("Added for each language both partners speak.")
    )
    working_hours = weight_field(
        _("working hours"),
        _("Added for each hour both partners are at work (9:00 to 17:00 in their time zone)."),
    )
    same_contact_frequency = weight_field(
        _("how often to be in touch"), _("Added when both want to be in touch as often.")
    )
    shared_contact_method = weight_field(
        _("ways of keeping in touch"),
        _("Added when they share at least one way of keeping in touch."),
    )
    workplace_kind = weight_field(
        _("kind of workplace"),
        _("Added when the partners' kinds of workplace are as preferred below."),
    )
    prefer_same_workplace_kind = forms.ChoiceField(
        label=capfirst(_("kinds of workplace")),
        choices=[
            ("", _("no preference")),
            (SAME, _("the same kind")),
            (DIFFERENT, _("different kinds")),
        ],
        required=False,
    )
    returning_with_newcomer = weight_field(
        _("returning with newcomer"),
        _("Added when someone who took part before is paired with someone new."),
    )
    hopes = weight_field(
        _("similar hopes"),
        _("Multiplied by how alike the partners' hopes are, from 0 (no word in common) to 1."),
    )

    @classmethod
    def initial_from(cls, weights):
        """Form values for a dict of weights (``round_weights``)."""
        preference = weights.get(WORKPLACE_PREFERENCE)
        return {
            **weights,
            WORKPLACE_PREFERENCE: {True: SAME, False: DIFFERENT}.get(preference, ""),
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        preference = cleaned.get(WORKPLACE_PREFERENCE)
        values = {
            **cleaned,
            WORKPLACE_PREFERENCE: {SAME: True, DIFFERENT: False}.get(preference),
        }
        try:
            self.weights = clean_weights(values)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return cleaned
