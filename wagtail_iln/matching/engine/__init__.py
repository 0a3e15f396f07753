"""Pair the participants of a round: records in, partnerships out.

Plain Python with numpy and rustworkx, and no Django import, so the engine can be
tested, benchmarked and reused without a project. The Django side turns
participants into :class:`Person` records, calls :func:`match` and translates the
reason keys of the result.
"""

from .engine import match
from .records import Certificate, MatchResult, Person, ProposedGroup, Reason
from .scoring import Rules, Weights, compatible, pair_reasons, pair_score

__all__ = [
    "Certificate",
    "MatchResult",
    "Person",
    "ProposedGroup",
    "Reason",
    "Rules",
    "Weights",
    "compatible",
    "match",
    "pair_reasons",
    "pair_score",
]
