"""The page a check-in link opens: it shows the answer, and one button records it.

A GET records nothing, so a mail system that fetches links to scan them
answers nothing on the member's behalf.
"""

import datetime

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import EXPIRED
from ..programme.choices import CheckInAnswer
from . import checkins as health
from .links import link_from_token
from .periods import interval_days

TEMPLATE = "wagtail_iln/health/check_in.html"


def first_name(participant):
    words = participant.name.split()
    return words[0] if words else ""


def _render(request, context, status=200):
    context = {"wagtail_iln_base_template": get_setting("BASE_TEMPLATE"), **context}
    return TemplateResponse(request, TEMPLATE, context, status=status).render()


def _context(link, token, answer):
    partnership = link.partnership
    members = [
        member.enrolment.participant
        for member in partnership.members.select_related("enrolment__participant")
    ]
    labels = dict(CheckInAnswer.choices)
    return {
        "answer": answer,
        "answer_label": labels[answer],
        "names": [first_name(person) for person in members],
        "own_name": first_name(link.participant),
        "round": partnership.round.localized,
        "period_starts_on": partnership.started_on
        + datetime.timedelta(days=link.period * interval_days())
        if partnership.started_on
        else None,
        "other_answers": [
            (labels[other], reverse("wagtail_iln:check_in", args=[token, other]))
            for other in CheckInAnswer.values
            if other != answer
        ],
        "help_url": reverse("wagtail_iln:check_in", args=[token, CheckInAnswer.NEED_HELP]),
    }


@never_cache  # shows personal data: no shared or browser cache keeps it
@require_http_methods(["GET", "POST"])
def check_in(request, token, answer):
    """A member's answer to a check-in e-mail.

    400 for a link that is not valid, 410 for an expired one, 409 when the
    member already answered for that period (the page says what was recorded),
    404 for an unknown answer; none of them changes anything. POST records.

    "We need help" is never turned away: after another answer for the period
    it is recorded all the same (``checkins.ask_for_help``), and asked again it
    confirms the request; the page says how the organisers reach the member
    (``CONTACT_EMAIL``).
    """
    if answer not in CheckInAnswer.values:
        raise Http404("Unknown check-in answer")
    link, problem = link_from_token(token)
    if link is None:
        expired = problem == EXPIRED
        return _render(request, {"problem": problem}, status=410 if expired else 400)
    language = link.participant.language or translation.get_language()
    with translation.override(language):
        context = _context(link, token, answer)
        if answer == CheckInAnswer.NEED_HELP:
            return _help(request, link, context)
        existing = health.existing_check_in(link.partnership, link.participant, link.period)
        if existing is None and request.method == "POST":
            existing, created = health.record_check_in(
                link.partnership, link.participant, link.period, answer
            )
            if created:
                return _render(request, {**context, "recorded": existing})
        if existing is not None:
            return _render(
                request,
                {
                    **context,
                    "problem": "used",
                    "already": existing,
                    "already_label": existing.get_answer_display(),
                },
                status=409,
            )
        return _render(request, context)


def _help(request, link, context):
    """The "we need help" link: the button, then the request recorded, whatever came before."""
    context["contact_email"] = get_setting("CONTACT_EMAIL")
    existing = health.existing_check_in(link.partnership, link.participant, link.period)
    if existing is not None and existing.answer == CheckInAnswer.NEED_HELP:
        return _render(request, {**context, "asked_already": existing})
    if request.method == "POST":
        check_in, recorded = health.ask_for_help(link.partnership, link.participant, link.period)
        if recorded:
            return _render(request, {**context, "recorded": check_in})
        return _render(request, {**context, "asked_already": check_in})
    return _render(request, {**context, "already": existing})
