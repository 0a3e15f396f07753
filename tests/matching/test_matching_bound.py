"""How close to the best a matching is: the upper bound ``match(certify=True)`` reports.

The bound is checked against the exact optimum of small rounds, found here by
trying every matching; the share against a realistic round of 2,000 people.
Plain pytest, no database.
"""

import datetime
import importlib.util
import random
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from wagtail_iln.matching.engine import (
    Certificate,
    Person,
    Rules,
    Weights,
    compatible,
    match,
    pair_score,
)
from wagtail_iln.matching.engine.bound import lagrangian
from wagtail_iln.matching.engine.cohort import Cohort

ON = datetime.date(2026, 3, 2)
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"
ZONES = {
    "GB": "Europe/London",
    "US": "America/New_York",
    "IN": "Asia/Kolkata",
    "MX": "America/Mexico_City",
    "KE": "Africa/Nairobi",
}
WORDS = ["learn", "lead", "archives", "data", "teaching", "outreach", "culture", "skills"]


def small_round(size, seed):
    rng = random.Random(seed)
    people = []
    for i in range(size):
        country = rng.choice(sorted(ZONES))
        people.append(
            Person(
                id=i,
                country=country,
                time_zone=ZONES[country],
                languages=tuple(sorted(rng.sample(["en", "es", "fr"], rng.randint(1, 2)))),
                workplace_kind=rng.choice(["academic", "public", "school"]),
                contact_frequency=rng.choice(["weekly", "fortnightly"]),
                contact_methods=tuple(sorted(rng.sample(["email", "video_call", "phone"], 2))),
                returning=rng.random() < 0.3,
                hopes=" ".join(rng.sample(WORDS, rng.randint(1, 5))),
                past_partner_ids=frozenset({rng.randrange(size)}) - {i},
            )
        )
    return people


def best_total(people, rules):
    """The largest total of any set of compatible pairs, each person in one at most:
    every matching tried, by the people left to place."""
    n = len(people)
    weight = {
        (i, j): pair_score(people[i], people[j], Weights(), ON)
        for i in range(n)
        for j in range(i + 1, n)
        if compatible(people[i], people[j], rules)
    }

    @cache
    def best(left: frozenset) -> float:
        if not left:
            return 0.0
        first = min(left)
        rest = left - {first}
        found = best(rest)  # the first stays alone
        for other in rest:
            if (first, other) in weight:
                found = max(found, weight[first, other] + best(rest - {other}))
        return found

    return best(frozenset(range(n)))


def pairs_total(people, result, on=ON):
    """The total of the result's pairs, a triad counted by the pair it grew from."""
    by_id = {p.id: p for p in people}
    return sum(
        pair_score(by_id[p.members[0]], by_id[p.members[1]], Weights(), on)
        for p in result.partnerships
    )


def no_mexico_with_kenya(a, b):
    return {a.country, b.country} != {"MX", "KE"}


@pytest.mark.parametrize("seed", range(40))
def test_the_bound_is_never_below_the_best_pairing_nor_the_total_above_it(seed):
    rng = random.Random(seed)
    rules = Rules(extra=(no_mexico_with_kenya,)) if seed % 4 == 3 else Rules()
    people = small_round(rng.randint(2, 11), seed)
    best = best_total(people, rules)
    result = match(people, rules, on=ON, certify=True)
    certificate = result.certificate
    assert certificate.upper_bound >= best - 1e-9
    assert certificate.total <= best + 1e-9
    assert certificate.total == pytest.approx(pairs_total(people, result), abs=1e-6)
    if certificate.upper_bound > 0:
        assert certificate.share == certificate.total / certificate.upper_bound
    assert certificate.share <= 1.0


@pytest.mark.parametrize("seed", range(10))
def test_any_prices_give_a_bound_of_the_best_pairing(seed):
    """The bound holds whatever the prices, not only for those the engine chooses."""
    rng = random.Random(seed)
    people = small_round(9, seed + 100)
    best = best_total(people, Rules())
    round_ = Cohort(people, Rules(), Weights(), ON)
    for _ in range(20):
        prices = np.array([rng.uniform(0, 6) for _ in people])
        assert lagrangian(round_, prices) >= best - 1e-9


def test_a_round_with_a_single_possible_pair_reaches_its_bound():
    people = [
        Person(id="a", country="FR", time_zone="Europe/Paris", languages=("fr",)),
        Person(id="b", country="SN", time_zone="Africa/Dakar", languages=("fr",)),
        Person(id="c", country="FR", time_zone="Europe/Paris", languages=("fr",)),
    ]
    result = match(people, on=ON, certify=True)
    certificate = result.certificate
    best = best_total(people, Rules())
    assert certificate.total == pytest.approx(best)
    assert certificate.upper_bound == pytest.approx(best)
    assert certificate.share == pytest.approx(1.0)


def test_nobody_to_pair_is_all_of_nothing():
    result = match([Person(id=1, country="FR", languages=("fr",))], on=ON, certify=True)
    assert result.certificate == Certificate(total=0.0, upper_bound=0.0, share=1.0)


def test_without_certify_there_is_no_certificate_and_the_pairs_are_the_same_on_a_small_round():
    people = small_round(11, seed=5)
    plain = match(people, on=ON)
    certified = match(people, on=ON, certify=True)
    assert plain.certificate is None
    # Matched whole, a small round's pairs are the optimum already.
    assert {p.members for p in certified.partnerships} == {p.members for p in plain.partnerships}


def test_certified_progress_rises_from_zero_to_one_a_bounded_number_of_times():
    people = small_round(11, seed=8)
    reports = []
    result = match(people, on=ON, certify=True, progress=reports.append)
    assert result == match(people, on=ON, certify=True)
    assert reports[0] == 0.0 and reports[-1] == 1.0
    assert reports == sorted(set(reports))
    assert len(reports) <= 101


def benchmark_round(size):
    spec = importlib.util.spec_from_file_location("matching_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_round(size), module.ON


@pytest.mark.slow
def test_a_realistic_round_of_2000_reaches_at_least_99_5_percent_of_its_bound():
    people, on = benchmark_round(2000)
    result = match(people, on=on, certify=True)
    certificate = result.certificate
    assert certificate.share >= 0.995, certificate
    assert certificate.total == pytest.approx(pairs_total(people, result, on), abs=1e-6)
    assert result.stats["bound_passes"] >= 1


def test_a_round_split_in_groups_is_certified_and_keeps_every_rule(monkeypatch):
    from wagtail_iln.matching.engine import engine

    monkeypatch.setattr(engine, "MAX_EXACT", 100)
    monkeypatch.setattr(engine, "GROUP_SIZE", 60)
    rules = Rules(extra=(no_mexico_with_kenya,))
    people = small_round(240, seed=11)
    by_id = {p.id: p for p in people}
    plain = match(people, rules, on=ON)
    result = match(people, rules, on=ON, certify=True)
    assert result.stats["groups"] == plain.stats["groups"] == 4
    for partnership in result.partnerships:
        members = [by_id[i] for i in partnership.members]
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                assert compatible(a, b, rules)
    placed = [i for p in result.partnerships for i in p.members] + [i for i, _ in result.unmatched]
    assert sorted(placed) == sorted(by_id)
    # Matched again over the relaxation's pairs and its own: never fewer pairs, nor less.
    pairs = len(result.partnerships) - result.stats["triads"]
    plain_pairs = len(plain.partnerships) - plain.stats["triads"]
    assert pairs >= plain_pairs
    if pairs == plain_pairs:
        assert result.certificate.total >= pairs_total(people, plain) - 1e-6
    assert result.certificate.total <= result.certificate.upper_bound
