"""Applications to review: the enrolments still *applied*, to accept or decline in bulk.

A second listing of the enrolment snippet (``review/`` under its URLs), so the
Accept and Decline bulk actions and the CSV export work as on the full list,
and a menu item in the Programme menu that counts what waits.
"""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import BooleanRadioSelect

from ..compat import permission_policy_for
from .choices import EnrolmentStatus, WorkplaceKind
from .filters import RoundChoiceFilter
from .models import Enrolment
from .round_views import ProgrammeIndexView

REVIEW_URL_NAME = "wagtailsnippets_wagtail_iln_enrolment:review"


class ApplicationReviewFilterSet(WagtailFilterSet):
    round = RoundChoiceFilter(field_name="round")
    country = django_filters.ChoiceFilter(
        label=capfirst(_("country")),
        field_name="participant__country",
        choices=countries,
        empty_label=_("All"),
    )
    workplace_kind = django_filters.ChoiceFilter(
        label=capfirst(_("kind of workplace")),
        field_name="participant__workplace_kind",
        choices=WorkplaceKind.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    returning = django_filters.BooleanFilter(
        label=capfirst(_("returning")), field_name="is_returning", widget=BooleanRadioSelect
    )

    class Meta:
        model = Enrolment
        fields = ["round", "country", "workplace_kind", "returning"]


class ApplicationsToReviewView(ProgrammeIndexView):
    """The enrolments waiting for the coordinators' decision, the oldest application first."""

    page_title = _("Applications to review")
    filterset_class = ApplicationReviewFilterSet
    default_ordering = "applied_at"
    list_display = [
        "participant",
        Column("country", label=capfirst(_("country")), accessor="participant.country.name"),
        Column(
            "workplace_kind",
            label=capfirst(_("kind of workplace")),
            accessor="participant.get_workplace_kind_display",
        ),
        Column("role", label=capfirst(_("role")), accessor="participant.role"),
        "round",
        BooleanColumn("is_returning", label=capfirst(_("returning")), sort_key="is_returning"),
        "applied_at",
    ]
    export_filename = "applications"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(status=EnrolmentStatus.APPLIED)

    def get_page_title(self):
        return self.page_title

    @cached_property
    def header_buttons(self):
        # Nothing to add here: applications come through the public form or an import.
        return []


def applications_waiting():
    return Enrolment.objects.filter(status=EnrolmentStatus.APPLIED).count()


class ApplicationsReviewMenuViewSet(ViewSet):
    """The "Applications to review" item of the Programme menu."""

    name = "iln_applications_review"
    icon = "tasks"
    menu_label = _("Applications to review")
    menu_name = "iln-applications-review"

    @property
    def menu_url(self):
        return reverse(REVIEW_URL_NAME)

    @cached_property
    def menu_item_class(self):
        class ApplicationsReviewMenuItem(MenuItem):
            def is_shown(self, request):
                policy = permission_policy_for(Enrolment)
                return policy.user_has_permission(request.user, "change")

        return ApplicationsReviewMenuItem

    def get_urlpatterns(self):
        return []
