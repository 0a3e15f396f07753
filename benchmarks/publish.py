"""Publishing 762 partnerships from the admin: queued for the worker, or done in the request.

Run from the repository root::

    .venv/bin/python benchmarks/publish.py

Builds a round of 1,524 accepted participants in 762 proposed partnerships in
a fresh SQLite database in memory, then times the admin's "Publish and
introduce the partners" request twice on identical copies of the proposal:
with django-tasks-db's database backend, where the request queues one task and
returns (the worker publishes and sends the 1,524 introductions later), and
with the immediate backend, where the request itself publishes and sends every
introduction (to Django's in-memory mail box). Prints both times, their ratio
and whether the queued request returned in under a second. It reports; it
always exits 0.
"""

import os
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# A fresh database in memory, whatever DATABASE_URL says.
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

PARTNERSHIPS = 762
GOAL_SECONDS = 1.0
COUNTRIES = ["BR", "GB", "FR", "IN", "JP", "KE", "PE", "AU", "CA", "DE", "GH", "NZ"]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def build_round(name):
    import datetime

    from django.utils import timezone

    from wagtail_iln.models import Enrolment, Participant, Partnership, PartnershipMember, Round

    round = Round.objects.create(
        name=name,
        starts_on=timezone.localdate() + datetime.timedelta(days=21),
        ends_on=timezone.localdate() + datetime.timedelta(days=160),
    )
    people = Participant.objects.bulk_create(
        Participant(
            name=f"Person {name} {n}",
            email=f"person-{name.replace(' ', '-')}-{n}@example.org",
            country=COUNTRIES[n % len(COUNTRIES)],
            time_zone="Europe/London",
            languages=["en"],
            consent_given_at=timezone.now(),
        )
        for n in range(2 * PARTNERSHIPS)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(participant=person, round=round, status="accepted") for person in people
    )
    partnerships = Partnership.objects.bulk_create(
        Partnership(round=round, status="proposed", score=1.0) for _ in range(PARTNERSHIPS)
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, enrolment=enrolment)
        for n, partnership in enumerate(partnerships)
        for enrolment in enrolments[2 * n : 2 * n + 2]
    )
    return round


def time_publish_request(client, round, tasks):
    from django.test import override_settings
    from django.urls import reverse

    url = reverse("wagtailsnippets_wagtail_iln_round:matching_action", args=[round.pk, "publish"])
    with override_settings(TASKS=tasks):
        started = time.perf_counter()
        response = client.post(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def main():
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_tasks_db.models import DBTaskResult

    from wagtail_iln.models import Partnership

    setup_test_environment()  # the in-memory mail box
    call_command("migrate", verbosity=0)
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client = Client()
    client.force_login(admin)
    print(f"Building two rounds of {PARTNERSHIPS} proposed partnerships ...", flush=True)
    queued_round, inline_round = build_round("Round A"), build_round("Round B")

    queued = time_publish_request(client, queued_round, DATABASE_TASKS)
    waiting = DBTaskResult.objects.filter(status="READY").count()
    still_proposed = Partnership.objects.filter(round=queued_round, status="proposed").count()
    inline = time_publish_request(client, inline_round, IMMEDIATE_TASKS)
    sent = len(mail.outbox)

    print(
        f"queued for the worker: {queued * 1000:8.1f} ms  ({waiting} task waiting, "
        f"{still_proposed} partnerships left for the worker to publish)"
    )
    print(f"done in the request:   {inline * 1000:8.1f} ms  ({sent} introductions sent)")
    print(f"ratio (in the request / queued): {inline / queued:.1f}")
    verdict = "yes" if queued < GOAL_SECONDS else "NO"
    print(f"queued request under {GOAL_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
