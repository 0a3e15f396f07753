"""A round's people encoded as arrays, scored a block at a time."""

from collections.abc import Sequence

import numpy as np

from .scoring import (
    WORKING_DAY,
    hope_words,
    utc_offset_hours,
)

SCALE = 1000  # scores become integer edge weights in thousandths
HOPE_BITS = 512  # hopes' shared words beyond this many share bits, for preselection only
TIE_BREAK = 1e-4  # below the edges' thousandths: tells equal candidates apart, nothing else


def _bitsets(values: Sequence[Sequence], vocabulary: dict) -> np.ndarray:
    words = max(1, -(-len(vocabulary) // 64))
    bits = np.zeros((len(values), words), dtype=np.uint64)
    for row, items in enumerate(values):
        for item in items:
            index = vocabulary.get(item)
            if index is not None:
                bits[row, index // 64] |= np.uint64(1) << np.uint64(index % 64)
    return bits


def _codes(values: Sequence[str]) -> np.ndarray:
    table = {value: code for code, value in enumerate(sorted(set(values) - {""}))}
    return np.array([table.get(value, -1) for value in values], dtype=np.int32)


def tie_break(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """A small number for each pair, fixed and different from pair to pair.

    People with the same profile score everyone alike; without it each would keep
    the very same candidates (the first found), and the people only they can be
    paired with would be left out of the graph.
    """
    low = np.minimum(rows[:, None], cols[None, :]).astype(np.uint64)
    high = np.maximum(rows[:, None], cols[None, :]).astype(np.uint64)
    mixed = (low * np.uint64(0x9E3779B97F4A7C15)) ^ (high * np.uint64(0xC2B2AE3D27D4EB4F))
    mixed = (mixed * np.uint64(0xFF51AFD7ED558CCD)) >> np.uint64(40)
    return mixed.astype(np.float32) * np.float32(TIE_BREAK / 2**24)


def _pairwise_shared(bits: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many bits ``a[k]`` has in common with ``b[k]``, for each k."""
    return np.bitwise_count(bits[a] & bits[b]).sum(axis=1, dtype=np.int64)


def shared_counts(bits: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """How many bits each row has in common with each column."""
    total = np.zeros((len(rows), len(cols)), dtype=np.uint16)
    for word in range(bits.shape[1]):
        total += np.bitwise_count(bits[rows, word][:, None] & bits[cols, word][None, :])
    return total


class Cohort:
    """The people of a round encoded as arrays, scored a block at a time."""

    def __init__(self, people, rules, weights, on):
        self.people, self.rules, self.weights = people, rules, weights
        n = len(people)
        self.country = _codes([p.country for p in people])
        languages = sorted({lang for p in people for lang in p.languages})
        self.languages = _bitsets(
            [p.languages for p in people], {v: i for i, v in enumerate(languages)}
        )
        offsets = [utc_offset_hours(p.time_zone, on) if p.time_zone else None for p in people]
        self.offset = np.array([np.nan if o is None else o for o in offsets], dtype=np.float64)
        self.frequency = _codes([p.contact_frequency for p in people])
        methods = sorted({m for p in people for m in p.contact_methods})
        self.methods = _bitsets(
            [p.contact_methods for p in people], {v: i for i, v in enumerate(methods)}
        )
        self.kind = _codes([p.workplace_kind for p in people])
        self.returning = np.array([p.returning for p in people], dtype=bool)
        words = self.words = [hope_words(p.hopes) for p in people]
        self.hope_sizes = np.array([len(w) for w in words], dtype=np.float32)
        counts: dict[str, int] = {}
        for ws in words:
            for w in ws:
                counts[w] = counts.get(w, 0) + 1
        shared = sorted((w for w, c in counts.items() if c > 1), key=lambda w: (-counts[w], w))
        self.hopes = _bitsets(words, {w: i % HOPE_BITS for i, w in enumerate(shared)})
        # Words only one person hopes for never count in an intersection.
        self.hopes_exact = len(shared) <= HOPE_BITS
        index = {p.id: i for i, p in enumerate(people)}
        self.past: dict[int, list[int]] = {}
        if rules.no_repeat_partners:
            for i, p in enumerate(people):
                for other in p.past_partner_ids:
                    j = index.get(other)
                    if j is not None and j != i:
                        self.past.setdefault(i, []).append(j)
                        self.past.setdefault(j, []).append(i)
        self.n = n

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Scores of rows × cols, -inf where a hard rule (other than the extra ones) forbids."""
        w, rules = self.weights, self.rules
        languages = shared_counts(self.languages, rows, cols).astype(np.float32)
        score = w.shared_language * languages
        apart = np.abs(self.offset[rows][:, None] - self.offset[cols][None, :]) % 24
        apart = np.minimum(apart, 24 - apart)
        hours = np.nan_to_num(np.maximum(0.0, 8.0 - apart), nan=0.0)
        score += (w.working_hours * hours).astype(np.float32)
        fr, fc = self.frequency[rows][:, None], self.frequency[cols][None, :]
        score += w.same_contact_frequency * ((fr == fc) & (fr >= 0))
        score += w.shared_contact_method * (shared_counts(self.methods, rows, cols) > 0)
        if w.prefer_same_workplace_kind is not None:
            kr, kc = self.kind[rows][:, None], self.kind[cols][None, :]
            known = (kr >= 0) & (kc >= 0)
            same = kr == kc if w.prefer_same_workplace_kind else kr != kc
            score += w.workplace_kind * (known & same)
        score += w.returning_with_newcomer * (
            self.returning[rows][:, None] != self.returning[cols][None, :]
        )
        if w.hopes:
            inter = shared_counts(self.hopes, rows, cols).astype(np.float32)
            union = self.hope_sizes[rows][:, None] + self.hope_sizes[cols][None, :] - inter
            score += w.hopes * np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        forbidden = rows[:, None] == cols[None, :]
        if rules.different_countries:
            forbidden |= self.country[rows][:, None] == self.country[cols][None, :]
        if rules.shared_language:
            forbidden |= languages == 0
        if self.past:
            where = {c: k for k, c in enumerate(cols.tolist())}
            for r, i in enumerate(rows.tolist()):
                for j in self.past.get(i, ()):
                    k = where.get(j)
                    if k is not None:
                        forbidden[r, k] = True
        score[forbidden] = -np.inf
        return score

    def pair_scores(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The scores of the pairs ``(a[k], b[k])``, equal to :func:`.pair_score`'s to the bit.

        The terms are added in ``pair_score``'s order, in float64, so an edge weighs
        the same here as in any reference graph built from ``pair_score``.
        """
        w = self.weights
        total = w.shared_language * _pairwise_shared(self.languages, a, b).astype(np.float64)
        apart = np.abs(self.offset[a] - self.offset[b]) % 24
        apart = np.minimum(apart, 24 - apart)
        hours = np.nan_to_num(np.maximum(0.0, (WORKING_DAY[1] - WORKING_DAY[0]) - apart))
        total = total + w.working_hours * hours
        same_frequency = (self.frequency[a] == self.frequency[b]) & (self.frequency[a] >= 0)
        total = total + np.where(same_frequency, w.same_contact_frequency, 0.0)
        shared_method = _pairwise_shared(self.methods, a, b) > 0
        total = total + np.where(shared_method, w.shared_contact_method, 0.0)
        if w.prefer_same_workplace_kind is not None:
            known = (self.kind[a] >= 0) & (self.kind[b] >= 0)
            same = self.kind[a] == self.kind[b]
            if not w.prefer_same_workplace_kind:
                same = ~same
            total = total + np.where(known & same, w.workplace_kind, 0.0)
        different = self.returning[a] != self.returning[b]
        total = total + np.where(different, w.returning_with_newcomer, 0.0)
        if w.hopes:
            if self.hopes_exact:
                inter = _pairwise_shared(self.hopes, a, b).astype(np.float64)
            else:
                words = self.words
                inter = np.fromiter(
                    (len(words[i] & words[j]) for i, j in zip(a.tolist(), b.tolist(), strict=True)),
                    dtype=np.float64,
                    count=len(a),
                )
            union = self.hope_sizes[a].astype(np.float64) + self.hope_sizes[b] - inter
            similarity = np.divide(inter, union, out=np.zeros_like(inter), where=inter > 0)
            total = total + w.hopes * similarity
        return total

    def allowed(self, i: int, j: int) -> bool:
        return all(rule(self.people[i], self.people[j]) for rule in self.rules.extra)
