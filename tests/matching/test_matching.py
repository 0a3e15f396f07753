"""The matching engine: hard rules, preferences, the optimum, triads and leftovers.

Plain pytest: the engine imports no Django, so none of these tests needs a database.
"""

import datetime
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from wagtail_iln.matching.engine import (
    Person,
    Reason,
    Rules,
    Weights,
    compatible,
    match,
    pair_score,
)
from wagtail_iln.matching.engine.cohort import SCALE, Cohort

ON = datetime.date(2026, 3, 2)
ENGINE_DIR = Path(__file__).resolve().parents[2] / "wagtail_iln" / "matching" / "engine"


def person(id, country="GB", **fields):
    fields.setdefault("time_zone", "Europe/London")
    fields.setdefault("languages", ("en",))
    return Person(id=id, country=country, **fields)


def pairs_of(result):
    return {frozenset(p.members) for p in result.partnerships}


def random_round(size, seed):
    rng = random.Random(seed)
    zones = {
        "GB": "Europe/London",
        "US": "America/New_York",
        "IN": "Asia/Kolkata",
        "AU": "Australia/Sydney",
        "ES": "Europe/Madrid",
        "MX": "America/Mexico_City",
        "FR": "Europe/Paris",
        "KE": "Africa/Nairobi",
    }
    words = ["learn", "lead", "archives", "data", "teaching", "outreach", "culture", "skills"]
    people = []
    for i in range(size):
        country = rng.choice(sorted(zones))
        people.append(
            Person(
                id=f"p{i}",
                country=country,
                time_zone=zones[country],
                languages=tuple(sorted(set(rng.sample(["en", "es", "fr", "sw"], 2)))),
                workplace_kind=rng.choice(["academic", "public", "school"]),
                contact_frequency=rng.choice(["weekly", "fortnightly"]),
                contact_methods=tuple(rng.sample(["email", "video_call", "phone"], 1)),
                returning=rng.random() < 0.3,
                hopes=" ".join(rng.sample(words, 4)),
                past_partner_ids=frozenset({f"p{rng.randrange(size)}"}),
            )
        )
    return people


# Run in a fresh interpreter where importing django or wagtail fails: this
# process has Django loaded already, so importing the engine here proves nothing.
PURITY_CHECK = """
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"django", "wagtail"}:
            raise ImportError(f"the matching engine imported {name}")
        return None

sys.meta_path.insert(0, Block())
import wagtail_iln.matching as matching
people = [
    matching.Person(id=i, country=c, languages=("en",)) for i, c in enumerate("FR ES IN NG".split())
]
result = matching.match(people)
assert len(result.partnerships) == 2, result
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"django", "wagtail"})
assert not loaded, loaded
print("pure")
"""


def test_the_engine_imports_no_django():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", PURITY_CHECK],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pure"


def test_hard_rules_are_respected_on_a_random_round():
    people = random_round(60, seed=3)
    by_id = {p.id: p for p in people}
    result = match(people, on=ON)
    for partnership in result.partnerships:
        members = [by_id[i] for i in partnership.members]
        for a in members:
            for b in members:
                if a is not b:
                    assert a.country != b.country
                    assert b.id not in a.past_partner_ids
                    assert set(a.languages) & set(b.languages)


def test_no_pair_from_the_same_country():
    result = match([person(1, "GB"), person(2, "GB"), person(3, "US"), person(4, "US")], on=ON)
    assert pairs_of(result) and all({m % 2 for m in pair} == {0, 1} for pair in pairs_of(result))


def test_past_partners_are_not_paired_again():
    people = [
        person(1, "GB", past_partner_ids=frozenset({2})),
        person(2, "US"),
        person(3, "FR", time_zone="Europe/Paris"),
        person(4, "DE", time_zone="Europe/Berlin"),
    ]
    assert frozenset({1, 2}) not in pairs_of(match(people, on=ON))
    relaxed = match(people, Rules(no_repeat_partners=False), on=ON)
    assert len(relaxed.partnerships) == 2


def test_partners_share_a_language():
    people = [
        person(1, "GB", languages=("en",)),
        person(2, "FR", languages=("fr",)),
        person(3, "US", languages=("en",)),
        person(4, "BE", languages=("fr",)),
    ]
    assert pairs_of(match(people, on=ON)) == {frozenset({1, 3}), frozenset({2, 4})}


@pytest.mark.parametrize(("prefer_same", "same_pairs"), [(True, 2), (False, 0), (None, None)])
def test_workplace_kind_preference_turns_the_choice(prefer_same, same_pairs):
    kinds = {1: "academic", 2: "public", 3: "academic", 4: "public"}
    people = [person(i, country, workplace_kind=kinds[i]) for i, country in enumerate("_ABCD") if i]
    result = match(people, weights=Weights(prefer_same_workplace_kind=prefer_same), on=ON)
    same = sum(1 for p in result.partnerships if len({kinds[m] for m in p.members}) == 1)
    keys = {r.key for p in result.partnerships for r in p.reasons}
    if same_pairs is None:
        assert not keys & {"same_workplace_kind", "different_workplace_kinds"}
    else:
        assert same == same_pairs


def test_working_hours_bring_near_time_zones_together():
    people = [
        person(1, "GB", time_zone="Europe/London"),
        person(2, "AU", time_zone="Australia/Sydney"),
        person(3, "IE", time_zone="Europe/Dublin"),
        person(4, "NZ", time_zone="Pacific/Auckland"),
    ]
    assert pairs_of(match(people, on=ON)) == {frozenset({1, 3}), frozenset({2, 4})}


def test_returning_people_are_paired_with_newcomers_and_hopes_count():
    people = [
        person(1, "GB", returning=True, hopes="leadership advice"),
        person(2, "US", returning=True, hopes="digital archives"),
        person(3, "IE", hopes="digital archives"),
        person(4, "CA", hopes="leadership advice"),
    ]
    assert pairs_of(match(people, on=ON)) == {frozenset({1, 4}), frozenset({2, 3})}
    reasons = {r.key for p in match(people, on=ON).partnerships for r in p.reasons}
    assert {"returning_with_newcomer", "matching_hopes", "shared_languages"} <= reasons


def test_contact_frequency_and_methods_count():
    people = [
        person(1, "GB", contact_frequency="weekly", contact_methods=("email",)),
        person(2, "US", contact_frequency="fortnightly", contact_methods=("phone",)),
        person(3, "IE", contact_frequency="weekly", contact_methods=("email",)),
        person(4, "CA", contact_frequency="fortnightly", contact_methods=("phone",)),
    ]
    assert pairs_of(match(people, on=ON)) == {frozenset({1, 3}), frozenset({2, 4})}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_total_weight_is_networkx_optimum(seed):
    people = random_round(60, seed)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(people)))
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            if compatible(a, people[j]):
                graph.add_edge(i, j, weight=round(pair_score(a, people[j], on=ON) * SCALE))
    optimum = nx.max_weight_matching(graph, maxcardinality=True)
    expected = sum(graph[a][b]["weight"] for a, b in optimum)
    # Every compatible pair is a candidate here, so the engine must find the same optimum.
    result = match(people, candidates=len(people), on=ON)
    index = {p.id: i for i, p in enumerate(people)}
    got = sum(
        graph[index[p.members[0]]][index[p.members[1]]]["weight"] for p in result.partnerships
    )
    assert got == expected
    # The default pruning to 30 candidates loses nothing on a round this size either.
    pruned = match(people, on=ON)
    assert (
        sum(graph[index[p.members[0]]][index[p.members[1]]]["weight"] for p in pruned.partnerships)
        == expected
    )


def test_odd_numbers_give_one_triad():
    people = [
        person(1, "GB"),
        person(2, "US", time_zone="America/New_York"),
        person(3, "IE", time_zone="Europe/Dublin"),
        person(4, "CA", time_zone="America/Toronto"),
        person(5, "AU", time_zone="Australia/Sydney"),
    ]
    result = match(people, on=ON)
    sizes = sorted(len(p.members) for p in result.partnerships)
    assert sizes == [2, 3]
    assert not result.unmatched
    triad = next(p for p in result.partnerships if len(p.members) == 3)
    assert {r.params["members"][0] for r in triad.reasons} <= set(triad.members)


def test_an_impossible_person_is_listed_with_the_reason():
    people = [
        person(1, "GB"),
        person(2, "US"),
        person(3, "JP", languages=("ja",), time_zone="Asia/Tokyo"),
    ]
    result = match(people, on=ON)
    assert pairs_of(result) == {frozenset({1, 2})}
    assert len(result.unmatched) == 1
    who, reason = result.unmatched[0]
    assert who == 3
    assert reason.key == "no_compatible_partner"
    assert reason.params == {"rule": "no_shared_language"}


def test_someone_compatible_with_no_whole_pair_is_listed_too():
    people = [person(1, "GB"), person(2, "US"), person(3, "US")]
    result = match(people, on=ON)
    [(who, reason)] = result.unmatched
    assert who in {2, 3}
    assert reason.key == "incompatible_with_every_pair"


def test_an_extra_rule_is_honoured():
    people = [person(1, "GB"), person(2, "US"), person(3, "IE"), person(4, "CA")]
    baseline = match(people, on=ON)
    first = next(iter(baseline.partnerships)).members
    forbidden = frozenset(first)

    def not_that_pair(a, b):
        return frozenset({a.id, b.id}) != forbidden

    result = match(people, Rules(extra=(not_that_pair,)), on=ON)
    assert forbidden not in pairs_of(result)
    assert len(result.partnerships) == 2


def test_the_same_input_gives_the_same_output():
    people = random_round(61, seed=5)
    assert match(people, on=ON) == match(people, on=ON)
    assert match(people, on=ON) == match(list(people), on=ON)


def test_reasons_are_keys_and_params_only():
    result = match(random_round(20, seed=9), on=ON)
    for partnership in result.partnerships:
        for reason in partnership.reasons:
            assert reason.key.isidentifier()
            assert isinstance(reason.params, dict)


def test_progress_rises_from_zero_to_one_a_bounded_number_of_times():
    reports = []
    people = random_round(61, seed=4)
    with_progress = match(people, on=ON, progress=reports.append)
    assert with_progress == match(people, on=ON)
    assert reports[0] == 0.0
    assert reports[-1] == 1.0
    assert reports.count(1.0) == 1
    assert all(0.0 <= f <= 1.0 for f in reports)
    assert reports == sorted(set(reports))
    assert 3 <= len(reports) <= 101


def test_progress_stays_bounded_on_a_round_split_in_groups(monkeypatch):
    monkeypatch.setattr("wagtail_iln.matching.engine.engine.MAX_EXACT", 40)
    monkeypatch.setattr("wagtail_iln.matching.engine.engine.GROUP_SIZE", 40)
    monkeypatch.setattr("wagtail_iln.matching.engine.engine.BLOCK_ROWS", 2)
    reports = []
    result = match(random_round(301, seed=6), on=ON, progress=reports.append)
    assert result.stats["groups"] == 8
    assert reports[0] == 0.0 and reports[-1] == 1.0
    assert reports == sorted(set(reports))
    # Hundreds of blocks, yet no more than one report a hundredth.
    assert 50 <= len(reports) <= 101


def test_progress_comes_before_the_end_and_can_stop_the_matching():
    class Stop(Exception):
        pass

    def stop_halfway(fraction):
        if fraction >= 0.5:
            raise Stop

    with pytest.raises(Stop):
        match(random_round(40, seed=2), on=ON, progress=stop_halfway)


def test_progress_must_be_callable():
    with pytest.raises(TypeError, match="progress must be a callable"):
        match(random_round(10, seed=1), on=ON, progress=0.5)


def test_someone_alone_in_the_round_is_told_so():
    result = match([person(1)], Rules(False, False, False), on=ON)
    assert result.unmatched == ((1, Reason("no_one_else", {})),)
    assert match([], on=ON).unmatched == ()


@pytest.mark.parametrize(
    ("prefer_same", "hope_bits"), [(None, 512), (True, 512), (False, 512), (None, 4)]
)
def test_numpy_scores_equal_the_pair_by_pair_definition(prefer_same, hope_bits, monkeypatch):
    # With fewer bits than shared words, hopes are compared word by word.
    monkeypatch.setattr("wagtail_iln.matching.engine.cohort.HOPE_BITS", hope_bits)
    people = random_round(80, seed=8) + [
        person("nowhere", "NZ", time_zone="", languages=("en", "sw"), hopes=""),
        person("bad zone", "JP", time_zone="Mars/Olympus", hopes="the and"),
    ]
    rules = Rules()
    weights = Weights(prefer_same_workplace_kind=prefer_same, hopes=1.7, working_hours=0.3)
    round_ = Cohort(people, rules, weights, ON)
    assert round_.hopes_exact == (hope_bits == 512)
    everyone = np.arange(len(people))
    a, b = (x.ravel() for x in np.meshgrid(everyone, everyone))
    exact = round_.pair_scores(a, b)
    block = round_.block(everyone, everyone)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        assert exact[k] == pair_score(people[i], people[j], weights, ON)
        assert np.isfinite(block[i, j]) == compatible(people[i], people[j], rules)


def test_a_repeated_id_or_no_candidates_is_refused():
    with pytest.raises(ValueError, match=r"repeated: \['2'\]"):
        match([person(1), person(2, "US"), person(2, "FR")], on=ON)
    with pytest.raises(ValueError, match="candidates must be at least 1"):
        match([person(1), person(2, "US")], candidates=0, on=ON)


def test_alike_people_keep_enough_candidates_to_pair_everyone_who_can_be():
    # Spanish speakers from Spain can only pair with Mexicans; everyone else must
    # then pair through pairs that no one ranks high (Australians with Kenyans or
    # French people), and people with one profile score everyone alike.
    groups = [
        ("AU", "Australia/Sydney", ("en",)),
        ("KE", "Africa/Nairobi", ("en", "sw")),
        ("MX", "America/Mexico_City", ("es", "en")),
        ("FR", "Europe/Paris", ("fr", "en")),
        ("ES", "Europe/Madrid", ("es",)),
    ]
    people = [
        Person(id=i, country=country, time_zone=zone, languages=languages)
        for i in range(300)
        for country, zone, languages in [groups[i % 5]]
    ]
    result = match(people, on=ON)
    assert result.unmatched == ()
    assert result.stats["triads"] == 0
    assert len(result.partnerships) == 150
