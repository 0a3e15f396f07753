"""The acceptance e-mail says where the round stands: applications open, matching, under way."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import EnrolmentFactory
from tests.helpers import open_round
from wagtail_iln.programme.emails import tell_decisions

pytestmark = pytest.mark.django_db


def accepted_email(round, django_capture_on_commit_callbacks, **participant):
    enrolment = EnrolmentFactory(
        round=round,
        status="accepted",
        participant__consent_given_at=timezone.now(),
        **{f"participant__{name}": value for name, value in participant.items()},
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell_decisions([enrolment.pk])
    [message] = mail.outbox
    return " ".join(message.body.split())


@pytest.mark.parametrize(
    "status, says, never",
    [
        ("applications_open", "Applications close on ", "We are now matching"),
        ("matching", "We are now matching participants;", "Applications close"),
        ("running", "You will soon receive an e-mail introducing your partner.", "matching"),
    ],
)
def test_the_acceptance_says_what_comes_next_for_the_round(
    django_capture_on_commit_callbacks, status, says, never
):
    round = open_round(name="Round 12", status=status)
    body = accepted_email(round, django_capture_on_commit_callbacks)
    assert "Good news: your application to Round 12 is accepted." in body
    assert says in body
    assert never not in body


def test_a_round_without_a_closing_date_says_once_applications_close(
    django_capture_on_commit_callbacks,
):
    round = open_round(name="Round 12", status="planning", applications_close_at=None)
    body = accepted_email(round, django_capture_on_commit_callbacks)
    assert "Once applications close, we match participants" in body


def test_the_closing_time_is_in_the_applicants_own_time_zone_and_names_it(
    django_capture_on_commit_callbacks,
):
    closes = datetime.datetime(2026, 12, 19, 1, 28, tzinfo=datetime.UTC)
    round = open_round(name="Round 12", status="applications_open", applications_close_at=closes)

    in_sydney = accepted_email(
        round, django_capture_on_commit_callbacks, time_zone="Australia/Sydney"
    )
    assert "Applications close on Dec. 19, 2026, 12:28 p.m. AEDT; then we match" in in_sydney

    mail.outbox.clear()
    in_lima = accepted_email(round, django_capture_on_commit_callbacks, time_zone="America/Lima")
    # The evening before, for a zone known by its offset alone.
    assert "Applications close on Dec. 18, 2026, 8:28 p.m. UTC-05; then we match" in in_lima
