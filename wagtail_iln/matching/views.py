"""The round's matching page in the admin: run, read and adjust the proposal, publish.

Everything here needs the permission to change partnerships. Views are built by
:class:`~wagtail_iln.programme.views.RoundViewSet` through :func:`matching_urlpatterns`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from ..compat import permission_policy_for
from ..programme.choices import MatchingRunStatus, PartnershipStatus
from ..programme.models import Enrolment, Partnership, PartnershipMember, Round
from . import actions
from .forms import MatchingWeightsForm
from .publishing import (
    publish_message,
    publishing_figures,
    start_publishing,
    unmatched_message,
    what_publishing_closes,
)
from .reasons import pair_reason_text, unmatched_reason_text
from .runs import (
    MatchingConfigurationError,
    latest_run,
    proposal_figures,
    published_figures,
    round_enrolments,
    round_weights,
    running_run,
    start_run,
)

PARTNERSHIPS_PER_PAGE = 25
POOL_PER_PAGE = 100
# Query parameters of the page that an action keeps when it sends the editor back.
KEPT_PARAMETERS = ("q", "p", "pool")


def kept_parameters(source):
    """The matching page's search and page numbers in ``source`` (a GET or POST), to go back."""
    return {key: source[key] for key in KEPT_PARAMETERS if source.get(key)}


def may_match(user):
    """Whether ``user`` may run and change a round's matching: change partnerships."""
    return permission_policy_for(Partnership).user_has_permission(user, "change")


def match_button(user, round, url_name, button_class=Button, **kwargs):
    """The "Match participants" button of a round, for those who may use it."""
    if not may_match(user):
        return None
    return button_class(
        _("Match participants"),
        url=reverse(url_name, args=[round.pk]),
        icon_name="group",
        attrs={"data-iln-match-button": ""},
        **kwargs,
    )


class MatchingMixin(WagtailAdminTemplateMixin):
    header_icon = "group"
    index_url_name = None
    edit_url_name = None
    matching_url_name = None

    def dispatch(self, request, pk, *args, **kwargs):
        if not may_match(request.user):
            raise PermissionDenied
        self.round = get_object_or_404(Round, pk=pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def matching_title(self):
        return gettext("Matching: %(round)s") % {"round": self.round}

    def get_page_title(self):
        return self.matching_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Round._meta.verbose_name_plural),
            },
            {"url": reverse(self.edit_url_name, args=[self.round.pk]), "label": str(self.round)},
            {"url": "", "label": self.get_page_title()},
        ]

    def url_for(self, name=""):
        """The matching page (no ``name``), its ``run`` and ``progress`` URLs, or an action's."""
        if not name:
            return reverse(self.matching_url_name, args=[self.round.pk])
        if name in ("run", "progress"):
            return reverse(f"{self.matching_url_name}_{name}", args=[self.round.pk])
        return reverse(f"{self.matching_url_name}_action", args=[self.round.pk, name])

    def back_url(self, source=None):
        source = self.request.POST if source is None else source
        kept = kept_parameters(source)
        url = self.url_for("")
        return f"{url}?{urlencode(kept)}" if kept else url


class MatchingView(MatchingMixin, View):
    """The proposal: figures, partnerships with reasons and profiles, people left to pair."""

    template_name = "wagtail_iln/matching/index.html"

    def get(self, request, pk):
        return self.render(MatchingWeightsForm(initial=self.initial_weights()))

    def initial_weights(self):
        try:
            return MatchingWeightsForm.initial_from(round_weights(self.round))
        except MatchingConfigurationError as error:
            messages.error(self.request, str(error))
            return {}

    def partnerships(self):
        members = PartnershipMember.objects.order_by("pk")
        enrolments = Enrolment.objects.with_returning()
        queryset = (
            Partnership.objects.filter(
                round__translation_key=self.round.translation_key,
                status=PartnershipStatus.PROPOSED,
            )
            .prefetch_related(
                Prefetch("members", queryset=members),
                Prefetch("members__enrolment", queryset=enrolments),
            )
            .order_by("-pinned", "-score", "pk")
        )
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(
                Q(members__enrolment__participant__name__icontains=query)
                | Q(members__enrolment__participant__country__iexact=query)
            ).distinct()
        page = Paginator(queryset, PARTNERSHIPS_PER_PAGE).get_page(self.request.GET.get("p"))
        kept = kept_parameters(self.request.GET)
        for partnership in page:
            people = [member.enrolment for member in partnership.members.all()]
            names = {e.pk: e.participant.name for e in people}
            partnership.people = people
            partnership.reason_texts = [
                pair_reason_text(reason, names) for reason in partnership.reasons
            ]
            # "Break up" asks first: it leads to the confirmation, which comes back here.
            partnership.break_url = (
                self.url_for("break") + "?" + urlencode({"partnership": partnership.pk, **kept})
            )
        return page

    def pool(self, run):
        queryset = (
            round_enrolments(self.round)
            .filter(partnership_member__isnull=True)
            .with_returning()
            .order_by("participant__name", "pk")
        )
        page = Paginator(queryset, POOL_PER_PAGE).get_page(self.request.GET.get("pool"))
        reasons = {}
        if run is not None and run.status == MatchingRunStatus.FINISHED:
            reasons = {item.get("enrolment"): item for item in run.unmatched}
        for enrolment in page:
            reason = reasons.get(enrolment.pk)
            enrolment.unmatched_reason = (
                unmatched_reason_text(reason.get("key"), reason.get("params")) if reason else ""
            )
        return page

    def render(self, form, status=200):
        run = latest_run(self.round)
        running = running_run(self.round)
        context = self.get_context_data(
            round=self.round,
            form=form,
            run=run,
            job=latest_run(self.round, kind=None),
            running=running,
            figures=proposal_figures(self.round),
            published=published_figures(self.round),
            publishing_closes=what_publishing_closes(self.round),
            partnerships=self.partnerships(),
            pool=self.pool(run),
            query=self.request.GET.get("q", ""),
            kept={key: self.request.GET[key] for key in KEPT_PARAMETERS if key in self.request.GET},
            urls={
                name: self.url_for(name)
                for name in ("run", "progress", "pin", "unpin", "break", "swap", "pair", "publish")
            },
            here=self.url_for(""),
            partnerships_url=reverse("wagtailsnippets_wagtail_iln_partnership:list")
            + f"?round={self.round.pk}",
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RunView(MatchingView):
    """Save the round's weights and queue a run (it runs at once with the immediate backend)."""

    def get(self, request, pk):
        return redirect(self.url_for(""))

    def post(self, request, pk):
        form = MatchingWeightsForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("The matching was not started: check the weights."))
            return self.render(form, status=400)
        try:
            run = start_run(self.round, request.user, form.weights)
        except MatchingConfigurationError as error:
            messages.error(request, str(error))
            return self.render(form, status=400)
        if run is None:
            messages.warning(request, gettext("A matching of this round is already running."))
        else:
            run.refresh_from_db()
            if run.status == MatchingRunStatus.FINISHED:
                messages.success(request, gettext("The matching has finished."))
            elif run.status == MatchingRunStatus.FAILED:
                messages.error(
                    request, gettext("The matching failed: %(error)s") % {"error": run.error}
                )
            else:
                messages.success(request, gettext("The matching has started."))
        return redirect(self.url_for(""))


class ProgressView(MatchingMixin, View):
    """The latest run of the round, as JSON, for the progress bar."""

    def get(self, request, pk):
        run = latest_run(self.round, kind=None)
        if run is None:
            raise Http404
        return JsonResponse(
            {
                "status": run.status,
                "status_label": str(run.get_status_display()),
                "progress": run.progress,
                "done": running_run(self.round) is None,
                "url": self.url_for(""),
            }
        )


class ActionView(MatchingMixin, View):
    """One change to the proposal, posted from the matching page.

    Breaking up a partnership and publishing ask first, as deleting does in
    Wagtail's admin: their confirmation is shown on a GET (the "Break up" link,
    the "Publish and introduce the partners" button) and on a POST without
    ``confirm``; only a POST with ``confirm`` breaks up or publishes.
    """

    template_name = "wagtail_iln/matching/confirm.html"
    break_template_name = "wagtail_iln/matching/confirm_break.html"
    publish_template_name = "wagtail_iln/matching/confirm_publish.html"
    actions = ("pin", "unpin", "break", "swap", "pair", "publish")
    #: The actions that ask first, with the method showing their confirmation.
    confirmations = {"break": "confirm_break", "publish": "confirm_publish"}
    #: The title of the confirmation shown, if one is.
    confirming = None

    def get(self, request, pk, action):
        if action not in self.confirmations:
            return redirect(self.url_for(""))
        try:
            return getattr(self, self.confirmations[action])(request.GET)
        except ValidationError as error:
            self.report(error)
        return redirect(self.back_url(request.GET))

    def post(self, request, pk, action):
        if action not in self.actions:
            raise Http404
        try:
            response = getattr(self, f"do_{action}")(request)
        except ValidationError as error:
            self.report(error)
        else:
            if response is not None:
                return response
        return redirect(self.back_url())

    def report(self, error):
        for message in error.messages:
            messages.error(self.request, message)

    def get_page_title(self):
        if self.confirming is not None:
            return self.confirming
        return super().get_page_title()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.confirming is None:
            return items
        matching = {"url": self.url_for(""), "label": self.matching_title()}
        return [*items[:-1], matching, {"url": "", "label": self.get_page_title()}]

    def do_pin(self, request, pinned=True):
        partnership = actions.set_pinned(self.round, request.POST.get("partnership"), pinned)
        if pinned:
            message = gettext("%(partnership)s will be kept when matching again.")
        else:
            message = gettext("%(partnership)s may change when matching again.")
        messages.success(request, message % {"partnership": partnership})

    def do_unpin(self, request):
        self.do_pin(request, pinned=False)

    def confirm_break(self, source):
        """The page asking whether to break up the proposal ``source["partnership"]``."""
        breaking = actions.proposal(self.round, source.get("partnership"), lock=False)
        self.confirming = gettext("Break up a partnership")
        members = PartnershipMember.objects.filter(partnership=breaking).select_related(
            "enrolment__participant"
        )
        context = self.get_context_data(
            round=self.round,
            partnership=breaking,
            people=[member.enrolment.participant for member in members.order_by("pk")],
            kept=kept_parameters(source),
            action_url=self.url_for("break"),
            cancel_url=self.back_url(source),
        )
        return TemplateResponse(self.request, self.break_template_name, context)

    def do_break(self, request):
        if request.POST.get("confirm") != "1":
            return self.confirm_break(request.POST)
        names = actions.break_up(self.round, request.POST.get("partnership"), request.user)
        messages.success(
            request,
            gettext("%(partnership)s are no longer paired; they can be matched again.")
            % {"partnership": names},
        )

    def confirm(self, action, warnings, enrolment_ids):
        context = self.get_context_data(
            round=self.round,
            action=action,
            warnings=warnings,
            enrolments=enrolment_ids,
            kept=kept_parameters(self.request.POST),
            action_url=self.url_for(action),
            cancel_url=self.back_url(),
        )
        return TemplateResponse(self.request, self.template_name, context)

    def change_by_hand(self, request, action, change, done):
        """Pair or swap the chosen enrolments; with warnings, ask for a confirmation first.

        ``change`` is the ``actions`` function, ``done(result)`` the message when done.
        """
        ids = request.POST.getlist("enrolment")
        confirm = request.POST.get("confirm") == "1"
        result, warnings = change(self.round, ids, confirm=confirm)
        if result is None:
            return self.confirm(action, warnings, ids)
        messages.success(request, done(result))
        for warning in warnings:
            messages.warning(request, warning)

    def do_pair(self, request):
        return self.change_by_hand(
            request,
            "pair",
            actions.pair,
            lambda partnership: (
                gettext("%(partnership)s are paired, and kept when matching again.")
                % {"partnership": partnership}
            ),
        )

    def do_swap(self, request):
        return self.change_by_hand(
            request,
            "swap",
            actions.swap,
            lambda pair: (
                gettext("Swapped: %(first)s and %(second)s; both are kept when matching again.")
                % {"first": pair[0], "second": pair[1]}
            ),
        )

    def confirm_publish(self, source, status=200):
        """The page asking whether to publish the proposal: what it does, to whom, for good."""
        if running_run(self.round) is not None:
            raise ValidationError(
                gettext("A matching or publishing of this round is already running.")
            )
        figures = publishing_figures(self.round)
        if not figures["partnerships"]:
            raise ValidationError(gettext("There is no proposed partnership to publish."))
        self.confirming = gettext("Publish and introduce the partners")
        context = self.get_context_data(
            round=self.round,
            figures=figures,
            publishing_closes=what_publishing_closes(self.round),
            unmatched=proposal_figures(self.round)["unmatched"],
            kept=kept_parameters(source),
            action_url=self.url_for("publish"),
            cancel_url=self.back_url(source),
        )
        return TemplateResponse(self.request, self.publish_template_name, context, status=status)

    def do_publish(self, request):
        if request.POST.get("confirm") != "1":
            return self.confirm_publish(request.POST)
        figures = publishing_figures(self.round)
        if figures["partnerships"] and request.POST.get("proposal") != figures["proposal"]:
            # The proposal changed since the page was shown (matched again, another
            # editor's change): the figures the editor confirmed are no longer true.
            messages.warning(
                request,
                gettext("Nothing was published: the proposal changed since. Check it again."),
            )
            return self.confirm_publish(request.POST, status=409)
        if what_publishing_closes(self.round) and not request.POST.get("close_applications"):
            messages.error(
                request,
                gettext(
                    "Nothing was published: publishing closes this round's applications. "
                    "Tick the box to confirm."
                ),
            )
            return self.confirm_publish(request.POST, status=400)
        count = figures["partnerships"]
        job = start_publishing(self.round, request.user)
        if job is None:
            messages.warning(
                request, gettext("A matching or publishing of this round is already running.")
            )
            return
        job.refresh_from_db()
        if job.status == MatchingRunStatus.FINISHED:
            count = job.figures.get("published", 0)
            messages.success(request, publish_message(count))
        elif job.status == MatchingRunStatus.FAILED:
            messages.error(request, gettext("Publishing failed: %(error)s") % {"error": job.error})
            return
        else:
            messages.success(request, publish_message(count, started=True))
        unmatched = proposal_figures(self.round)["unmatched"]
        if count and unmatched:
            messages.warning(request, unmatched_message(unmatched))


def matching_urlpatterns(viewset):
    """The matching URLs of a round viewset: ``matching/<pk>/`` and its actions."""
    common = {
        "index_url_name": viewset.get_url_name("list"),
        "edit_url_name": viewset.get_url_name("edit"),
        "matching_url_name": viewset.get_url_name("matching"),
    }
    return [
        path("matching/<int:pk>/", MatchingView.as_view(**common), name="matching"),
        path("matching/<int:pk>/run/", RunView.as_view(**common), name="matching_run"),
        path(
            "matching/<int:pk>/progress/",
            ProgressView.as_view(**common),
            name="matching_progress",
        ),
        path(
            "matching/<int:pk>/<slug:action>/",
            ActionView.as_view(**common),
            name="matching_action",
        ),
    ]
