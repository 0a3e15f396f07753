"""The "Programme" admin menu: rounds, participants, enrolments and partnerships."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from django_countries import countries
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views.snippets import (
    EditView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from ..admin_access import PrivateSnippetChooserViewSet
from ..compat import PermissionCheckedMixin
from ..health.admin import PartnershipHealthViewSet
from .emails import DECISION_TEMPLATES, tell_decisions
from .filters import EnrolmentFilterSet, ParticipantFilterSet, PartnershipFilterSet
from .import_views import ImportProgressView, ParticipantAdminView, ParticipantImportView
from .models import PROFILE_FIELDS, Enrolment, Participant, Partnership, PartnershipMember
from .review import (
    ENROLMENT_EXPORT,
    ENROLMENT_EXPORT_HEADINGS,
    ApplicationsReviewMenuViewSet,
    ApplicationsToReviewView,
    EnrolmentInspectView,
)
from .round_views import ProgrammeIndexView, RoundViewSet


class ParticipantIndexView(ProgrammeIndexView):
    import_url_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        # Search the country by its name too, in the admin's language and in English.
        query = self.search_query.lower()
        codes = [code for code, name in countries if query in str(name).lower()]
        codes += [code for code in countries.countries if query == code.lower()]
        matches = Q()
        for field in self.search_fields:
            matches |= Q(**{f"{field}__icontains": self.search_query})
        return queryset.filter(matches | Q(country__in=codes))

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.import_url_name and self.user_has_permission("add"):
            buttons.append(
                HeaderButton(_("Import"), url=reverse(self.import_url_name), icon_name="upload")
            )
        return buttons


class ParticipantInspectView(InspectView):
    template_name = "wagtail_iln/programme/participant_inspect.html"
    data_url_name = None
    erase_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.data_url_name and self.user_has_permission("delete"):
            buttons.append(
                Button(
                    _("Download data (JSON)"),
                    url=reverse(self.data_url_name, args=[self.object.pk]),
                    icon_name="download",
                    priority=30,
                )
            )
            buttons.append(
                Button(
                    _("Erase"),
                    url=reverse(self.erase_url_name, args=[self.object.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons

    def get_field_display_value(self, field_name, field):
        # An empty date or text reads as a dash, never "None".
        if getattr(self.object, field_name, None) in (None, ""):
            return "—"
        return super().get_field_display_value(field_name, field)

    def get_enrolments(self):
        partners = PartnershipMember.objects.select_related("enrolment__participant")
        return (
            Enrolment.objects.filter(participant=self.object)
            .with_returning()
            .select_related("partnership_member__partnership")
            .prefetch_related(
                Prefetch("partnership_member__partnership__members", queryset=partners)
            )
            .order_by("round__starts_on", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = []
        for enrolment in self.get_enrolments():
            member = getattr(enrolment, "partnership_member", None)
            partnership = member.partnership if member else None
            partners = (
                [
                    other.enrolment.participant
                    for other in partnership.members.all()
                    if other.enrolment_id != enrolment.pk
                ]
                if partnership
                else []
            )
            rounds.append(
                {"enrolment": enrolment, "partnership": partnership, "partners": partners}
            )
        context["rounds"] = rounds
        return context


class ParticipantDataView(PermissionCheckedMixin, View):
    """Everything held about a participant, as the JSON file they could download themselves."""

    model = Participant
    permission_required = "delete"

    def get(self, request, pk):
        from ..privacy.data_rights import export
        from ..privacy.views import json_download

        participant = get_object_or_404(Participant, pk=pk)
        return json_download(export(participant.email), f"participant-{participant.pk}.json")


class ParticipantEraseView(ParticipantAdminView, View):
    """Anonymise a participant after a confirmation page; POST only changes anything."""

    permission_required = "delete"
    template_name = "wagtail_iln/privacy/admin_confirm_erase.html"
    page_title = _("Erase")
    inspect_url_name = None

    def get_page_subtitle(self):
        return str(self.object)

    def dispatch(self, request, pk):
        self.object = get_object_or_404(Participant, pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        context = self.get_context_data(
            participant=self.object,
            cancel_url=reverse(self.inspect_url_name, args=[pk]),
        )
        return self.render_to_response(context)

    def post(self, request, pk):
        from ..privacy.data_rights import erase_participant

        erase_participant(self.object)
        # No name in the message: it could be stored in the session.
        messages.success(request, gettext("The participant's personal data has been erased."))
        return redirect(self.index_url_name)


class PeopleViewSet(SnippetViewSet):
    """The programme's people and partnerships: personal data.

    Wagtail's chooser would list them to every admin user: it is closed to
    those without a permission on the model. Nobody copies a person, and
    their search runs in the database, not in an index that keeps copies.
    """

    chooser_viewset_class = PrivateSnippetChooserViewSet
    index_view_class = ProgrammeIndexView
    copy_view_enabled = False
    search_backend_name = None


class ParticipantViewSet(PeopleViewSet):
    model = Participant
    icon = "user"
    index_view_class = ParticipantIndexView
    inspect_view_class = ParticipantInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        *PROFILE_FIELDS,
        "consent_given_at",
        "consent_version",
        "consent_withdrawn_at",
        "erased_at",
        "created_at",
        "updated_at",
    ]
    filterset_class = ParticipantFilterSet
    list_display = [
        "name",
        "country",
        "workplace",
        "workplace_kind",
        Column("round_count", label=capfirst(_("rounds")), sort_key="round_count"),
    ]
    list_export = [
        "name",
        "email",
        "country.code",
        "country.name",
        "city",
        "time_zone",
        "get_languages_display",
        "workplace",
        "get_workplace_kind_display",
        "get_workplace_size_display",
        "role",
        "day_to_day",
        "career_path",
        "hopes_career",
        "hopes_partnership",
        "get_contact_frequency_display",
        "get_contact_methods_display",
        "round_names",
        "consent_given_at",
        "consent_version",
        "created_at",
    ]
    export_headings = {
        "country.code": capfirst(_("country code")),
        "country.name": capfirst(_("country")),
        "get_workplace_kind_display": capfirst(_("kind of workplace")),
        "get_workplace_size_display": capfirst(_("size of workplace")),
        "get_contact_frequency_display": capfirst(_("how often to be in touch")),
        "get_languages_display": capfirst(_("languages")),
        "get_contact_methods_display": capfirst(_("ways of keeping in touch")),
        "round_names": capfirst(_("rounds")),
    }
    export_filename = "participants"
    search_fields = ["name", "workplace", "country"]
    ordering = ["name"]

    def get_queryset(self, request):
        return Participant.objects.annotate(round_count=Count("enrolments")).prefetch_related(
            Prefetch("enrolments", queryset=Enrolment.objects.order_by("round__starts_on"))
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            data_url_name=self.get_url_name("data"),
            erase_url_name=self.get_url_name("erase"),
            **kwargs,
        )

    @property
    def data_view(self):
        return ParticipantDataView.as_view()

    @property
    def erase_view(self):
        return self.construct_view(
            ParticipantEraseView,
            index_url_name=self.get_url_name("list"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    @property
    def import_view(self):
        return self.construct_view(
            ParticipantImportView,
            index_url_name=self.get_url_name("list"),
            progress_url_name=self.get_url_name("import_progress"),
            header_icon=self.icon,
        )

    @property
    def import_progress_view(self):
        return self.construct_view(
            ImportProgressView,
            index_url_name=self.get_url_name("list"),
            progress_url_name=self.get_url_name("import_progress"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", self.import_view, name="import"),
            path("import/<int:pk>/", self.import_progress_view, name="import_progress"),
            path("data/<str:pk>/", self.data_view, name="data"),
            path("erase/<str:pk>/", self.erase_view, name="erase"),
        ]


class EnrolmentEditView(EditView):
    """An enrolment's form: a status changed to accepted or declined tells the person,
    as the Accept and Decline bulk actions do."""

    told = False

    def save_instance(self):
        instance = super().save_instance()
        if "status" in self.form.changed_data and instance.status in DECISION_TEMPLATES:
            tell_decisions([instance.pk])
            self.told = True
        return instance

    def get_success_message(self):
        message = super().get_success_message()
        if self.told:
            told = gettext("The person is told by e-mail.")
            message = f"{message} {told}"
        return message


class EnrolmentViewSet(PeopleViewSet):
    """Who applied to which round; select several to accept or withdraw them at once."""

    model = Enrolment
    icon = "tick-inverse"
    edit_view_class = EnrolmentEditView
    # The application in full, to decide on it: where "Applications to review" leads.
    inspect_view_enabled = True
    inspect_view_class = EnrolmentInspectView
    # Under the participant's answers (``review.APPLICATION_SECTIONS``).
    inspect_view_fields = ["round", "status", "is_returning", "applied_at"]
    filterset_class = EnrolmentFilterSet
    list_display = [
        "participant",
        "round",
        "status",
        BooleanColumn("is_returning", label=capfirst(_("returning")), sort_key="is_returning"),
        "applied_at",
    ]
    list_export = ENROLMENT_EXPORT
    export_headings = ENROLMENT_EXPORT_HEADINGS
    export_filename = "enrolments"
    search_fields = ["participant__name", "participant__email", "participant__workplace"]
    ordering = ["-applied_at"]

    def get_queryset(self, request):
        return Enrolment.objects.with_returning()

    def construct_review_view(self, **kwargs):
        return self.construct_view(
            ApplicationsToReviewView,
            # The snippet listing's templates: they hold the bar of bulk actions.
            template_name=self.index_template_name,
            results_template_name=self.index_results_template_name,
            index_url_name=self.get_url_name("review"),
            index_results_url_name=self.get_url_name("review_results"),
            queryset=self.get_queryset,
            **kwargs,
        )

    @property
    def review_view(self):
        return self.construct_review_view()

    @property
    def review_results_view(self):
        return self.construct_review_view(results_only=True)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("review/", self.review_view, name="review"),
            path("review/results/", self.review_results_view, name="review_results"),
        ]


class PartnershipViewSet(PeopleViewSet):
    model = Partnership
    icon = "group"
    filterset_class = PartnershipFilterSet
    list_display = [
        "get_members_display",
        "round",
        "status",
        "started_on",
    ]
    list_export = ["__str__", "round.name", "get_status_display", "started_on"]
    export_headings = {
        "__str__": capfirst(_("members")),
        "round.name": capfirst(_("round")),
        "get_status_display": capfirst(_("status")),
    }
    export_filename = "partnerships"

    def get_queryset(self, request):
        members = PartnershipMember.objects.select_related("enrolment__participant")
        return (
            Partnership.objects.select_related("round")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("-round__starts_on", "pk")
        )


class ProgrammeViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "group"
    menu_name = "iln-programme"
    menu_order = 300
    items = (
        RoundViewSet,
        ParticipantViewSet,
        EnrolmentViewSet,
        ApplicationsReviewMenuViewSet,
        PartnershipViewSet,
        PartnershipHealthViewSet,
    )
