"""The round's topic calendar in the admin: a date every fortnight, a topic for each."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale

from ..compat import permission_policy_for
from ..programme.models import Round
from .calendar import PlannedTopic, proposed_dates, round_topics, save_plan
from .models import DiscussionIndexPage, DiscussionTopicPage


def may_plan(user):
    """Whether ``user`` may plan a round's topics: change rounds and add pages."""
    return permission_policy_for(Round).user_has_permission(user, "change") and (
        user.is_superuser or user.has_perm("wagtailcore.add_page")
    )


def calendar_button(user, round, url_name, **kwargs):
    if not may_plan(user):
        return None
    return Button(
        _("Topic calendar"), url=reverse(url_name, args=[round.pk]), icon_name="date", **kwargs
    )


class TopicCalendarView(WagtailAdminTemplateMixin, View):
    template_name = "wagtail_iln/topics/calendar.html"
    header_icon = "date"
    index_url_name = None
    calendar_url_name = None

    def dispatch(self, request, pk):
        if not may_plan(request.user):
            raise PermissionDenied
        self.round = get_object_or_404(Round, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return gettext("Topic calendar: %(round)s") % {"round": self.round}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Round._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def index_pages(self):
        locale = self.round.locale or Locale.get_default()
        pages = DiscussionIndexPage.objects.filter(locale=locale)
        return pages if pages.exists() else DiscussionIndexPage.objects.all()

    def rows(self):
        """The planned topics, then a proposed date for each fortnight still without one."""
        topics = round_topics(self.round)
        dates = proposed_dates(self.round)
        rows = [PlannedTopic(t.discussion_opens or dates[0], t.title, t) for t in topics]
        rows += [PlannedTopic(day, "") for day in dates[len(topics) :]]
        return rows

    def get(self, request, pk):
        context = self.get_context_data(
            round=self.round,
            rows=self.rows(),
            index_pages=self.index_pages(),
            action_url=reverse(self.calendar_url_name, args=[self.round.pk]),
        )
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, pk):
        index_page = self.index_pages().filter(pk=request.POST.get("index")).first()
        if index_page is None:
            messages.error(request, gettext("Choose the discussion index the topics go under."))
            return redirect(self.calendar_url_name, self.round.pk)
        own = {t.pk: t for t in DiscussionTopicPage.objects.filter(round=self.round)}
        rows = []
        for day, title, topic in zip(
            request.POST.getlist("day"),
            request.POST.getlist("title"),
            request.POST.getlist("topic"),
            strict=False,
        ):
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                messages.error(request, gettext("“%(day)s” is not a date.") % {"day": day})
                return redirect(self.calendar_url_name, self.round.pk)
            found = own.get(int(topic)) if topic.isdigit() else None
            rows.append(PlannedTopic(day, title.strip(), found))
        topics = save_plan(self.round, index_page, rows)
        messages.success(
            request,
            ngettext(
                "The calendar has %(count)s topic, each scheduled for its day.",
                "The calendar has %(count)s topics, each scheduled for its day.",
                len(topics),
            )
            % {"count": len(topics)},
        )
        return redirect(self.calendar_url_name, self.round.pk)


def calendar_urlpatterns(viewset):
    view = TopicCalendarView.as_view(
        index_url_name=viewset.get_url_name("list"),
        calendar_url_name=viewset.get_url_name("calendar"),
    )
    return [path("calendar/<int:pk>/", view, name="calendar")]
