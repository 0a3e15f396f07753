"""After publishing: the matching page remembers what was published and pairs only latecomers."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from tests.helpers import publish_proposal
from tests.matching.test_matching_admin import WEIGHTS, page_url
from wagtail_iln.models import Partnership

pytestmark = pytest.mark.django_db

CONSENT = {"consent_given_at": datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)}


@pytest.fixture
def round():
    return RoundFactory(
        name="Round 12",
        starts_on=timezone.localdate() + datetime.timedelta(days=21),
        ends_on=timezone.localdate() + datetime.timedelta(days=160),
    )


def person(round, name, country, status="accepted"):
    participant = ParticipantFactory(
        name=name, country=country, languages=["en"], time_zone="Europe/London", **CONSENT
    )
    return EnrolmentFactory(participant=participant, round=round, status=status)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_matching_page_shows_what_was_published_and_matches_only_latecomers(
    admin_client, round, django_capture_on_commit_callbacks
):
    ana, ben = person(round, "Ana Souza", "BR"), person(round, "Ben Hartley", "GB")
    chloe, dev = person(round, "Chloé Martin", "FR"), person(round, "Dev Iyer", "IN")
    PartnershipFactory(round=round, status="proposed", members=[ana, ben])
    PartnershipFactory(round=round, status="proposed", members=[chloe, dev])
    with django_capture_on_commit_callbacks(execute=True):
        publish_proposal(admin_client, round)

    page = soup(admin_client.get(page_url(round)))
    published = page.select_one("[data-iln-matching-published]")
    assert published.select_one('[data-figure="partnerships"]').get_text() == "2"
    assert published.select_one('[data-figure="paired"]').get_text() == "4"
    starts = date_format(round.starts_on, "DATE_FORMAT")
    assert published.select_one('[data-figure="starts_on"]').get_text() == starts
    # No empty proposal, and no button to match everyone again.
    assert page.select_one("[data-iln-matching-figures]") is None
    assert "Everyone accepted in this round has a partner" in page.get_text()
    assert page.select_one("form[data-iln-matching-run]") is None

    # Two late acceptances: matching pairs them, and only them.
    emi, fatima = person(round, "Emi Tanaka", "JP"), person(round, "Fatima Khan", "KE")
    page = soup(admin_client.get(page_url(round)))
    assert "2 accepted participants have no partner yet" in page.get_text()
    button = page.select_one("form[data-iln-matching-run] button")
    assert button.get_text(strip=True) == "Match the 2 people without a partner"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(page_url(round, "run"), WEIGHTS, follow=True)
    (proposed,) = Partnership.objects.filter(status="proposed")
    assert {m.enrolment for m in proposed.members.all()} == {emi, fatima}
    assert Partnership.objects.filter(status="active").count() == 2


def test_the_start_date_reads_the_same_in_the_e_mail_the_health_report_and_the_list(
    admin_client, round, django_capture_on_commit_callbacks
):
    ana, ben = person(round, "Ana Souza", "BR"), person(round, "Ben Hartley", "GB")
    partnership = PartnershipFactory(round=round, status="proposed", members=[ana, ben])
    with django_capture_on_commit_callbacks(execute=True):
        publish_proposal(admin_client, round)
    partnership.refresh_from_db()
    assert partnership.started_on == round.starts_on
    shown = date_format(round.starts_on, "DATE_FORMAT")

    assert f"The partnership starts on {shown}." in mail.outbox[0].body
    health = admin_client.get(reverse("iln_partnership_health:index")).content.decode()
    assert shown in health
    assert "just now" not in health
    listing = admin_client.get(reverse("wagtailsnippets_wagtail_iln_partnership:list"))
    assert shown in listing.content.decode()
