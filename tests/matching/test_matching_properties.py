"""Properties of the matching engine over random rounds, found with hypothesis.

Rounds are small enough for networkx's pure-Python ``max_weight_matching`` over
every compatible pair to be the reference. The examples are derandomized and no
example database is kept, so every run tries the same rounds.
"""

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_iln.matching.engine import Person, Rules, Weights, compatible, match, pair_score
from wagtail_iln.matching.engine.cohort import SCALE

from .test_matching import ON

pytestmark = pytest.mark.slow

COUNTRIES = ["GB", "US", "FR", "KE", "MX"]
LANGUAGES = ["en", "fr", "es", "sw"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "", "Nowhere/X"]
WORDS = ["learn", "lead", "archives", "data", "teaching", "the", "and"]
UNMATCHED_KEYS = {
    "no_one_else",
    "no_compatible_partner",
    "no_room_in_any_pair",
    "incompatible_with_every_pair",
}

STABLE = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def not_both_odd(a, b):
    """A site's extra rule: two people with odd numbers are never paired."""
    return not (a.id % 2 and b.id % 2)


# Built once: strategies made inside a draw are validated again at every example.
FIELDS = st.fixed_dictionaries(
    {
        "country": st.sampled_from(COUNTRIES),
        "time_zone": st.sampled_from(ZONES),
        "languages": st.sets(st.sampled_from(LANGUAGES), max_size=3).map(tuple),
        "workplace_kind": st.sampled_from(["", "academic", "public"]),
        "contact_frequency": st.sampled_from(["", "weekly", "monthly"]),
        "contact_methods": st.sets(
            st.sampled_from(["email", "phone", "video_call"]), max_size=2
        ).map(tuple),
        "returning": st.booleans(),
        "hopes": st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join),
        "past": st.sets(st.integers(min_value=0, max_value=39), max_size=3),
    }
)


def _person(i, size, fields):
    fields = dict(fields)
    past = fields.pop("past")
    return Person(
        id=i, past_partner_ids=frozenset(p for p in past if p < size and p != i), **fields
    )


def rounds(max_size=13, min_size=0):
    """Rounds of up to ``max_size`` people, numbered from 0, with past partners among them."""
    return st.lists(FIELDS, min_size=min_size, max_size=max_size).map(
        lambda rows: [_person(i, len(rows), row) for i, row in enumerate(rows)]
    )


rules_strategy = st.builds(
    Rules,
    different_countries=st.booleans(),
    no_repeat_partners=st.booleans(),
    shared_language=st.booleans(),
    extra=st.sampled_from([(), (not_both_odd,)]),
)
weight = st.sampled_from([0.0, 0.25, 1.0, 3.0])
weights_strategy = st.builds(
    Weights,
    shared_language=weight,
    working_hours=weight,
    same_contact_frequency=weight,
    shared_contact_method=weight,
    workplace_kind=weight,
    prefer_same_workplace_kind=st.sampled_from([None, True, False]),
    returning_with_newcomer=weight,
    hopes=weight,
)


def reference_graph(people, rules, weights):
    graph = nx.Graph()
    graph.add_nodes_from(range(len(people)))
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            if compatible(a, people[j], rules):
                graph.add_edge(i, j, weight=round(pair_score(a, people[j], weights, ON) * SCALE))
    return graph


def pairs_weight(graph, result):
    """The weight of the result's pairs: a triad's first two members are its pair."""
    return sum(graph[p.members[0]][p.members[1]]["weight"] for p in result.partnerships)


@STABLE
@given(rounds(), rules_strategy, weights_strategy)
def test_no_partnership_breaks_a_hard_rule(people, rules, weights):
    by_id = {p.id: p for p in people}
    for partnership in match(people, rules, weights, on=ON).partnerships:
        assert len(partnership.members) in {2, 3}
        members = [by_id[i] for i in partnership.members]
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                assert compatible(a, b, rules)
                if rules.different_countries:
                    assert a.country != b.country
                if rules.no_repeat_partners:
                    assert b.id not in a.past_partner_ids and a.id not in b.past_partner_ids
                if rules.shared_language:
                    assert set(a.languages) & set(b.languages)
                assert all(rule(a, b) for rule in rules.extra)


@STABLE
@given(rounds(), rules_strategy)
def test_everyone_is_placed_once_or_listed_with_a_reason(people, rules):
    result = match(people, rules, on=ON)
    placed = [i for p in result.partnerships for i in p.members]
    alone = [i for i, _ in result.unmatched]
    assert len(placed) == len(set(placed))
    assert sorted(placed + alone) == [p.id for p in people]
    by_id = {p.id: p for p in people}
    for i, reason in result.unmatched:
        assert reason.key in UNMATCHED_KEYS
        me = by_id[i]
        fitting = [p for p in people if compatible(me, p, rules)]
        if reason.key == "no_one_else":
            assert people == [me]
            continue
        if reason.key == "no_compatible_partner":
            assert not fitting
            continue
        assert fitting
        fits = [
            p
            for p in result.partnerships
            if all(compatible(me, by_id[j], rules) for j in p.members[:2])
        ]
        # Left alone only when every pair that could take them took someone else.
        assert all(len(p.members) == 3 for p in fits)
        assert bool(fits) == (reason.key == "no_room_in_any_pair")


@STABLE
@given(rounds(), rules_strategy, weights_strategy)
def test_the_total_is_networkx_optimum_over_every_compatible_pair(people, rules, weights):
    graph = reference_graph(people, rules, weights)
    optimum = nx.max_weight_matching(graph, maxcardinality=True)
    result = match(people, rules, weights, on=ON)
    assert len(result.partnerships) == len(optimum)
    assert pairs_weight(graph, result) == sum(graph[a][b]["weight"] for a, b in optimum)


@STABLE
@given(rounds(max_size=9), rules_strategy)
def test_no_two_people_left_alone_could_have_been_paired(people, rules):
    result = match(people, rules, on=ON)
    by_id = {p.id: p for p in people}
    alone = [by_id[i] for i, _ in result.unmatched]
    for x, a in enumerate(alone):
        for b in alone[x + 1 :]:
            assert not compatible(a, b, rules)


@STABLE
@given(rounds(), rules_strategy)
def test_a_triad_takes_only_someone_no_one_else_left_over_could_pair_with(people, rules):
    result = match(people, rules, on=ON)
    by_id = {p.id: p for p in people}
    left_over = [by_id[i] for i, _ in result.unmatched]
    left_over += [by_id[p.members[2]] for p in result.partnerships if len(p.members) == 3]
    for x, a in enumerate(left_over):
        for b in left_over[x + 1 :]:
            assert not compatible(a, b, rules)


@settings(STABLE, max_examples=60)
@given(rounds(min_size=10, max_size=40), rules_strategy, st.integers(min_value=1, max_value=6))
def test_rounds_matched_over_few_candidates_keep_every_rule(people, rules, candidates):
    # Few candidates for many people: the pruned graph, the second matching of the
    # people it left apart and the triads all come into play.
    by_id = {p.id: p for p in people}
    result = match(people, rules, candidates=candidates, on=ON)
    placed = [i for p in result.partnerships for i in p.members]
    assert sorted(placed + [i for i, _ in result.unmatched]) == list(range(len(people)))
    for partnership in result.partnerships:
        members = [by_id[i] for i in partnership.members]
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                assert compatible(a, b, rules)
                if rules.no_repeat_partners:
                    assert b.id not in a.past_partner_ids and a.id not in b.past_partner_ids
    for i, reason in result.unmatched:
        assert reason.key in UNMATCHED_KEYS
        fits = [
            p
            for p in result.partnerships
            if all(compatible(by_id[i], by_id[j], rules) for j in p.members[:2])
        ]
        assert bool(fits) == (reason.key == "no_room_in_any_pair")
        if reason.key == "no_room_in_any_pair":
            assert reason.params == {"pairs": len(fits)}
