"""An upper bound on the total of any pairing of a round: how far from the best the engine is.

The engine pairs a round for the largest total score it can find, but over each
person's best candidates and, in a large round, inside groups: its total is not
known to be the best. This module bounds the best from above, over every pair the
hard rules allow, so the engine's total can be reported as a share of something
no pairing can beat.

The bound is the Lagrangian relaxation of maximum-weight matching. For any prices
``p[i] >= 0`` on the people,

    L(p) = sum_i p[i] + sum over compatible pairs {i, j} of max(0, w[i, j] - p[i] - p[j])

is at least the total of every matching ``M`` (a set of compatible pairs, each
person in at most one of them), because::

    sum_{(i, j) in M} w[i, j]
        = sum_{(i, j) in M} (w[i, j] - p[i] - p[j]) + sum_{i matched by M} p[i]
       <= sum_{(i, j) in M} max(0, w[i, j] - p[i] - p[j]) + sum_i p[i]   (p >= 0)
       <= L(p)                                                            (each term >= 0)

whatever the prices: they only decide how tight the bound is. Here they start
at half of each pair's score in the engine's matching, are chosen over a sparse
graph (the matching's candidate edges) as :func:`choose_prices` says, and ``L``
is then summed exactly over every compatible pair of the round; the pairs that
gain over their prices join the sparse graph and the prices are chosen again
(:func:`relax`), a few passes in all. The best prices make ``L`` the optimum of
the linear programme over the degree constraints, which the best matching can
only miss by the odd cycles of half pairs the programme allows.

The bound is found with the engine's pairs, but holds for every matching of
the round, the best one included: the tests check it against the optimum of
small rounds, found by trying every matching.

Two things make the bound larger, never smaller, so it stays valid: pairs that
only the extra rules (:attr:`.Rules.extra`) forbid are counted as allowed, and
a pair is kept in the exact sum whenever its float32 block score says it may
exceed its prices (``MARGIN`` covers the float32 rounding).

Each pass scores every pair of the round once (half the matrix), as the
groups of a large round never do: for 20,000 people a pass costs about as much
as the whole matching without the bound, and two to four passes are made.
"""

from dataclasses import dataclass

import numpy as np

from .cohort import Cohort

BLOCK_ROWS = 512
BOUND_PARTNERS = 24  # pairs a pass brings in per person, at most: those that gain most
TEMPERATURES = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01)  # score points
SCALING_STEPS = 30  # at each temperature
SETTLING_SWEEPS = 2  # of the last, exact coordinate descent
ROUNDS = 6  # passes over the round, at most
SETTLED = 1e-3  # a pass that lowers the bound by less than this share is the last
MARGIN = 1e-3  # float32 block scores are within about 1e-5 of the exact ones
ROUNDING = 1e-12  # relative: float64 sums of the same terms in other orders differ far less


def _upper_triangle(round_: Cohort):
    """(rows, cols, scores) a block of rows at a time, each unordered pair in one block once.

    ``scores`` is -inf where a hard rule forbids the pair (extra rules aside), and
    on and below the diagonal.
    """
    n = round_.n
    everyone = np.arange(n)
    for start in range(0, n, BLOCK_ROWS):
        rows = everyone[start : start + BLOCK_ROWS]
        cols = everyone[start:]
        block = round_.block(rows, cols)
        # Column c of the block is person start + c: keep only c > r.
        block[np.arange(len(rows))[:, None] >= np.arange(len(cols))[None, :]] = -np.inf
        yield rows, cols, block


def sparse_lagrangian(prices, a, b, w) -> float:
    """``L(prices)`` over the edges ``(a, b, w)`` only: a guide, not a bound."""
    return float(prices.sum() + np.maximum(w - prices[a] - prices[b], 0.0).sum())


def choose_prices(n: int, a, b, w, start=None) -> np.ndarray:
    """Prices that make ``L`` small over the edges ``(a, b, w)``.

    ``L`` is not smooth, so it is approached through its smooth version at a
    temperature ``t``, whose minimum prices solve, for each person ``i``,
    ``sum_j exp((w[i, j] - p[i] - p[j]) / t) = 1``: each person's pairs add up
    to one whole pair, weighed by how much they gain over their prices (the
    symmetric form of Sinkhorn's scaling, half a step at a time so it settles).
    The temperature falls from a score point to a hundredth of one, and the
    prices with the smallest ``L`` over the edges are kept. Any prices make a
    valid bound: these only make it tight.
    """
    prices = np.zeros(n) if start is None else np.maximum(np.asarray(start, dtype=float), 0.0)
    if not len(a):
        return prices
    source = np.concatenate([a, b])
    target = np.concatenate([b, a])
    weight = np.concatenate([w, w])
    order = np.argsort(source, kind="stable")
    source, target, weight = source[order], target[order], weight[order]
    nodes, starts = np.unique(source, return_index=True)
    of_source = np.searchsorted(nodes, source)
    best, best_value = prices, sparse_lagrangian(prices, a, b, w)
    for temperature in TEMPERATURES:
        for _ in range(SCALING_STEPS):
            gain = (weight - prices[target]) / temperature
            top = np.maximum.reduceat(gain, starts)
            spread = np.add.reduceat(np.exp(gain - top[of_source]), starts)
            fitted = np.zeros(n)
            fitted[nodes] = temperature * (top + np.log(spread))
            prices = (prices + np.maximum(fitted, 0.0)) / 2
            value = sparse_lagrangian(prices, a, b, w)
            if value < best_value:
                best, best_value = prices.copy(), value
    return _settle(best, source, target, weight, starts, nodes)


def _settle(prices, source, target, weight, starts, nodes) -> np.ndarray:
    """The prices moved, one person at a time, to where ``L`` over the edges is least
    with the others fixed: ``L``'s slope in ``p[i]`` is 1 less the number of
    partners with ``w[i, j] - p[j] > p[i]``, so it is least anywhere between the
    second largest of those and the largest (and 0 at least). The temperature
    leaves each price a little high where a person has several equal partners;
    this takes that back, and never makes ``L`` larger."""
    p = prices.tolist()
    ends = [*starts.tolist()[1:], len(source)]
    targets, weights = target.tolist(), weight.tolist()
    for _ in range(SETTLING_SWEEPS):
        for i, begin, end in zip(nodes.tolist(), starts.tolist(), ends, strict=True):
            first = second = 0.0
            for k in range(begin, end):
                gain = weights[k] - p[targets[k]]
                if gain > first:
                    first, second = gain, first
                elif gain > second:
                    second = gain
            p[i] = min(max(p[i], second), first)
    return np.array(p)


def lagrangian(round_: Cohort, prices, collect: int = 0, progress=None):
    """``L(prices)`` summed exactly over every compatible pair of the round, and the
    pairs that gain over their prices (at most ``collect`` per person of each
    block's rows, the most first) as (a, b, w)."""
    p = np.asarray(prices, dtype=np.float64)
    p32 = p.astype(np.float32)
    excess = 0.0
    found_a, found_b, found_w = [], [], []
    for rows, cols, block in _upper_triangle(round_):
        block -= p32[rows][:, None] + p32[cols][None, :]
        r, c = np.nonzero(block > -MARGIN)
        if progress:
            progress.advance(len(rows))
        if not len(r):
            continue
        a, b = rows[r], cols[c]
        w = round_.pair_scores(a, b)
        gain = w - p[a] - p[b]
        excess += float(np.maximum(gain, 0.0).sum())
        if collect:
            keep = gain > 0
            a, b, w, gain = a[keep], b[keep], w[keep], gain[keep]
            order = np.lexsort((-gain, a))
            a, b, w = a[order], b[order], w[order]
            rank = np.arange(len(a)) - np.searchsorted(a, a)
            keep = rank < collect
            found_a.append(a[keep])
            found_b.append(b[keep])
            found_w.append(w[keep])
    # Summing in another order (a total, a matching's pairs) may round differently.
    value = (float(p.sum()) + excess) * (1 + ROUNDING)
    if not collect:
        return value
    empty = np.zeros(0, dtype=np.int64)
    edges = [np.concatenate(x) if x else empty for x in (found_a, found_b, found_w)]
    return value, edges


@dataclass(frozen=True)
class Relaxation:
    """The bound and what it was found with: the prices and the pairs they were chosen on."""

    value: float
    prices: np.ndarray
    a: np.ndarray
    b: np.ndarray
    w: np.ndarray
    passes: int

    def reduced(self) -> np.ndarray:
        """What each pair ``(a, b)`` gains over its prices: 0 or more for the pairs
        the relaxation's optimum uses, a little below 0 for its near misses."""
        return self.w - self.prices[self.a] - self.prices[self.b]


def relax(round_: Cohort, pairs, a, b, progress=None) -> Relaxation:
    """The bound of the module, with prices started from ``pairs`` and chosen over ``(a, b)``.

    ``pairs`` is a good matching as (i, j) indices, ``(a, b)`` pairs of people
    (the matching's candidate edges). Each pass over the round sums ``L`` exactly
    and brings in the pairs that gain over their prices, the most first; the
    prices are chosen again over them, until no pair gains, the bound falls by
    less than ``SETTLED``, or ``ROUNDS`` passes are done. The smallest ``L`` found
    is the bound. ``progress``, a :class:`.Progress`, advances one unit a row a pass.
    """
    n = round_.n
    prices = np.zeros(n)
    if pairs:
        first = np.array([min(pair) for pair in pairs])
        second = np.array([max(pair) for pair in pairs])
        prices[first] = prices[second] = round_.pair_scores(first, second) / 2
        a, b = np.concatenate([first, a]), np.concatenate([second, b])
    a, b = _unique_pairs(n, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
    w = round_.pair_scores(a, b) if len(a) else np.zeros(0)
    best = None
    for passes in range(1, ROUNDS + 1):
        prices = choose_prices(n, a, b, w, prices)
        value, (more_a, more_b, _) = lagrangian(round_, prices, BOUND_PARTNERS, progress)
        settled = best is not None and value > best.value * (1 - SETTLED)
        if best is None or value < best.value:
            best = Relaxation(value, prices, a, b, w, passes)
        known = len(a)
        a, b = _unique_pairs(n, np.concatenate([a, more_a]), np.concatenate([b, more_b]))
        if len(a) == known or settled:
            break
        w = round_.pair_scores(a, b)
    return Relaxation(best.value, best.prices, best.a, best.b, best.w, passes)


def _unique_pairs(n: int, a: np.ndarray, b: np.ndarray):
    codes = np.unique(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    return codes // n, codes % n
