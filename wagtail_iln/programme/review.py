"""Applications to review: the enrolments still *applied*, to accept or decline in bulk.

A second listing of the enrolment snippet (``review/`` under its URLs), so the
Accept and Decline bulk actions and the CSV export work as on the full list,
and a menu item in the Programme menu that counts what waits.
"""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSet

from ..compat import permission_policy_for
from .choices import EnrolmentStatus
from .filters import (
    RoundChoiceFilter,
    country_filter,
    returning_enrolment_filter,
    workplace_kind_filter,
)
from .models import Enrolment
from .round_views import ProgrammeIndexView

REVIEW_URL_NAME = "wagtailsnippets_wagtail_iln_enrolment:review"


class ApplicationReviewFilterSet(WagtailFilterSet):
    round = RoundChoiceFilter(field_name="round")
    country = country_filter(field_name="participant__country")
    workplace_kind = workplace_kind_filter(field_name="participant__workplace_kind")
    returning = returning_enrolment_filter()

    class Meta:
        model = Enrolment
        fields = ["round", "country", "workplace_kind", "returning"]


# What an export of enrolments writes, and under which headings.
ENROLMENT_EXPORT = [
    "participant.name",
    "participant.email",
    "participant.country.name",
    "round.name",
    "get_status_display",
    "is_returning",
    "applied_at",
]
ENROLMENT_EXPORT_HEADINGS = {
    "participant.name": capfirst(_("name")),
    "participant.email": capfirst(_("e-mail address")),
    "participant.country.name": capfirst(_("country")),
    "round.name": capfirst(_("round")),
    "get_status_display": capfirst(_("status")),
    "is_returning": capfirst(_("returning")),
}
# What an application's export adds, to decide on it.
DECIDING_EXPORT = {
    "participant.get_workplace_kind_display": capfirst(_("kind of workplace")),
    "participant.role": capfirst(_("role")),
}


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
    # The enrolments' export, with what the listing shows to decide on.
    list_export = [*ENROLMENT_EXPORT[:3], *DECIDING_EXPORT, *ENROLMENT_EXPORT[3:]]
    export_headings = {**ENROLMENT_EXPORT_HEADINGS, **DECIDING_EXPORT}
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
