"""The acceptance e-mail says where the round stands: applications open, matching, under way."""

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import EnrolmentFactory
from tests.helpers import open_round
from wagtail_iln.programme.emails import tell_decisions

pytestmark = pytest.mark.django_db


def accepted_email(round, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory(
        round=round, status="accepted", participant__consent_given_at=timezone.now()
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
