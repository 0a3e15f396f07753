"""What an editor does to a round's proposal: pin, break, swap, pair by hand.

Publishing lives in :mod:`wagtail_iln.matching.publishing` (``publish`` is
imported here too).

Each function checks its input and raises ``ValidationError`` with a translated
message, changing nothing, when it cannot be done. Pairing and swapping return
the hard rules the new partnerships would break; unless ``confirm`` is true
they then change nothing either, so the admin can ask first.
"""

from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from ..programme.choices import PartnershipStatus
from ..programme.models import Partnership, PartnershipMember, Round
from . import history
from .engine import Reason, Weights, pair_reasons, pair_score
from .publishing import publish, publish_message  # noqa: F401
from .reasons import broken_rules
from .runs import matching_rules, people_of, reasons_json, round_enrolments, round_weights


def _lock(round):
    list(Round.objects.select_for_update().filter(translation_key=round.translation_key))


def _ids(values):
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError):
        raise ValidationError(gettext("Choose people and partnerships from the list.")) from None


def proposal(round, partnership_id, lock=True):
    """A proposed partnership of ``round`` (any translation), or ``ValidationError``.

    Locked for the transaction unless ``lock`` is false (to show it, outside a transaction).
    """
    (pk,) = _ids([partnership_id])
    found = Partnership.objects.filter(
        pk=pk,
        round__translation_key=round.translation_key,
        status=PartnershipStatus.PROPOSED,
    )
    if lock:
        found = found.select_for_update()
    found = found.first()
    if found is None:
        raise ValidationError(gettext("This partnership is not a proposal of this round any more."))
    return found


def _enrolments(round, enrolment_ids):
    ids = _ids(enrolment_ids)
    found = {e.pk: e for e in round_enrolments(round).filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ValidationError(
            gettext("Someone chosen is not an accepted participant of this round.")
        )
    return [found[pk] for pk in ids]


def group_score(people, weights, on):
    """Score and reasons of two or three people, the way the engine scores its proposals."""
    if len(people) == 2:
        a, b = people
        return round(pair_score(a, b, weights, on), 6), pair_reasons(a, b, weights, on)
    total, reasons = 0.0, []
    for a, b in combinations(people, 2):
        total += pair_score(a, b, weights, on)
        for reason in pair_reasons(a, b, weights, on):
            reasons.append(Reason(reason.key, {**reason.params, "members": [a.id, b.id]}))
    return round(total, 6), tuple(reasons)


def _score(round, partnership, people):
    weights = Weights(**round_weights(round))
    score, reasons = group_score(people, weights, round.starts_on)
    partnership.score, partnership.reasons = score, reasons_json(reasons)


def _names(enrolments):
    return {e.pk: e.participant.name for e in enrolments}


def set_pinned(round, partnership_id, pinned):
    with transaction.atomic():
        partnership = proposal(round, partnership_id)
        partnership.pinned = pinned
        partnership.save(update_fields=["pinned"])
    return partnership


def break_up(round, partnership_id, user=None):
    """Delete a proposed partnership; its members go back to those to be matched.

    Only a proposal: nobody was told about it, and nobody is told now. The
    round's history says who broke it up.
    """
    with transaction.atomic():
        partnership = proposal(round, partnership_id)
        names = str(partnership)
        partnership.delete()
        history.broken_up(round, names, user)
    return names


def pair(round, enrolment_ids, confirm=False):
    """Propose a pinned partnership of two or three people nobody has paired yet.

    Returns ``(partnership or None, warnings)``: ``None`` when a hard rule would
    be broken and ``confirm`` is false.
    """
    ids = _ids(enrolment_ids)
    if not 2 <= len(set(ids)) <= 3 or len(set(ids)) != len(ids):
        raise ValidationError(gettext("Choose two or three different people to pair."))
    with transaction.atomic():
        _lock(round)
        enrolments = _enrolments(round, ids)
        taken = PartnershipMember.objects.filter(enrolment__in=enrolments).select_related(
            "enrolment__participant"
        )
        if taken:
            raise ValidationError(
                [
                    gettext("%(name)s is already in a partnership.")
                    % {"name": member.enrolment.participant.name}
                    for member in taken
                ]
            )
        records = people_of(round, round_enrolments(round).filter(pk__in=ids))
        people = [records[pk] for pk in ids]
        warnings = broken_rules(people, _names(enrolments), matching_rules())
        if warnings and not confirm:
            return None, warnings
        partnership = Partnership(round=round, status=PartnershipStatus.PROPOSED, pinned=True)
        _score(round, partnership, people)
        partnership.save()
        try:
            with transaction.atomic():
                PartnershipMember.objects.bulk_create(
                    [PartnershipMember(partnership=partnership, enrolment=e) for e in enrolments]
                )
        except IntegrityError:
            raise ValidationError(
                gettext("Someone chosen was paired by someone else meanwhile; try again.")
            ) from None
    return partnership, warnings


def swap(round, enrolment_ids, confirm=False):
    """Swap two people of two proposed partnerships; both partnerships are then pinned.

    Returns ``(partnerships or None, warnings)`` like :func:`pair`.
    """
    ids = _ids(enrolment_ids)
    if len(ids) != 2 or ids[0] == ids[1]:
        raise ValidationError(gettext("Choose two people, each in a different partnership."))
    with transaction.atomic():
        _lock(round)
        enrolments = _enrolments(round, ids)
        members = {
            m.enrolment_id: m
            for m in PartnershipMember.objects.filter(
                enrolment__in=enrolments, partnership__status=PartnershipStatus.PROPOSED
            ).select_related("partnership")
        }
        if len(members) != 2:
            raise ValidationError(
                gettext("Only people in proposed partnerships of this round can be swapped.")
            )
        first, second = members[ids[0]], members[ids[1]]
        if first.partnership_id == second.partnership_id:
            raise ValidationError(gettext("These two people are already partners."))
        partnerships = [first.partnership, second.partnership]
        groups = {}
        for partnership, leaving, coming in (
            (partnerships[0], ids[0], ids[1]),
            (partnerships[1], ids[1], ids[0]),
        ):
            current = list(partnership.members.values_list("enrolment_id", flat=True))
            groups[partnership.pk] = [coming if pk == leaving else pk for pk in current]
        everyone = [pk for group in groups.values() for pk in group]
        records = people_of(round, round_enrolments(round).filter(pk__in=everyone))
        names = _names(round_enrolments(round).filter(pk__in=everyone))
        rules = matching_rules()
        warnings = []
        for group in groups.values():
            warnings += broken_rules([records[pk] for pk in group], names, rules)
        if warnings and not confirm:
            return None, warnings
        PartnershipMember.objects.filter(pk=first.pk).update(partnership=partnerships[1])
        PartnershipMember.objects.filter(pk=second.pk).update(partnership=partnerships[0])
        for partnership in partnerships:
            _score(round, partnership, [records[pk] for pk in groups[partnership.pk]])
            partnership.pinned = True
            partnership.save(update_fields=["score", "reasons", "pinned"])
    return partnerships, warnings


def start_date(round, today=None):
    """Published partnerships start with the round, or today if it has already started."""
    return Partnership.start_date(round, today)
