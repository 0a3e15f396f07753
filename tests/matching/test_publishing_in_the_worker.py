"""With a task worker, publishing returns at once and the matching page shows its progress."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from tests.helpers import publish_proposal, run_task_worker
from tests.matching.test_matching_admin import messages_of, page_url
from wagtail_iln.models import Partnership

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_TASKS)
def test_publishing_is_queued_shown_in_progress_then_done_by_the_worker(
    admin_client, django_capture_on_commit_callbacks
):
    round = RoundFactory(name="Round 12", starts_on=timezone.localdate() + datetime.timedelta(21))
    countries = iter(["BR", "GB", "FR", "IN"])
    for _ in range(2):
        PartnershipFactory(
            round=round,
            status="proposed",
            members=[
                EnrolmentFactory(
                    round=round,
                    participant=ParticipantFactory(
                        country=next(countries), consent_given_at=timezone.now()
                    ),
                )
                for _ in range(2)
            ],
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = publish_proposal(admin_client, round)
    assert (
        "Publishing 2 partnerships has started; their members will be introduced by e-mail."
        in messages_of(response)
    )
    # Nothing is done in the request: the worker has it.
    assert Partnership.objects.filter(status="proposed").count() == 2
    assert mail.outbox == []
    page = BeautifulSoup(admin_client.get(page_url(round)).content, "html.parser")
    progress = page.select_one("[data-iln-matching-progress]")
    assert "Publishing in progress" in progress.get_text()
    assert progress.select_one("progress") is not None
    assert admin_client.get(page_url(round, "progress")).json()["done"] is False

    with django_capture_on_commit_callbacks(execute=True):
        run_task_worker()  # publishes, and queues the introductions
    run_task_worker()  # sends them
    assert Partnership.objects.filter(status="active").count() == 2
    assert len(mail.outbox) == 4
    state = admin_client.get(page_url(round, "progress")).json()
    assert state["done"] is True and state["progress"] == 1.0
    page = BeautifulSoup(admin_client.get(page_url(round)).content, "html.parser")
    assert page.select_one("[data-iln-matching-progress]") is None
    published = page.select_one("[data-iln-matching-published]")
    assert published.select_one('[data-figure="partnerships"]').get_text() == "2"
