"""What makes two people compatible, and how good a pair they make.

The functions here score one pair at a time; they are the definition the
vectorised scoring in :mod:`.engine` follows and the reference the tests use.
"""

import datetime
import re
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .records import Person, Reason

WORKING_DAY = (9, 17)  # local hours
STOP_WORDS = frozenset(
    """
    a about also an and are as at be been but by can do for from get have how i if in into is
    it its just like me more my of on or other our so some than that the their them they this
    to up us very want was we what when which who will with would you your
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]+")

ExtraRule = Callable[[Person, Person], bool]


@dataclass(frozen=True)
class Rules:
    """The hard rules: a pair that breaks one is never proposed."""

    different_countries: bool = True
    no_repeat_partners: bool = True
    shared_language: bool = True
    extra: tuple[ExtraRule, ...] = ()


@dataclass(frozen=True)
class Weights:
    """How much each preference adds to a pair's score; an editor may change them per round."""

    shared_language: float = 1.0  # per shared language
    working_hours: float = 0.5  # per hour both are at work
    same_contact_frequency: float = 1.0
    shared_contact_method: float = 1.0
    workplace_kind: float = 0.5
    prefer_same_workplace_kind: bool | None = None  # None: no preference
    returning_with_newcomer: float = 1.0
    hopes: float = 2.0  # times the Jaccard similarity of the hopes' words


@lru_cache(maxsize=1 << 16)
def hope_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS)


@cache
def utc_offset_hours(time_zone: str, on: datetime.date) -> float | None:
    """The zone's offset from UTC in hours at noon on ``on``; None for an unknown zone."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    noon = datetime.datetime.combine(on, datetime.time(12), tzinfo=zone)
    return noon.utcoffset().total_seconds() / 3600


def overlap_hours(offset_a: float | None, offset_b: float | None) -> float:
    """Hours both working days (9:00–17:00 local) overlap, across midnight too."""
    if offset_a is None or offset_b is None:
        return 0.0
    apart = abs(offset_a - offset_b) % 24
    apart = min(apart, 24 - apart)
    return max(0.0, (WORKING_DAY[1] - WORKING_DAY[0]) - apart)


def default_date() -> datetime.date:
    return datetime.date.today()


def compatible(a: Person, b: Person, rules: Rules = Rules()) -> bool:  # noqa: B008
    if a.id == b.id:
        return False
    if rules.different_countries and a.country == b.country:
        return False
    if rules.no_repeat_partners and (b.id in a.past_partner_ids or a.id in b.past_partner_ids):
        return False
    if rules.shared_language and not set(a.languages) & set(b.languages):
        return False
    return all(rule(a, b) for rule in rules.extra)


def _parts(a: Person, b: Person, weights: Weights, on: datetime.date):
    """(score, reason) for each preference the pair meets."""
    languages = sorted(set(a.languages) & set(b.languages))
    if languages and weights.shared_language:
        yield (
            weights.shared_language * len(languages),
            Reason("shared_languages", {"languages": languages}),
        )
    hours = overlap_hours(utc_offset_hours(a.time_zone, on), utc_offset_hours(b.time_zone, on))
    if hours and weights.working_hours:
        yield weights.working_hours * hours, Reason("working_hours_overlap", {"hours": hours})
    if a.contact_frequency and a.contact_frequency == b.contact_frequency:
        yield (
            weights.same_contact_frequency,
            Reason("same_contact_frequency", {"frequency": a.contact_frequency}),
        )
    methods = sorted(set(a.contact_methods) & set(b.contact_methods))
    if methods:
        yield weights.shared_contact_method, Reason("shared_contact_methods", {"methods": methods})
    prefer_same = weights.prefer_same_workplace_kind
    if prefer_same is not None and a.workplace_kind and b.workplace_kind:
        same = a.workplace_kind == b.workplace_kind
        if same and prefer_same:
            yield weights.workplace_kind, Reason("same_workplace_kind", {"kind": a.workplace_kind})
        elif not same and not prefer_same:
            kinds = sorted({a.workplace_kind, b.workplace_kind})
            yield weights.workplace_kind, Reason("different_workplace_kinds", {"kinds": kinds})
    if a.returning != b.returning:
        returning = a.id if a.returning else b.id
        yield (
            weights.returning_with_newcomer,
            Reason("returning_with_newcomer", {"returning": returning}),
        )
    words_a, words_b = hope_words(a.hopes), hope_words(b.hopes)
    shared = words_a & words_b
    if shared and weights.hopes:
        similarity = len(shared) / len(words_a | words_b)
        yield (
            weights.hopes * similarity,
            Reason("matching_hopes", {"words": sorted(shared), "similarity": round(similarity, 3)}),
        )


def pair_score(
    a: Person,
    b: Person,
    weights: Weights = Weights(),  # noqa: B008
    on: datetime.date | None = None,
) -> float:
    """How good a pair ``a`` and ``b`` make; says nothing of whether they may be paired."""
    # Added one by one, as the engine's vectorised scores are: from Python 3.12 on, sum()
    # compensates for rounding and would differ from them in the last bit.
    total = 0.0
    for score, _ in _parts(a, b, weights, on or default_date()):
        total += score
    return total


def pair_reasons(
    a: Person,
    b: Person,
    weights: Weights = Weights(),  # noqa: B008
    on: datetime.date | None = None,
) -> tuple[Reason, ...]:
    return tuple(reason for score, reason in _parts(a, b, weights, on or default_date()) if score)


def scores(
    people: Sequence[Person], weights: Weights, on: datetime.date
) -> Callable[[int, int], float]:
    """A cached scorer by index, for the few pairs the engine scores one at a time."""

    @cache
    def score(i: int, j: int) -> float:
        return pair_score(people[i], people[j], weights, on)

    return lambda i, j: score(min(i, j), max(i, j))
