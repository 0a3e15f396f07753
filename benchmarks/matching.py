"""How fast and how close to the optimum the matching engine pairs a round.

Run from the repository root::

    .venv/bin/python benchmarks/matching.py

Generates seeded synthetic rounds (countries, time zones and languages skewed
the way real applications are: many English speakers, a long tail of small
countries) of 762 and 20,000 people and times ``match()`` on each, with its peak
memory. For 762 it also times networkx's pure-Python ``max_weight_matching`` on
the same candidate graph, and compares the engine's total score with the exact
optimum over the full compatibility graph (every compatible pair, no pruning).
It reports; it always exits 0.
"""

import datetime
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from wagtail_iln.matching import Person, Rules, Weights, compatible, match  # noqa: E402
from wagtail_iln.matching.scoring import pair_score  # noqa: E402

ON = datetime.date(2026, 3, 2)
# (country, time zone, main languages, share of applicants)
COUNTRIES = [
    ("US", "America/New_York", ("en",), 14), ("US", "America/Los_Angeles", ("en",), 6),
    ("GB", "Europe/London", ("en",), 9), ("CA", "America/Toronto", ("en", "fr"), 5),
    ("AU", "Australia/Sydney", ("en",), 5), ("NZ", "Pacific/Auckland", ("en",), 2),
    ("IE", "Europe/Dublin", ("en",), 2), ("IN", "Asia/Kolkata", ("en", "hi"), 6),
    ("NG", "Africa/Lagos", ("en",), 4), ("KE", "Africa/Nairobi", ("en", "sw"), 3),
    ("ZA", "Africa/Johannesburg", ("en", "af"), 3), ("GH", "Africa/Accra", ("en",), 2),
    ("PH", "Asia/Manila", ("en",), 2), ("SG", "Asia/Singapore", ("en", "zh"), 1),
    ("ES", "Europe/Madrid", ("es",), 4), ("MX", "America/Mexico_City", ("es",), 3),
    ("AR", "America/Argentina/Buenos_Aires", ("es",), 2), ("CO", "America/Bogota", ("es",), 2),
    ("FR", "Europe/Paris", ("fr",), 3), ("SN", "Africa/Dakar", ("fr",), 1),
    ("DE", "Europe/Berlin", ("de",), 3), ("NL", "Europe/Amsterdam", ("nl",), 1),
    ("BR", "America/Sao_Paulo", ("pt",), 3), ("PT", "Europe/Lisbon", ("pt",), 1),
    ("IT", "Europe/Rome", ("it",), 1), ("JP", "Asia/Tokyo", ("ja",), 1),
    ("CN", "Asia/Shanghai", ("zh",), 1), ("NP", "Asia/Kathmandu", ("ne",), 1),
    ("PK", "Asia/Karachi", ("ur",), 1), ("EG", "Africa/Cairo", ("ar",), 1),
    ("SE", "Europe/Stockholm", ("sv",), 1), ("PL", "Europe/Warsaw", ("pl",), 1),
]  # fmt: skip
KINDS = ["academic"] * 5 + ["public"] * 4 + ["school", "special", "national", "library_school"]
METHODS = ["email", "video_call", "messaging", "social_media", "phone"]
HOPE_WORDS = (  # noqa: SIM905
    "learn leadership career advice digital collections outreach cataloguing research data "
    "teaching literacy community programmes management friendship culture exchange ideas "
    "funding advocacy children archives open access metadata skills confidence networking "
    "writing publishing technology makerspace events language practice mentoring"
).split()


def synthetic_round(size: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    weights = [c[3] for c in COUNTRIES]
    people = []
    for i in range(size):
        country, zone, main, _ = rng.choices(COUNTRIES, weights)[0]
        languages = set(main)
        if "en" not in languages and rng.random() < 0.75:
            languages.add("en")
        if rng.random() < 0.2:
            languages.add(rng.choice(["es", "fr", "de", "pt"]))
        past = frozenset(rng.sample(range(size), 2)) if rng.random() < 0.3 else frozenset()
        people.append(
            Person(
                id=i,
                country=country,
                time_zone=zone,
                languages=tuple(sorted(languages)),
                workplace_kind=rng.choice(KINDS),
                contact_frequency=rng.choice(["weekly", "fortnightly"]),
                contact_methods=tuple(sorted(rng.sample(METHODS, rng.randint(1, 3)))),
                returning=rng.random() < 0.3,
                hopes=" ".join(rng.sample(HOPE_WORDS, rng.randint(3, 8))),
                past_partner_ids=past - {i},
            )
        )
    return people


def timed(function, *args, **kwargs):
    tracemalloc.start()
    started = time.perf_counter()
    value = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, elapsed, peak


def full_optimum(people, rules, weights):
    """The exact optimum over every compatible pair, no pruning."""
    import rustworkx as rx

    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(people)))
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            b = people[j]
            if compatible(a, b, rules):
                graph.add_edge(i, j, round(pair_score(a, b, weights, ON) * 1000))
    pairs = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    return graph, pairs, sum(graph.get_edge_data(a, b) for a, b in pairs) / 1000


def pairs_score(result):
    """The engine's score over its pairs only (a triad's third member left out), to
    compare like with like against a matching."""
    return sum(p.score for p in result.partnerships if len(p.members) == 2)


def measure_762():
    import networkx as nx

    people = synthetic_round(762)
    rules, weights = Rules(), Weights()
    result, elapsed, peak = timed(match, people, rules, weights, on=ON)
    print(f"762 people: match() {elapsed:.2f} s, peak Python memory {peak / 2**20:.0f} MiB")
    print(
        f"  {len(result.partnerships)} partnerships ({result.stats['triads']} triads), "
        f"{len(result.unmatched)} unmatched, {result.candidate_edges} candidate edges"
    )
    graph, full_pairs, optimum = full_optimum(people, rules, weights)
    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(len(people)))
    nx_graph.add_weighted_edges_from(
        (a, b, graph.get_edge_data(a, b)) for a, b in graph.edge_list()
    )
    started = time.perf_counter()
    nx_pairs = nx.max_weight_matching(nx_graph, maxcardinality=True)
    nx_elapsed = time.perf_counter() - started
    nx_total = sum(nx_graph[a][b]["weight"] for a, b in nx_pairs) / 1000
    print(
        f"  networkx max_weight_matching on the full graph ({graph.num_edges()} edges): "
        f"{nx_elapsed:.2f} s; engine / networkx time = {elapsed / nx_elapsed:.3f}"
    )
    pruned = sum(p.score for p in result.partnerships if len(p.members) == 2)
    engine_pairs = pruned + sum(
        pair_score(people[p.members[0]], people[p.members[1]], weights, ON)
        for p in result.partnerships
        if len(p.members) == 3
    )
    print(
        f"  pairs' score {engine_pairs:.3f} against the exact optimum {optimum:.3f} "
        f"(networkx {nx_total:.3f}): ratio {engine_pairs / optimum:.5f}; "
        f"{len(full_pairs)} pairs in the optimum, "
        f"{len(result.partnerships)} in the engine's result"
    )


def measure_20000():
    people = synthetic_round(20_000)
    result, elapsed, peak = timed(match, people, on=ON)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(
        f"20,000 people: match() {elapsed:.1f} s, peak Python memory {peak / 2**20:.0f} MiB, "
        f"peak resident memory of the process {rss:.0f} MiB"
    )
    print(
        f"  {len(result.partnerships)} partnerships ({result.stats['triads']} triads), "
        f"{len(result.unmatched)} unmatched, {result.candidate_edges} candidate edges, "
        f"{result.stats['groups']} exact matchings"
    )


MEASUREMENTS = [measure_762, measure_20000]

if __name__ == "__main__":
    for measurement in MEASUREMENTS:
        measurement()
