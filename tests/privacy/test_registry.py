"""A site's own model with personal data joins the my-data page, the download and erasure."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from tests.testapp.models import WorkshopBooking
from wagtail_iln.privacy import registry
from wagtail_iln.privacy.data_rights import data_token

EMAIL = "lucia.perez@example.org"


def link(email=EMAIL):
    return f"/iln/my-data/{data_token(email)}/"


@pytest.fixture
def booking(db):
    return WorkshopBooking.objects.create(
        workshop="Storytime on a budget", name="Lucía Pérez", email=EMAIL.upper()
    )


def test_the_site_registers_its_model_after_the_apps_areas():
    names = [holder.name for holder in registry.holders()]
    assert names == [
        "participants",
        "check_ins",
        "applications",
        "photo_submissions",
        "comments",
        "sign_in_accounts",
        "likes",
        "mailings",
        "followers",
        "undeliverable_addresses",
        "photo_emails",
        "workshop_bookings",
    ]


def test_someone_known_only_to_the_site_gets_a_link_and_sees_their_booking(
    client, booking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/iln/my-data/", {"email": EMAIL})
    [message] = mail.outbox
    path = re.search(r"http://testserver(/iln/my-data/\S+/)", message.body).group(1)

    page = BeautifulSoup(client.get(path).content, "html.parser")
    section = page.select_one("[data-workshop-bookings]")
    assert section.get_text(" ", strip=True) == "Workshops you booked Storytime on a budget"
    # Nothing else is held: the app's own sections are left out.
    assert page.select_one("[data-iln-consent]") is None

    exported = json.loads(client.get(path + "?format=json").content)
    assert exported["workshop_bookings"] == [
        {
            "workshop": "Storytime on a budget",
            "name": "Lucía Pérez",
            "booked_at": booking.booked_at.isoformat(),
        }
    ]


def test_erasing_through_the_link_removes_the_booking(client, booking):
    other = WorkshopBooking.objects.create(workshop="Storytime", name="Kofi", email="k@example.org")
    response = client.post(link(), {"action": "erase"})
    assert response.status_code == 200
    assert list(WorkshopBooking.objects.all()) == [other]
    assert "Storytime on a budget" not in client.get(link()).content.decode()


def test_withdrawing_consent_runs_the_sites_withdrawal_too(client, booking):
    client.post(link(), {"action": "withdraw"})
    assert not WorkshopBooking.objects.exists()
