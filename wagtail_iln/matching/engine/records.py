"""The records the engine reads and writes: plain, frozen, free of any framework."""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Person:
    """One participant of the round, as the engine sees them."""

    id: Hashable
    country: str
    time_zone: str = ""
    languages: tuple[str, ...] = ()
    workplace_kind: str = ""
    contact_frequency: str = ""
    contact_methods: tuple[str, ...] = ()
    returning: bool = False
    hopes: str = ""
    past_partner_ids: frozenset = frozenset()


class Reason(NamedTuple):
    """Why two people were paired, or why someone was not.

    ``key`` is a short English identifier and ``params`` the values to fill in,
    so the caller can word and translate it.
    """

    key: str
    params: dict[str, Any]


@dataclass(frozen=True)
class ProposedGroup:
    """Two or three people proposed to work together, best-scored first in a triad."""

    members: tuple[Hashable, ...]
    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Certificate:
    """How close a matching came to the best possible, as :func:`.match` can prove it.

    ``total`` is the score of the result's pairs (a triad counted by the pair it
    grew from: the triads' extras only take in people no pair was left for);
    ``upper_bound`` is a total no pairing of the round's compatible pairs can
    exceed (see :mod:`.bound`); ``share`` is ``total / upper_bound``, so the
    result is at least that share of the optimum.
    """

    total: float
    upper_bound: float
    share: float


@dataclass(frozen=True)
class MatchResult:
    partnerships: tuple[ProposedGroup, ...]
    unmatched: tuple[tuple[Hashable, Reason], ...]
    total_score: float = 0.0
    candidate_edges: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    certificate: Certificate | None = None  # with match(..., certify=True) only
