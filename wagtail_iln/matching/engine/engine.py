"""The optimum pairing of a round: a maximum-weight matching over the compatibility graph.

Scores are computed with numpy a block of rows at a time; each person keeps their
best ``candidates`` partners, the best pairs are dealt out to everyone with fewer
(a greedy b-matching), and the exact matching (rustworkx's blossom algorithm,
with the largest number of pairs first) runs over that sparse graph. Rounds over
``MAX_EXACT`` people are matched in groups that mirror the whole round. People
left over join the pair that gains most from them, as a triad; anyone still
alone is listed with the reason. docs/matching-engine.md tells the whole story.
"""

import datetime
import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

import numpy as np
import rustworkx as rx

from .bound import ROUNDS as BOUND_ROUNDS
from .bound import relax
from .cohort import SCALE, Cohort, tie_break
from .progress import Progress
from .records import Certificate, MatchResult, Person, ProposedGroup, Reason
from .scoring import (
    Rules,
    Weights,
    compatible,
    default_date,
    pair_reasons,
    scores,
)

BLOCK_ROWS = 512
MAX_EXACT = 2500  # people in one exact matching; larger rounds are split in like groups
# At most this many people in each group of a split round: the solver's time grows
# faster than people × edges, and 20,000 people in 10 groups take two thirds of
# the time of 8 groups, for 0.44% less score.
GROUP_SIZE = 2000
# A round matched whole keeps at least this share of itself as each person's
# candidates: the more people, the deeper in each list the optimum's pairs lie.
WHOLE_ROUND_CANDIDATES = 0.05
DEAL_SLICES = 200  # slices the greedy b-matching deals the pairs in
# Compatible partners each person also keeps at random, whatever they score: the
# largest number of pairs may need pairs nobody ranks high (people only a few
# others can be paired with take those few, and the rest must pair among
# themselves), and random pairs keep the graph as well connected as the round.
RANDOM_CANDIDATES = 8
TRIAD_OPTIONS = 20  # pairs considered for each person left over
GROUPS_SHARE = 0.9  # of the progress, for scoring and matching the groups; the rest for leftovers
# With certify=True: the groups', the bound's and the leftovers' shares of the progress.
CERTIFIED_SHARES = (0.3, 0.65, 0.05)
# Pairs that gain this much less than their prices in the bound's relaxation (in
# score points) still go to the matching that certify=True runs over the round.
SUPPORT_SLACK = 0.02


def _candidate_edges(
    round_, members: np.ndarray, k: int, progress: Progress | None = None
) -> dict[tuple[int, int], int]:
    """The edges the exact matching runs over, weighted with their exact score.

    Each member keeps their best ``k`` compatible partners among ``members``; and
    the best pairs are dealt out, best first, to members with fewer than ``k``
    pairs dealt (a greedy b-matching), so that people whom everyone likes do not
    take all the candidate places and the pairs the optimum needs between
    everyone else stay in the graph. The blocks' scores only choose the edges.
    """
    firsts, seconds, pairs_a, pairs_b, pairs_score = [], [], [], [], []
    random_a, random_b = [], []
    take = min(k, len(members))
    # With a place for everyone else, the best k are every compatible partner already.
    deal = take < len(members) - 1
    draws = min(RANDOM_CANDIDATES, len(members))
    positions = np.arange(len(members))
    for start in range(0, len(members), BLOCK_ROWS):
        rows = members[start : start + BLOCK_ROWS]
        spread = tie_break(rows, members)
        block = round_.block(rows, members) + spread
        if deal:
            # A few compatible partners at random (fixed per pair), whatever they score.
            chance = np.where(np.isfinite(block), spread, -1.0)
            drawn = np.argpartition(-chance, draws - 1, axis=1)[:, :draws]
            found = np.take_along_axis(chance, drawn, axis=1) >= 0
            random_a.append(rows[np.repeat(np.arange(len(rows)), draws)[found.ravel()]])
            random_b.append(members[drawn[found]])
        if round_.rules.extra:
            columns = _allowed_best(round_, rows, members, block, k)
        else:
            if take < len(members):
                best = np.argpartition(-block, take - 1, axis=1)[:, :take]
            else:
                best = np.broadcast_to(positions, block.shape)
            found = np.isfinite(np.take_along_axis(block, best, axis=1))
            columns = (np.repeat(np.arange(len(rows)), take)[found.ravel()], best[found])
        firsts.append(rows[columns[0]])
        seconds.append(members[columns[1]])
        if deal:
            r, c = np.nonzero(
                np.isfinite(block) & (positions[start : start + len(rows), None] < positions)
            )
            pairs_a.append((r + start).astype(np.int32))
            pairs_b.append(c.astype(np.int32))
            pairs_score.append(block[r, c])
        if progress:
            progress.advance(len(rows))
    if not firsts:
        return {}
    shared_a = shared_b = np.zeros(0, dtype=np.intp)
    if deal:
        shared_a, shared_b = _dealt(
            len(members),
            np.concatenate(pairs_a),
            np.concatenate(pairs_b),
            np.concatenate(pairs_score),
            k,
        )
        shared_a = np.concatenate([members[shared_a], *random_a])
        shared_b = np.concatenate([members[shared_b], *random_b])
    if round_.rules.extra and len(shared_a):
        allowed = [
            round_.allowed(i, j) for i, j in zip(shared_a.tolist(), shared_b.tolist(), strict=True)
        ]
        shared_a, shared_b = shared_a[allowed], shared_b[allowed]
    a = np.concatenate([*firsts, shared_a])
    b = np.concatenate([*seconds, shared_b])
    codes = np.unique(np.minimum(a, b).astype(np.int64) * round_.n + np.maximum(a, b))
    a, b = codes // round_.n, codes % round_.n
    weights = np.rint(round_.pair_scores(a, b) * SCALE).astype(np.int64)
    return dict(zip(zip(a.tolist(), b.tolist(), strict=True), weights.tolist(), strict=True))


def _dealt(size: int, a: np.ndarray, b: np.ndarray, score: np.ndarray, k: int):
    """The pairs a greedy b-matching keeps: best first, while both have fewer than ``k``.

    The pairs are taken a slice at a time (``DEAL_SLICES`` slices), so a person may end
    with a few more than ``k``; what matters is that no one takes far more.
    """
    order = np.argsort(-score, kind="stable")
    dealt = np.zeros(size, dtype=np.int64)
    kept = []
    for piece in np.array_split(order, min(DEAL_SLICES, max(1, len(order)))):
        piece = piece[(dealt[a[piece]] < k) & (dealt[b[piece]] < k)]
        kept.append(piece)
        dealt += np.bincount(a[piece], minlength=size) + np.bincount(b[piece], minlength=size)
    kept_pairs = np.concatenate(kept) if kept else np.zeros(0, dtype=np.intp)
    return a[kept_pairs], b[kept_pairs]


def _allowed_best(round_, rows, members, block, k):
    """(row, column) positions of each row's best ``k`` partners that the extra rules allow."""
    found_rows, found_columns = [], []
    for r, i in enumerate(rows.tolist()):
        row = block[r]
        kept = 0
        for c in np.argsort(-row, kind="stable").tolist():
            if kept == k or not np.isfinite(row[c]):
                break
            if round_.allowed(i, int(members[c])):
                found_rows.append(r)
                found_columns.append(c)
                kept += 1
    return np.array(found_rows, dtype=np.intp), np.array(found_columns, dtype=np.intp)


def _matching(edges: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The maximum-weight matching of ``edges``, with the largest number of pairs."""
    # Only the nodes that have an edge go to the solver, which visits every node at
    # each of its stages: a group of 2,500 matched inside a round of 20,000 would
    # otherwise cost as much as the whole round.
    ends = sorted({node for pair in edges for node in pair})
    local = {node: k for k, node in enumerate(ends)}
    graph = rx.PyGraph()
    graph.add_nodes_from(ends)
    graph.add_edges_from([(local[a], local[b], w) for (a, b), w in sorted(edges.items())])
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    return sorted((min(ends[a], ends[b]), max(ends[a], ends[b])) for a, b in found)


def _split(round_: Cohort, size: int) -> list[np.ndarray]:
    """Groups dealt in turn from the round sorted by time zone, so each is a small round
    like the whole one (a group of one country would pair nobody)."""
    order = np.lexsort((np.arange(round_.n), np.nan_to_num(round_.offset, nan=99.0)))
    parts = -(-round_.n // size)
    return [np.sort(order[start::parts]) for start in range(parts)]


def _pair_leftovers(round_: Cohort, pairs, candidates: int, edges):
    """The pairs with the people they leave apart paired among themselves, if they can be
    (pruning to candidates, or splitting, may leave compatible people apart); and who
    is still alone."""
    taken = {i for pair in pairs for i in pair}
    alone = [i for i in range(round_.n) if i not in taken]
    if len(alone) > 1:
        rest = _candidate_edges(round_, np.array(alone), max(candidates, min(len(alone), 200)))
        edges.update(rest)
        pairs = pairs + _matching(rest)
        taken = {i for pair in pairs for i in pair}
        alone = [i for i in range(round_.n) if i not in taken]
    return pairs, alone


def _certified(round_: Cohort, pairs, edges, tracker):
    """The bound of the round (see :mod:`.bound`), and the pairs matched again over the
    pairs it favours.

    The relaxation's optimum pairs people across the whole round, where the groups
    of a large round could not: the exact matching over its pairs (those within
    ``SUPPORT_SLACK`` of their prices) and the pairs found so far is at least as
    large and, with as many pairs, weighs at least as much.
    """
    keys = np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)
    relaxed = relax(round_, pairs, keys[:, 0], keys[:, 1], tracker)
    near = relaxed.reduced() >= -SUPPORT_SLACK
    a, b, w = relaxed.a[near], relaxed.b[near], relaxed.w[near]
    if round_.rules.extra:
        allowed = [round_.allowed(i, j) for i, j in zip(a.tolist(), b.tolist(), strict=True)]
        a, b, w = a[allowed], b[allowed], w[allowed]
    support = {pair: edges[pair] for pair in pairs}
    weights = np.rint(w * SCALE).astype(np.int64)
    support.update(zip(zip(a.tolist(), b.tolist(), strict=True), weights.tolist(), strict=True))
    edges.update(support)
    return _matching(support), relaxed


def _triads(round_, alone: list[int], pairs: list[tuple[int, int]], score):
    """Give each person left over the pair that gains most from them, one extra per pair."""
    if not alone or not pairs:
        return {}
    firsts = np.array([a for a, _ in pairs])
    seconds = np.array([b for _, b in pairs])
    everyone = np.arange(round_.n)
    edges: dict[tuple[int, int], int] = {}
    for start in range(0, len(alone), BLOCK_ROWS):
        rows = np.array(alone[start : start + BLOCK_ROWS])
        block = round_.block(rows, everyone)
        for r, x in enumerate(rows.tolist()):
            gain = block[r, firsts] + block[r, seconds]
            options = np.flatnonzero(np.isfinite(gain))
            options = options[np.argsort(-gain[options], kind="stable")]
            kept = 0
            for p in options.tolist():
                a, b = pairs[p]
                if round_.rules.extra and not (round_.allowed(x, a) and round_.allowed(x, b)):
                    continue
                edges[(start + r, len(alone) + p)] = round((score(x, a) + score(x, b)) * SCALE)
                kept += 1
                if kept == TRIAD_OPTIONS:
                    break
    found = _matching(edges)
    return {alone[a]: b - len(alone) for a, b in found}


def _why_alone(round_: Cohort, i: int, pairs: np.ndarray) -> Reason:
    """Why person ``i`` is in no partnership; ``pairs`` are the round's pairs, one a row."""
    rules = round_.rules
    others = np.arange(round_.n) != i
    if not others.any():
        return Reason("no_one_else", {})
    steps = []
    if rules.shared_language:
        steps.append(
            ("no_shared_language", lambda: (round_.languages[i] & round_.languages).any(1))
        )
    if rules.different_countries:
        steps.append(
            ("no_partner_from_another_country", lambda: round_.country != round_.country[i])
        )
    if rules.no_repeat_partners:
        steps.append(
            ("only_past_partners", lambda: ~np.isin(np.arange(round_.n), round_.past.get(i, [])))
        )
    if rules.extra:
        steps.append(("excluded_by_extra_rules", lambda: _allowed_with(round_, i, others)))
    for key, keep in steps:
        others &= keep()
        if not others.any():
            return Reason("no_compatible_partner", {"rule": key})
    fits = int(np.count_nonzero(others[pairs[:, 0]] & others[pairs[:, 1]])) if len(pairs) else 0
    if fits:
        # Every pair that could take them already took someone else.
        return Reason("no_room_in_any_pair", {"pairs": fits})
    return Reason("incompatible_with_every_pair", {"compatible": int(np.count_nonzero(others))})


def _allowed_with(round_: Cohort, i: int, candidates: np.ndarray) -> np.ndarray:
    allowed = np.zeros(round_.n, dtype=bool)
    for j in np.flatnonzero(candidates).tolist():
        allowed[j] = round_.allowed(i, j)
    return allowed


def match(
    people: Sequence[Person],
    rules: Rules = Rules(),  # noqa: B008
    weights: Weights = Weights(),  # noqa: B008
    candidates: int = 30,
    on: datetime.date | None = None,
    progress: Callable[[float], object] | None = None,
    certify: bool = False,
) -> MatchResult:
    """Pair ``people`` for the best total score under ``rules``; triads take any leftovers.

    ``candidates`` is how many best partners each person keeps at least before the
    exact matching (in a round matched whole, at least 5% of the round); ``on`` is
    the date the working hours are compared on (today by default: pass the
    round's start). The same input always gives the same result.

    ``progress``, if given, is called with a float rising from 0.0 to 1.0 as the
    work advances (scoring, matching, leftovers and triads), at most 101 times
    whatever the round's size; 1.0 comes last, once the result is ready. What it
    raises stops the matching and reaches the caller.

    ``certify=True`` also proves how good the pairs are: the result's
    ``certificate`` holds their total, an upper bound on any pairing of the round
    (:mod:`.bound`) and the share of it they reach. Finding the bound takes a few
    passes over every pair of the round, and its relaxation pairs people across
    the whole round, so the pairs are matched again over the pairs it favours:
    a large round's pairs come out better, for a few times the work.
    """
    tracker = Progress(progress)
    people = list(people)
    if candidates < 1:
        raise ValueError(f"candidates must be at least 1, not {candidates!r}")
    repeated = sorted(repr(id_) for id_, n in Counter(p.id for p in people).items() if n > 1)
    if repeated:
        raise ValueError(f"each person needs an id of their own; repeated: {repeated}")
    on = on or default_date()
    round_ = Cohort(people, rules, weights, on)
    score = scores(people, weights, on)
    edges: dict[tuple[int, int], int] = {}
    pairs: list[tuple[int, int]] = []
    if len(people) <= MAX_EXACT:
        groups = [np.arange(len(people))]
        candidates = max(candidates, math.ceil(len(people) * WHOLE_ROUND_CANDIDATES))
    else:
        groups = _split(round_, GROUP_SIZE)
    shares = CERTIFIED_SHARES if certify else (GROUPS_SHARE, 0.0, 1.0 - GROUPS_SHARE)
    # Each group's rows are scored (one unit a row), then matched (as many units again).
    tracker.stage(shares[0], 2 * len(people))
    for group in groups:
        group_edges = _candidate_edges(round_, group, candidates, tracker)
        edges.update(group_edges)
        pairs += _matching(group_edges)
        tracker.advance(len(group))
    pairs, alone = _pair_leftovers(round_, pairs, candidates, edges)
    relaxed = None
    if certify and len(people) > 1:
        # Each pass over the round advances one unit a row.
        tracker.stage(shares[1], BOUND_ROUNDS * len(people))
        pairs, relaxed = _certified(round_, pairs, edges, tracker)
    tracker.stage(shares[2], 2)
    if relaxed is not None:
        pairs, alone = _pair_leftovers(round_, pairs, candidates, edges)
    tracker.advance()
    pairs.sort()
    joins = _triads(round_, alone, pairs, score)
    tracker.advance()
    extra_of = {p: x for x, p in joins.items()}
    partnerships = []
    for p, (a, b) in enumerate(pairs):
        members = [a, b] if p not in extra_of else [a, b, extra_of[p]]
        partnerships.append(_partnership(people, members, score, weights, on))
    pair_rows = np.array(pairs, dtype=np.intp).reshape(-1, 2)
    unmatched = tuple(
        (people[i].id, _why_alone(round_, i, pair_rows)) for i in alone if i not in joins
    )
    total = sum(p.score for p in partnerships)
    certificate = None
    if certify:
        certificate = _certificate(round_, pairs, relaxed)
    result = MatchResult(
        partnerships=tuple(partnerships),
        unmatched=unmatched,
        total_score=round(total, 6),
        candidate_edges=len(edges),
        stats={"groups": len(groups), "triads": len(joins), "people": len(people)},
        certificate=certificate,
    )
    if relaxed is not None:
        result.stats["bound_passes"] = relaxed.passes
    tracker.finish()
    return result


def _certificate(round_: Cohort, pairs, relaxed) -> Certificate:
    """The pairs' total (exact scores, a triad counted by its pair) against the bound."""
    a = np.array([i for i, _ in pairs], dtype=np.intp)
    b = np.array([j for _, j in pairs], dtype=np.intp)
    pairs_total = float(round_.pair_scores(a, b).sum()) if pairs else 0.0
    bound = relaxed.value if relaxed is not None else 0.0
    share = pairs_total / bound if bound > 0 else 1.0
    return Certificate(pairs_total, bound, share)


def _partnership(people, members: list[int], score, weights, on) -> ProposedGroup:
    ids: tuple[Hashable, ...] = tuple(people[i].id for i in members)
    if len(members) == 2:
        a, b = members
        return ProposedGroup(
            ids, round(score(a, b), 6), pair_reasons(people[a], people[b], weights, on)
        )
    reasons = []
    total = 0.0
    for x, y in ((members[0], members[1]), (members[0], members[2]), (members[1], members[2])):
        total += score(x, y)
        between = [people[x].id, people[y].id]
        for reason in pair_reasons(people[x], people[y], weights, on):
            reasons.append(Reason(reason.key, {**reason.params, "members": between}))
    return ProposedGroup(ids, round(total, 6), tuple(reasons))


__all__ = ["compatible", "match"]
