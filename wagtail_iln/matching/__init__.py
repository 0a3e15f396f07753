"""Matching: the pure engine (:mod:`wagtail_iln.matching.engine`) and the admin workflow.

Importing this package imports the engine only, never Django: the workflow's
modules (``runs``, ``views``, ``actions``, ...) are imported by the app's hooks
and URLs.
"""

from .engine import (
    MatchResult,
    Person,
    ProposedGroup,
    Reason,
    Rules,
    Weights,
    compatible,
    match,
    pair_reasons,
    pair_score,
)

__all__ = [
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
