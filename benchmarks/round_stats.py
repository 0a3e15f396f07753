"""How much ``round_stats`` costs next to one hand-written SQL query, on 20,000 participants.

Run from the repository root::

    .venv/bin/python benchmarks/round_stats.py

Builds ten rounds of 2,000 accepted participants each (a third of them
returning) in a fresh SQLite database in memory, then times ``round_stats`` of the last
round against a single aggregate query counting the same things: participants,
countries, returning participants and new countries. Prints the medians, their
ratio against the goal and the queries ``round_stats`` made. It reports; it
always exits 0.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# A fresh database in memory, whatever DATABASE_URL says: the measure is SQLite's.
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

ROUNDS = 7
ROUND_COUNT = 10
PER_ROUND = 2000
STATS_GOAL = 1.4  # round_stats may cost at most this many times the hand-written query
# 60 countries in the first round, one more each round after.
COUNTRIES = [
    "AR", "AU", "BD", "BR", "BT", "CA", "CL", "CN", "CO", "DE", "EG", "ES", "ET", "FJ", "FR",
    "GB", "GH", "GR", "ID", "IE", "IN", "IT", "JM", "JP", "KE", "KR", "LK", "MA", "MW", "MX",
    "MY", "NG", "NL", "NO", "NP", "NZ", "PE", "PH", "PK", "PL", "PT", "RW", "SE", "SG", "SN",
    "TH", "TN", "TR", "TZ", "UA", "UG", "US", "UY", "VN", "ZA", "ZM", "ZW", "BO", "CM", "EC",
    "FI", "HU", "IS", "JO", "KH", "LA", "MN", "NA", "OM", "PY",
]  # fmt: skip
KINDS = ["academic", "public", "school", "special", "national", "library_school", "other", ""]

HAND_WRITTEN = """
WITH this_round AS (
    SELECT DISTINCT e.participant_id, p.country
    FROM wagtail_iln_enrolment e
    JOIN wagtail_iln_round r ON r.id = e.round_id
    JOIN wagtail_iln_participant p ON p.id = e.participant_id
    WHERE r.translation_key = %(key)s AND e.status = 'accepted'
),
earlier AS (
    SELECT e.participant_id, p.country
    FROM wagtail_iln_enrolment e
    JOIN wagtail_iln_round r ON r.id = e.round_id
    JOIN wagtail_iln_participant p ON p.id = e.participant_id
    WHERE r.starts_on < %(starts_on)s AND e.status = 'accepted'
)
SELECT
    (SELECT COUNT(*) FROM this_round),
    (SELECT COUNT(DISTINCT country) FROM this_round),
    (SELECT COUNT(*) FROM this_round t
        WHERE t.participant_id IN (SELECT participant_id FROM earlier)),
    (SELECT COUNT(DISTINCT country) FROM this_round t
        WHERE t.country NOT IN (SELECT country FROM earlier))
"""


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def alternate(functions, *args, rounds=ROUNDS):
    """Median seconds of each function, run in turns so that drift hits all alike."""
    for function in functions:
        function(*args)  # warm up: statements prepared, pages cached
    times = [[] for _ in functions]
    for _ in range(rounds):
        for spent, function in zip(times, functions, strict=True):
            spent.append(timed(function, *args))
    return [statistics.median(spent) for spent in times]


def verdict(ratio, goal):
    return "PASS" if ratio <= goal else "FAIL"


def build_rounds():
    """Ten rounds of PER_ROUND accepted people; a third of each later round comes back."""
    from wagtail_iln.models import Enrolment, Participant, Round

    rounds = [
        Round.objects.create(
            name=f"Round {n + 1}",
            starts_on=datetime.date(2016, 3, 1) + datetime.timedelta(days=200 * n),
            ends_on=datetime.date(2016, 7, 1) + datetime.timedelta(days=200 * n),
        )
        for n in range(ROUND_COUNT)
    ]
    people = Participant.objects.bulk_create(
        (
            Participant(
                name=f"Person {n}",
                email=f"person{n}@example.org",
                country=COUNTRIES[(n * 7) % 60],
                time_zone="UTC",
                workplace_kind=KINDS[n % len(KINDS)],
            )
            for n in range(PER_ROUND * ROUND_COUNT)
        ),
        batch_size=2000,
    )
    enrolments = []
    for index, round in enumerate(rounds):
        new = people[index * PER_ROUND : (index + 1) * PER_ROUND]
        back = people[: index * PER_ROUND : 3][: PER_ROUND // 3] if index else []
        for person in new[: PER_ROUND - len(back)]:
            enrolments.append(Enrolment(participant=person, round=round, status="accepted"))
        enrolments += [Enrolment(participant=p, round=round, status="accepted") for p in back]
        # A new country in every round after the first.
        if index:
            new[0].country = COUNTRIES[59 + index]
            new[0].save(update_fields=["country"])
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    # Some applications and withdrawals that must not count.
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, round=rounds[-1], status=status)
        for person, status in zip(
            people[PER_ROUND * (ROUND_COUNT - 1) - 200 : PER_ROUND * (ROUND_COUNT - 1)],
            ["applied", "withdrawn"] * 100,
            strict=True,
        )
    )
    return rounds


def measure_round_stats():
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_iln.models import Participant
    from wagtail_iln.programme.stats import round_stats

    call_command("migrate", verbosity=0)
    rounds = build_rounds()
    last = rounds[-1]
    connection.cursor().execute("ANALYZE")

    def hand_written(round):
        with connection.cursor() as cursor:
            cursor.execute(
                HAND_WRITTEN.replace("%(key)s", "%s").replace("%(starts_on)s", "%s"),
                [str(round.translation_key).replace("-", ""), round.starts_on],
            )
            return cursor.fetchone()

    stats = round_stats(last)
    expected = hand_written(last)
    counted = (stats.participants, stats.countries, stats.returning, len(stats.new_countries))
    if counted != tuple(expected):
        print(f"  round_stats {counted} and the hand-written query {expected} disagree!")
    with CaptureQueriesContext(connection) as queries:
        round_stats(last)
    stats_time, sql_time = alternate([round_stats, hand_written], last)
    ratio = stats_time / sql_time
    print(
        f"Round stats: {Participant.objects.count():,} participants over {ROUND_COUNT} rounds, "
        f"last round {stats.participants:,} from {stats.countries} countries "
        f"({len(stats.new_countries)} new, {stats.returning:,} returning), "
        f"{ROUNDS} alternating rounds"
    )
    print(f"  (a) round_stats:              {stats_time * 1000:7.1f} ms (median)")
    print(f"  (b) one hand-written query:   {sql_time * 1000:7.1f} ms (median)")
    print(f"  ratio a/b: {ratio:.2f} (goal ≤ {STATS_GOAL}) {verdict(ratio, STATS_GOAL)}")
    print(f"  queries made by round_stats: {len(queries)}")


MEASUREMENTS = [measure_round_stats]


def main():
    for measurement in MEASUREMENTS:
        measurement()
    return 0


if __name__ == "__main__":
    sys.exit(main())
