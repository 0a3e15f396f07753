"""The admin home page's panels: the current round, what waits for moderation, partnerships
that need attention, and the next topic to publish (``construct_homepage_panels``)."""

from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu
from wagtail.admin.ui.components import Component

from ..compat import permission_policy_for
from ..health.checkins import with_health
from ..health.periods import active_partnerships, overdue_q
from .choices import EnrolmentStatus, PartnershipStatus, RoundStatus
from .models import Enrolment, Partnership, Round

PLANNING, CLOSED = RoundStatus.PLANNING, RoundStatus.CLOSED
MODERATION_MENU = "iln-moderation"


class HomePanel(Component):
    """A panel of the admin's home page; shown (``shown``) to those who may see ``model``."""

    #: The model whose add, change, delete or view permission the panel asks for; None: anyone.
    model = None

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        policy = permission_policy_for(self.model) if self.model else None
        if policy and not policy.user_has_any_permission(
            request.user, {"add", "change", "delete", "view"}
        ):
            return {"shown": False}
        return {"shown": True, **self.panel_context(request)}

    def panel_context(self, request):
        raise NotImplementedError


def current_round():
    """The round in progress (the latest to have opened), else the next to come, else the last."""
    first = Round.objects.values("translation_key").annotate(first=Min("pk")).values("first")
    rounds = list(Round.objects.filter(pk__in=first).order_by("-starts_on", "pk"))
    in_progress = [r for r in rounds if r.current_status not in (PLANNING, CLOSED)]
    planned = [r for r in rounds if r.current_status == PLANNING]
    if in_progress:
        return in_progress[0]
    if planned:
        return planned[-1]
    return rounds[0] if rounds else None


class CurrentRoundPanel(HomePanel):
    name = "iln_current_round"
    template_name = "wagtail_iln/programme/home/current_round.html"
    order = 110
    model = Enrolment

    def panel_context(self, request):
        round = current_round()
        if round is None:
            return {"round": None}
        enrolments = Enrolment.objects.filter(round__translation_key=round.translation_key)
        counts = {
            status: enrolments.filter(status=status).count()
            for status in (EnrolmentStatus.APPLIED, EnrolmentStatus.ACCEPTED)
        }
        viewset = Round.snippet_viewset
        return {
            "round": round,
            "status": round.get_current_status_display(),
            "applicants": enrolments.count(),
            "accepted": counts[EnrolmentStatus.ACCEPTED],
            "to_review": counts[EnrolmentStatus.APPLIED],
            "partnerships": Partnership.objects.filter(
                round__translation_key=round.translation_key,
                status__in=[PartnershipStatus.ACTIVE, PartnershipStatus.ENDED],
            ).count(),
            "edit_url": reverse(viewset.get_url_name("edit"), args=[round.pk]),
            "matching_url": reverse(viewset.get_url_name("matching"), args=[round.pk]),
            "review_url": reverse("wagtailsnippets_wagtail_iln_enrolment:review")
            + f"?round={round.pk}",
        }


class ModerationQueuesPanel(HomePanel):
    """What waits in each moderation queue this user sees, as the Moderation menu counts it."""

    name = "iln_moderation_queues"
    template_name = "wagtail_iln/programme/home/moderation_queues.html"
    order = 120

    def panel_context(self, request):
        queues = []
        for item in admin_menu.menu_items_for_request(request):
            if item.name != MODERATION_MENU:
                continue
            for queue in item.menu.menu_items_for_request(request):
                if hasattr(queue, "count_for"):
                    queues.append(
                        {"label": queue.label, "url": queue.url, "count": queue.count_for(request)}
                    )
        return {"queues": queues}


class PartnershipsAttentionPanel(HomePanel):
    name = "iln_partnerships_attention"
    template_name = "wagtail_iln/programme/home/partnerships_attention.html"
    order = 130
    model = Partnership

    def panel_context(self, request):
        active = active_partnerships()
        report = reverse("iln_partnership_health:index")
        return {
            "shown": active.exists(),
            "overdue": active.filter(overdue_q(timezone.now())).count(),
            "needs_help": with_health(active).filter(needs_help=True).count(),
            "overdue_url": f"{report}?overdue=true",
            "needs_help_url": f"{report}?needs_help=true",
        }


class NextTopicPanel(HomePanel):
    """The next discussion topic to publish: the first one scheduled, else the oldest draft."""

    name = "iln_next_topic"
    template_name = "wagtail_iln/programme/home/next_topic.html"
    order = 140

    def panel_context(self, request):
        from ..topics.models import DiscussionTopicPage

        topic = (
            DiscussionTopicPage.objects.filter(live=False)
            .order_by(F("go_live_at").asc(nulls_last=True), "discussion_opens", "pk")
            .first()
        )
        return {
            "topic": topic,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[topic.pk]) if topic else None,
        }


def add_panels(request, panels):
    """``construct_homepage_panels`` hook."""
    panels.extend(
        [
            CurrentRoundPanel(),
            ModerationQueuesPanel(),
            PartnershipsAttentionPanel(),
            NextTopicPanel(),
        ]
    )
