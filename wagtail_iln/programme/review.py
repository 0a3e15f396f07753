"""Applications to review: the enrolments still *applied*, to accept or decline in bulk.

A second listing of the enrolment snippet (``review/`` under its URLs), so the
Accept and Decline bulk actions and the CSV export work as on the full list;
each row leads to the application in full (the enrolment's inspect view), with
Accept and Decline for one; and a menu item in the Programme menu that counts
what waits.
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import InspectView

from ..compat import permission_policy_for
from ..moderation.views import paragraphs
from ..words import language_name
from .choices import EnrolmentStatus
from .filters import (
    RoundChoiceFilter,
    country_filter,
    returning_enrolment_filter,
    workplace_kind_filter,
)
from .models import Enrolment, Participant
from .round_views import ProgrammeIndexView

REVIEW_URL_NAME = "wagtailsnippets_wagtail_iln_enrolment:review"
BULK_ACTION_URL_NAME = "wagtail_bulk_action"


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

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # A row leads to the application in full, where it is decided on; the
        # enrolment's form stays in the row's menu.
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    @cached_property
    def header_buttons(self):
        # Nothing to add here: applications come through the public form or an import.
        return []


#: The application as the inspect view shows it: (heading, participant's fields).
APPLICATION_SECTIONS = [
    (
        _("Person"),
        ["name", "email", "country", "city", "time_zone", "languages", "language"],
    ),
    (
        _("Work"),
        ["workplace", "workplace_kind", "workplace_size", "role", "day_to_day", "career_path"],
    ),
    (
        _("Hopes and keeping in touch"),
        ["hopes_career", "hopes_partnership", "contact_frequency", "contact_methods"],
    ),
]
#: What the applicant wrote in their own words: shown as paragraphs.
WRITTEN_FIELDS = {"day_to_day", "career_path", "hopes_career", "hopes_partnership"}


class EnrolmentInspectView(InspectView):
    """An application in full, to decide on it: the person, their work, what they wrote and
    hope for, how they like to keep in touch; then the round, status, returning or not and
    when they applied.

    While the enrolment is *applied*, a user who may change enrolments finds Accept and
    Decline: the bulk actions' confirmation for this one enrolment, back to the
    applications to review once done.
    """

    template_name = "wagtail_iln/programme/enrolment_inspect.html"
    #: The decisions offered, as the ``action_type`` of their bulk action.
    decisions = {
        "accept": _("Accept"),
        "decline": _("Decline"),
    }

    def get_object(self, queryset=None):
        enrolments = Enrolment.objects.with_returning().select_related("participant", "round")
        try:
            return enrolments.get(pk=self.pk)
        except (Enrolment.DoesNotExist, ValueError, ValidationError) as error:
            raise Http404 from error

    def get_page_title(self):
        return gettext("Application")

    def get_page_subtitle(self):
        return self.object.participant.name

    def get_field_label(self, field_name, field):
        if field_name == "is_returning":
            return capfirst(_("returning"))
        return super().get_field_label(field_name, field)

    def get_is_returning_display_value(self):
        return gettext("yes") if self.object.is_returning else gettext("no")

    def get_applied_at_display_value(self):
        # In the admin's time zone, named: a reviewer may compare it with a deadline.
        when = date_format(timezone.localtime(self.object.applied_at), "DATETIME_FORMAT")
        return f"{when} ({timezone.get_current_timezone_name()})"

    def participant_value(self, name):
        participant = self.object.participant
        value = getattr(participant, name)
        if name in WRITTEN_FIELDS:
            return paragraphs(value) if value else "—"
        if name == "country":
            return participant.country.name
        if name == "language":
            return language_name(participant.email_language)
        display = getattr(participant, f"get_{name}_display", None)
        if display is not None:
            value = display()
        return value or "—"

    def get_sections(self):
        return [
            {
                "heading": heading,
                "fields": [
                    {
                        "label": capfirst(Participant._meta.get_field(name).verbose_name),
                        "value": self.participant_value(name),
                    }
                    for name in names
                ],
            }
            for heading, names in APPLICATION_SECTIONS
        ]

    def get_decisions(self):
        """Accept and Decline, each a link to its bulk action's confirmation, when they apply."""
        policy = permission_policy_for(Enrolment)
        if self.object.status != EnrolmentStatus.APPLIED or not (
            policy.user_has_permission_for_instance(self.request.user, "change", self.object)
        ):
            return []
        query = urlencode({"id": quote(self.object.pk), "next": reverse(REVIEW_URL_NAME)})
        opts = Enrolment._meta
        return [
            {
                "name": name,
                "label": label,
                "url": reverse(BULK_ACTION_URL_NAME, args=[opts.app_label, opts.model_name, name])
                + f"?{query}",
            }
            for name, label in self.decisions.items()
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "participant": self.object.participant,
            "sections": self.get_sections(),
            "decisions": self.get_decisions(),
        }


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
