"""The "Partnership health" report in the Programme menu, and its "Send a reminder" action.

Who may see it: editors with any permission on partnerships. Who may send a
reminder: editors who may change partnerships.
"""

import django_filters
from django.contrib import messages
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.admin.widgets.button import Button

from ..compat import permission_policy_for
from ..programme.choices import PartnershipEmailKind, RoundStatus
from ..programme.filters import RoundChoiceFilter
from ..programme.models import Partnership, Round
from . import checkins as health
from . import periods
from .emails import VIEWSET_NAME
from .models import CheckIn, PartnershipEmail
from .views import first_name

# Who sees the report: anyone who may do something with partnerships.
VIEW_PERMISSIONS = ["add", "change", "delete", "view"]


class PartnershipPolicyMixin(PermissionCheckedMixin):
    model = Partnership

    @cached_property
    def permission_policy(self):
        return permission_policy_for(Partnership)


class PartnershipHealthFilterSet(WagtailFilterSet):
    round = RoundChoiceFilter(field_name="round")
    overdue = django_filters.BooleanFilter(
        label=capfirst(_("overdue")),
        method="filter_overdue",
        widget=BooleanRadioSelect,
        help_text=_("No contact reported for longer than the site allows."),
    )
    needs_help = django_filters.BooleanFilter(
        label=capfirst(_("needs help")), field_name="needs_help", widget=BooleanRadioSelect
    )

    class Meta:
        model = Partnership
        fields = ["round", "overdue", "needs_help"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = periods.overdue_q(timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


def latest_answers(partnership):
    """Each member's latest answer: "Ana: We've been in touch; Kofi: —"."""
    latest = {}
    for check_in in partnership.check_ins.all():  # newest first
        latest.setdefault(check_in.participant_id, check_in)
    parts = []
    for member in partnership.members.all():
        person = member.enrolment.participant
        check_in = latest.get(person.pk)
        answer = check_in.get_answer_display() if check_in else "—"
        parts.append(f"{first_name(person)}: {answer}")
    return "; ".join(parts)


class FlagsColumn(Column):
    """A list of labels, each shown as a status tag."""

    cell_template_name = "wagtail_iln/health/_flags_cell.html"


class PartnershipHealthIndexView(PartnershipPolicyMixin, IndexView):
    any_permission_required = VIEW_PERMISSIONS
    page_title = _("Partnership health")
    header_icon = "pick"
    filterset_class = PartnershipHealthFilterSet
    # Scrolls sideways on a phone (css/admin.css): flags and answers are its last columns.
    table_classname = "listing iln-listing"
    default_ordering = "contact_since"
    is_searchable = False
    paginate_by = 50
    remind_url_name = None

    def get_base_queryset(self):
        check_ins = CheckIn.objects.order_by("-created_at", "-pk")
        reminders = PartnershipEmail.objects.filter(kind=PartnershipEmailKind.REMINDER)
        return health.with_health(
            periods.with_members(periods.active_partnerships()).prefetch_related(
                Prefetch("check_ins", queryset=check_ins),
                Prefetch("emails", queryset=reminders, to_attr="reminders"),
            )
        )

    def order_queryset(self, queryset):
        if self.ordering in ("contact_since", "-contact_since"):
            field = F("contact_since")
            field = field.desc() if self.ordering.startswith("-") else field.asc()
            return queryset.order_by(field, "pk")
        return super().order_queryset(queryset)

    def get_valid_orderings(self):
        return ["contact_since", "-contact_since", "started_on", "-started_on"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["object_list"] and not self.is_filtering:
            context["no_results_message"] = self.waiting_message()
        return context

    def waiting_message(self):
        """With no partnership under way, what the report will show, and from when."""
        message = gettext(
            "No partnership is under way. Once a round has started, each of its published "
            "partnerships is listed here with its last contact, its members' answers to the "
            "fortnightly check-ins and whether it needs help."
        )
        coming = (
            Round.objects.filter(
                status__in=[
                    RoundStatus.PLANNING,
                    RoundStatus.APPLICATIONS_OPEN,
                    RoundStatus.MATCHING,
                ],
                starts_on__gte=timezone.localdate(self.now),
            )
            .order_by("starts_on", "pk")
            .first()
        )
        if coming is None:
            return message
        return " ".join(
            [
                message,
                gettext("The next round, %(round)s, starts on %(date)s.")
                % {"round": coming.localized.name, "date": date_format(coming.starts_on)},
            ]
        )

    @cached_property
    def now(self):
        return timezone.now()

    def reminded(self, partnership):
        """This period's reminder to ``partnership`` (sent by an editor or on schedule), or None."""
        period = periods.period_on(partnership.started_on, timezone.localdate(self.now))
        return next((sent for sent in partnership.reminders if sent.period == period), None)

    def flags(self, partnership):
        flags = []
        if periods.is_overdue(partnership, self.now):
            flags.append(gettext("overdue"))
        reminder = self.reminded(partnership)
        if reminder is not None:
            flags.append(
                gettext("reminded on %(date)s")
                % {"date": date_format(timezone.localdate(reminder.sent_at), "DATE_FORMAT")}
            )
        if partnership.needs_help:
            flags.append(gettext("needs help"))
        return flags

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "members",
                label=capfirst(_("members")),
                accessor="get_members_display",
                get_url=self.get_edit_url,
            ),
            Column("round", label=capfirst(_("round")), accessor="round.name"),
            Column(
                "started_on",
                label=capfirst(_("starts on")),
                accessor="get_started_on_display",
                sort_key="started_on",
            ),
            DateColumn("last_contact_at", label=capfirst(_("last contact"))),
            Column(
                "days_without_contact",
                label=capfirst(_("days since")),
                accessor=lambda p: periods.days_without_contact(p, self.now),
                sort_key="contact_since",
            ),
            Column("latest_answers", label=capfirst(_("latest answers")), accessor=latest_answers),
            FlagsColumn("flags", label=capfirst(_("flags")), accessor=self.flags),
        ]

    def get_edit_url(self, instance):
        if self.user_has_permission("change"):
            return reverse(instance.snippet_viewset.get_url_name("edit"), args=[instance.pk])
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (
            self.remind_url_name
            and self.user_has_permission("change")
            and periods.is_overdue(instance, self.now)
            and self.reminded(instance) is None
        ):
            buttons.append(
                Button(
                    gettext("Send a reminder"),
                    url=reverse(self.remind_url_name, args=[instance.pk]),
                    icon_name="mail",
                    priority=5,
                )
            )
        return buttons


class SendReminderView(PartnershipPolicyMixin, WagtailAdminTemplateMixin, View):
    """Confirm, then e-mail an overdue partnership's members a reminder; once per period."""

    permission_required = "change"
    template_name = "wagtail_iln/health/admin_confirm_reminder.html"
    page_title = _("Send a reminder")
    header_icon = "mail"
    index_url_name = None

    def get_object(self, pk):
        # After the permission check of dispatch(): nobody learns which partnerships exist.
        self.object = get_object_or_404(periods.with_members(periods.active_partnerships()), pk=pk)
        return self.object

    def get_page_subtitle(self):
        return str(self.object)

    def get(self, request, pk):
        self.get_object(pk)
        context = self.get_context_data(
            partnership=self.object,
            days=periods.days_without_contact(self.object),
            overdue=periods.is_overdue(self.object),
            cancel_url=reverse(self.index_url_name),
        )
        return self.render_to_response(context)

    def post(self, request, pk):
        self.get_object(pk)
        try:
            sent = health.send_reminder(self.object)
        except ValueError:
            messages.error(
                request,
                gettext("%(partnership)s is not overdue: no reminder was sent.")
                % {"partnership": self.object},
            )
        else:
            if sent is None:
                messages.warning(
                    request,
                    gettext(
                        "A reminder was already sent to %(partnership)s in this period; "
                        "it was not sent again."
                    )
                    % {"partnership": self.object},
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "Reminder sent to %(count)s member of %(partnership)s.",
                        "Reminder sent to %(count)s members of %(partnership)s.",
                        sent,
                    )
                    % {"count": sent, "partnership": self.object},
                )
        return redirect(self.index_url_name)


class PartnershipHealthViewSet(ViewSet):
    """The report of active partnerships by last contact, in the Programme menu."""

    name = VIEWSET_NAME
    url_prefix = "iln/partnership-health"
    icon = "pick"
    menu_label = _("Partnership health")
    menu_name = "iln-partnership-health"

    @cached_property
    def menu_item_class(self):
        class PartnershipHealthMenuItem(MenuItem):
            def is_shown(self, request):
                policy = permission_policy_for(Partnership)
                return policy.user_has_any_permission(request.user, VIEW_PERMISSIONS)

        return PartnershipHealthMenuItem

    def get_urlpatterns(self):
        index = PartnershipHealthIndexView.as_view(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            remind_url_name=self.get_url_name("remind"),
        )
        results = PartnershipHealthIndexView.as_view(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            remind_url_name=self.get_url_name("remind"),
            results_only=True,
        )
        remind = SendReminderView.as_view(index_url_name=self.get_url_name("index"))
        return [
            path("", index, name="index"),
            path("results/", results, name="index_results"),
            path("remind/<int:pk>/", remind, name="remind"),
        ]
