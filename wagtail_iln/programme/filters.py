import django_filters
from django import forms
from django.db.models import Min
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from .choices import RoundStatus, WorkplaceKind
from .models import Enrolment, Participant, Partnership, Round


def one_round_per_translation(request=None):
    """Each round once, in the language it was first written in."""
    first = Round.objects.values("translation_key").annotate(first=Min("pk")).values("first")
    return Round.objects.filter(pk__in=first)


class RoundChoiceFilter(django_filters.ModelChoiceFilter):
    """A round, matching enrolments in any of its translations."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", capfirst(_("round")))
        kwargs.setdefault("queryset", one_round_per_translation)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__translation_key": value.translation_key})


def country_filter(**kwargs):
    """A participant's country; ``field_name`` leads to it from another model."""
    return django_filters.ChoiceFilter(
        label=capfirst(_("country")), choices=countries, empty_label=_("All"), **kwargs
    )


def workplace_kind_filter(**kwargs):
    """A participant's kind of workplace; ``field_name`` leads to it from another model."""
    return django_filters.ChoiceFilter(
        label=capfirst(_("kind of workplace")),
        choices=WorkplaceKind.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
        **kwargs,
    )


def returning_enrolment_filter():
    """Whether an enrolment's participant took part in an earlier round (``with_returning``)."""
    return django_filters.BooleanFilter(
        label=capfirst(_("returning")), field_name="is_returning", widget=BooleanRadioSelect
    )


class ParticipantFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=capfirst(_("round")), queryset=one_round_per_translation, method="filter_round"
    )
    country = country_filter()
    workplace_kind = workplace_kind_filter()
    returning = django_filters.BooleanFilter(
        label=capfirst(_("returning")),
        method="filter_returning",
        widget=BooleanRadioSelect,
        help_text=_("Took part in an earlier round; in the chosen round, if one is chosen."),
    )

    class Meta:
        model = Participant
        fields = ["round", "country", "workplace_kind", "returning"]

    def filter_round(self, queryset, name, value):
        return queryset.enrolled_in(value) if value else queryset

    def filter_returning(self, queryset, name, value):
        if value is None:
            return queryset
        round = self.form.cleaned_data.get("round")
        return queryset.returning(round) if value else queryset.not_returning(round)


class EnrolmentFilterSet(WagtailFilterSet):
    round = RoundChoiceFilter(field_name="round")
    returning = returning_enrolment_filter()

    class Meta:
        model = Enrolment
        fields = ["round", "status", "returning"]


class PartnershipFilterSet(WagtailFilterSet):
    round = RoundChoiceFilter(field_name="round")

    class Meta:
        model = Partnership
        fields = ["round", "status"]


class RoundFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=capfirst(_("status")),
        choices=RoundStatus.choices,
        empty_label=_("All"),
        method="filter_status",
    )

    class Meta:
        model = Round
        fields = ["status"]

    def _add_locale_filter(self):
        # One row per round, its translations named in the row: no language to choose.
        pass

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        # The step follows the clock (round_status): decided in Python, for the few rounds.
        rounds = Round.objects.only(
            "pk", "status", "applications_open_at", "applications_close_at", "ends_on"
        )
        return queryset.filter(pk__in=[r.pk for r in rounds if r.current_status == value])
