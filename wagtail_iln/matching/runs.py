"""Matching a round from Django: participants in, proposed partnerships out.

The engine (:mod:`wagtail_iln.matching`) knows nothing of Django. This module
turns a round's accepted enrolments into its :class:`~wagtail_iln.matching.Person`
records (the enrolment's id is the person's id, everywhere: partnerships, reasons,
unmatched people), reads the rules and weights from the settings and the round,
and runs the engine as a background task that records a :class:`MatchingRun`.
"""

import dataclasses
import datetime
import logging
import math
from builtins import round as round_number
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django_tasks import task

from ..conf import DEFAULTS, get_setting
from ..programme.choices import (
    EnrolmentStatus,
    MatchingRunStatus,
    PartnershipStatus,
    RoundJobKind,
)
from ..programme.models import Enrolment, Partnership, PartnershipMember, Round
from .engine import Person, Rules, Weights, match
from .models import MatchingRun
from .regions import region_of

logger = logging.getLogger(__name__)

# The weights an editor may set, with the range a form accepts.
NUMBER_WEIGHTS = [f.name for f in dataclasses.fields(Weights) if f.type is float]
WORKPLACE_PREFERENCE = "prefer_same_workplace_kind"
MAX_WEIGHT = 100.0
# The reason key of people whose partner was paired by hand while the run worked.
CHANGED_DURING_RUN = "changed_during_run"
# A run still "running" this long after it started was lost (its worker stopped): another
# run may start.
ABANDONED_AFTER = datetime.timedelta(hours=1)


class MatchingConfigurationError(Exception):
    """The site's matching settings cannot be used; the message says why, translated."""


# Rules and weights


def import_rule(path):
    try:
        rule = import_string(path)
    except ImportError as error:
        raise MatchingConfigurationError(
            gettext("The extra matching rule “%(path)s” cannot be imported: %(error)s")
            % {"path": path, "error": error}
        ) from error
    if not callable(rule):
        raise MatchingConfigurationError(
            gettext("The extra matching rule “%(path)s” is not a function.") % {"path": path}
        )
    return rule


def matching_rules():
    """The hard rules of ``WAGTAIL_ILN["MATCHING_RULES"]``, extra rules imported."""
    config = {**DEFAULTS["MATCHING_RULES"], **get_setting("MATCHING_RULES")}
    extra = config["EXTRA"]
    if isinstance(extra, str):
        extra = [extra]
    return Rules(
        different_countries=bool(config["DIFFERENT_COUNTRIES"]),
        no_repeat_partners=bool(config["NO_REPEAT_PARTNERS"]),
        shared_language=bool(config["SHARED_LANGUAGE"]),
        extra=tuple(import_rule(path) for path in extra),
    )


def clean_weights(values):
    """Check a mapping of ``Weights`` field names to values; return it with floats.

    Raises ``ValidationError`` naming the first wrong entry.
    """
    if not isinstance(values, dict):
        raise ValidationError(gettext("Matching weights must be a mapping of names to numbers."))
    cleaned = {}
    for name, value in values.items():
        if name == WORKPLACE_PREFERENCE:
            if value not in (True, False, None):
                raise ValidationError(
                    gettext("“%(name)s” must be true, false or empty.") % {"name": name}
                )
            cleaned[name] = value
            continue
        if name not in NUMBER_WEIGHTS:
            raise ValidationError(gettext("“%(name)s” is not a matching weight.") % {"name": name})
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError(
                gettext("The weight “%(name)s” must be a number.") % {"name": name}
            )
        if not 0 <= value <= MAX_WEIGHT:
            raise ValidationError(
                gettext("The weight “%(name)s” must be between 0 and %(max)s.")
                % {"name": name, "max": int(MAX_WEIGHT)}
            )
        cleaned[name] = float(value)
    return cleaned


def default_weights():
    """The site's weights: ``Weights`` defaults, then ``WAGTAIL_ILN["MATCHING_WEIGHTS"]``."""
    try:
        site = clean_weights(get_setting("MATCHING_WEIGHTS"))
    except ValidationError as error:
        raise MatchingConfigurationError(
            gettext("MATCHING_WEIGHTS: %(error)s") % {"error": error.messages[0]}
        ) from error
    return {**dataclasses.asdict(Weights()), **site}


def round_weights(round):
    """The weights for ``round``: the site's, then what an editor set for the round."""
    weights = default_weights()
    try:
        weights.update(clean_weights(round.matching_weights or {}))
    except ValidationError:
        logger.warning("Round %s has invalid matching weights; the site's are used.", round.pk)
    return weights


# People


def round_enrolments(round):
    """Accepted enrolments of ``round`` in all its translations."""
    return Enrolment.objects.filter(
        round__translation_key=round.translation_key, status=EnrolmentStatus.ACCEPTED
    )


def kept_partnerships(round):
    """Partnerships a run leaves alone: active, ended, and proposed ones an editor pinned."""
    return Partnership.objects.filter(round__translation_key=round.translation_key).filter(
        ~Q(status=PartnershipStatus.PROPOSED) | Q(pinned=True)
    )


def pool(round):
    """Accepted enrolments a run pairs: those not in a kept partnership."""
    kept = PartnershipMember.objects.filter(partnership__in=kept_partnerships(round))
    return round_enrolments(round).exclude(pk__in=kept.values("enrolment_id"))


def past_partners(round, enrolments):
    """``{enrolment id: {enrolment ids of this round's people they partnered before}}``.

    A partnership of another round counts once it was published (active or ended).
    """
    enrolment_of = {e.participant_id: e.pk for e in enrolments}
    mine = PartnershipMember.objects.filter(
        enrolment__participant_id__in=round_enrolments(round).values("participant_id")
    ).values("partnership_id")
    members = (
        PartnershipMember.objects.filter(
            partnership_id__in=mine,
            partnership__status__in=[PartnershipStatus.ACTIVE, PartnershipStatus.ENDED],
        )
        .exclude(partnership__round__translation_key=round.translation_key)
        .values_list("partnership_id", "enrolment__participant_id")
    )
    groups = defaultdict(set)
    for partnership_id, participant_id in members:
        if participant_id in enrolment_of:
            groups[partnership_id].add(enrolment_of[participant_id])
    partners = defaultdict(set)
    for group in groups.values():
        for one in group:
            partners[one] |= group - {one}
    return partners


def person_of(enrolment, past=frozenset()):
    """The engine's record of an enrolment (annotated with ``is_returning``)."""
    participant = enrolment.participant
    hopes = " ".join(filter(None, [participant.hopes_partnership, participant.hopes_career]))
    return Person(
        id=enrolment.pk,
        country=str(participant.country.code or ""),
        time_zone=participant.time_zone,
        languages=tuple(participant.languages or ()),
        workplace_kind=participant.workplace_kind,
        contact_frequency=participant.contact_frequency,
        contact_methods=tuple(participant.contact_methods or ()),
        returning=bool(getattr(enrolment, "is_returning", False)),
        hopes=hopes,
        past_partner_ids=frozenset(past),
    )


def people_of(round, enrolments):
    """Person records of ``enrolments`` (a queryset of ``round``'s), by enrolment id."""
    enrolments = list(enrolments.with_returning().order_by("pk"))
    past = past_partners(round, enrolments)
    return {e.pk: person_of(e, past.get(e.pk, ())) for e in enrolments}


# Figures


PUBLISHED = [PartnershipStatus.ACTIVE, PartnershipStatus.ENDED]


def proposal_figures(round, statuses=(PartnershipStatus.PROPOSED,)):
    """The round's partnerships of ``statuses`` in figures: its proposal unless told otherwise.

    For the admin and the run's record; ``published_figures`` for those already published.
    """
    rows = PartnershipMember.objects.filter(
        partnership__round__translation_key=round.translation_key,
        partnership__status__in=statuses,
    ).values_list("partnership_id", "partnership__score", "enrolment__participant__country")
    regions = defaultdict(set)
    sizes = defaultdict(int)
    scores = {}
    for partnership_id, score, country in rows:
        regions[partnership_id].add(region_of(country))
        sizes[partnership_id] += 1
        scores[partnership_id] = score or 0.0
    count = len(sizes)
    cross = sum(1 for group in regions.values() if len(group) > 1)
    accepted = round_enrolments(round).count()
    paired = PartnershipMember.objects.filter(
        partnership__round__translation_key=round.translation_key
    ).count()
    return {
        "people": accepted,
        "partnerships": count,
        "pairs": sum(1 for size in sizes.values() if size == 2),
        "triads": sum(1 for size in sizes.values() if size == 3),
        "unmatched": accepted - paired,
        "cross_region": round_number(cross / count, 4) if count else 0.0,
        "pinned": Partnership.objects.filter(
            round__translation_key=round.translation_key,
            status__in=statuses,
            pinned=True,
        ).count(),
        "total_score": round_number(sum(scores.values()), 3),
        "paired": sum(sizes.values()),
    }


def published_figures(round):
    """The round's published (active or ended) partnerships in figures, with their start dates."""
    figures = proposal_figures(round, PUBLISHED)
    figures["starts_on"] = sorted(
        set(
            Partnership.objects.filter(
                round__translation_key=round.translation_key,
                status__in=PUBLISHED,
                started_on__isnull=False,
            ).values_list("started_on", flat=True)
        )
    )
    return figures


# The run


def reasons_json(reasons):
    return [{"key": reason.key, "params": dict(reason.params)} for reason in reasons]


def _save_result(run, result, people):
    """Replace the round's unpinned proposals with ``result``, in one transaction."""
    round = run.round
    key = round.translation_key
    with transaction.atomic():
        list(Round.objects.select_for_update().filter(translation_key=key))
        Partnership.objects.filter(
            round__translation_key=key, status=PartnershipStatus.PROPOSED, pinned=False
        ).delete()
        taken = set(
            PartnershipMember.objects.filter(partnership__round__translation_key=key).values_list(
                "enrolment_id", flat=True
            )
        )
        unmatched = [
            {"enrolment": enrolment_id, "key": reason.key, "params": dict(reason.params)}
            for enrolment_id, reason in result.unmatched
        ]
        made = []
        for proposal in result.partnerships:
            if taken.intersection(proposal.members):
                # An editor paired some of them by hand while the engine worked.
                unmatched += [
                    {"enrolment": member, "key": CHANGED_DURING_RUN, "params": {}}
                    for member in proposal.members
                    if member not in taken
                ]
                continue
            made.append(proposal)
        created = Partnership.objects.bulk_create(
            [
                Partnership(
                    round=round,
                    status=PartnershipStatus.PROPOSED,
                    score=proposal.score,
                    reasons=reasons_json(proposal.reasons),
                )
                for proposal in made
            ]
        )
        PartnershipMember.objects.bulk_create(
            [
                PartnershipMember(partnership=partnership, enrolment_id=member)
                for partnership, proposal in zip(created, made, strict=True)
                for member in proposal.members
            ]
        )
        figures = proposal_figures(round)
        figures["matched_now"] = len(people)
        figures["groups"] = result.stats.get("groups", 1)
        if result.certificate is not None:
            certificate = result.certificate
            figures["certificate"] = {
                "total": certificate.total,
                "upper_bound": certificate.upper_bound,
                "percent": float(f"{100 * certificate.share:.1f}"),
            }
        run.finish(figures=figures, unmatched=unmatched)


def execute(run):
    """Match the people of ``run``'s round who are not in a kept partnership."""
    rules = matching_rules()
    weights = Weights(**run.weights) if run.weights else Weights(**round_weights(run.round))
    people = people_of(run.round, pool(run.round))
    result = match(
        list(people.values()),
        rules=rules,
        weights=weights,
        candidates=get_setting("MATCHING_CANDIDATES"),
        on=run.round.starts_on,
        progress=run.progress_writer(),
        certify=get_setting("MATCHING_CERTIFY"),
    )
    _save_result(run, result, people)


@task()
def run_matching(run_id):
    """Run the matching :class:`MatchingRun` ``run_id`` describes; once only."""
    run = MatchingRun.claim(run_id, RoundJobKind.MATCH)
    if run is None:
        return
    try:
        execute(run)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        message = str(error) if isinstance(error, MatchingConfigurationError) else repr(error)
        run.fail(message)


def running_run(round):
    """The run of ``round`` still queued or running, if any."""
    return (
        MatchingRun.objects.filter(
            round__translation_key=round.translation_key,
            status__in=[MatchingRunStatus.QUEUED, MatchingRunStatus.RUNNING],
        )
        .exclude(
            status=MatchingRunStatus.RUNNING,
            started_at__lt=timezone.now() - ABANDONED_AFTER,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def latest_run(round, kind=RoundJobKind.MATCH):
    """The latest run of ``round`` of ``kind`` (a matching unless told; None: of any kind)."""
    runs = MatchingRun.objects.filter(round__translation_key=round.translation_key)
    if kind is not None:
        runs = runs.filter(kind=kind)
    return runs.order_by("-created_at", "-pk").first()


def start_run(round, user=None, weights=None):
    """Queue a run of ``round`` (after commit); return it, or ``None`` if one is under way.

    ``weights``, already cleaned, become the round's weights first.
    """
    with transaction.atomic():
        list(Round.objects.select_for_update().filter(translation_key=round.translation_key))
        if running_run(round) is not None:
            return None
        if weights is not None:
            round.matching_weights = weights
            round.save()
        matching_rules()  # a broken setting is reported now, not in the worker
        run = MatchingRun.objects.create(
            round=round, requested_by=user, weights=round_weights(round)
        )
        transaction.on_commit(lambda: run_matching.enqueue(run.pk))
    return run
