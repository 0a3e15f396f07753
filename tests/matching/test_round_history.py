"""What happens to a round's partnerships is in the round's history in Wagtail: who
published them and how many, who broke up a proposal, and which proposals went because
a member withdrew their consent (without their name)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from tests.helpers import publish_proposal
from wagtail_iln.models import Partnership
from wagtail_iln.programme.personal_data import withdraw

pytestmark = pytest.mark.django_db


def history(client, round):
    url = reverse("wagtailsnippets_wagtail_iln_round:history", args=[round.pk])
    rows = BeautifulSoup(client.get(url).content, "html.parser").select("table tbody tr")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in rows]


def person(name):
    return ParticipantFactory(
        name=name, email=f"{name.split()[0].lower()}@example.org", consent_given_at=timezone.now()
    )


@pytest.fixture
def round(db):
    today = timezone.localdate()
    return RoundFactory(
        name="Round 12",
        status="matching",
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=150),
    )


def proposal(round, *names):
    enrolments = [EnrolmentFactory(round=round, participant=person(n)) for n in names]
    return PartnershipFactory(round=round, status="proposed", members=enrolments)


def test_publishing_and_breaking_up_are_in_the_rounds_history(
    admin_client, admin_user, round, django_capture_on_commit_callbacks
):
    admin_user.first_name, admin_user.last_name = "Ada", "Lovelace"
    admin_user.save()
    proposal(round, "Ana Souza", "Kofi Mensah")
    broken = proposal(round, "Chloé Martin", "Dev Iyer")
    kept = proposal(round, "Emi Tanaka", "Ben Hartley")

    url = reverse("wagtailsnippets_wagtail_iln_round:matching_action", args=[round.pk, "break"])
    admin_client.post(url, {"partnership": broken.pk, "confirm": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        publish_proposal(admin_client, round)
    assert Partnership.objects.get(pk=kept.pk).status == "active"

    rows = history(admin_client, round)
    assert any(
        "Broke up the proposed partnership of Chloé Martin & Dev Iyer" in row and "Ada" in row
        for row in rows
    ), rows
    assert any(
        "Published 2 partnerships and introduced their members" in row and "Ada" in row
        for row in rows
    ), rows


def test_a_proposal_broken_up_by_a_withdrawal_says_why_without_a_name(admin_client, round):
    proposal(round, "Ana Souza", "Kofi Mensah")
    withdraw("ana@example.org")

    assert not Partnership.objects.filter(round=round).exists()
    rows = history(admin_client, round)
    assert any("a member withdrew their consent" in row for row in rows), rows
    assert not any("Ana" in row or "Kofi" in row for row in rows)
