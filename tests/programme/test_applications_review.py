"""Applications to review: coordinators filter the pending applications, accept or decline them
in bulk, export them, and each person hears the decision in their own language."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from tests.factories import EnrolmentFactory, ParticipantFactory, RoundFactory
from wagtail_iln.models import Enrolment

pytestmark = pytest.mark.django_db

REVIEW = reverse("wagtailsnippets_wagtail_iln_enrolment:review")


@pytest.fixture
def applications():
    round = RoundFactory(name="Round 12")
    french = round.copy_for_translation(Locale.objects.get_or_create(language_code="fr")[0])
    french.name = "Session 12"
    french.save()
    people = {
        "Ana Souza": ("BR", "public", "", round),
        "Chloé Martin": ("FR", "academic", "fr", french),
        "Dev Iyer": ("IN", "academic", "", round),
    }
    enrolments = {
        name: EnrolmentFactory(
            round=in_round,
            status="applied",
            participant=ParticipantFactory(
                name=name,
                country=country,
                workplace_kind=kind,
                language=language,
                consent_given_at=timezone.now(),
            ),
        )
        for name, (country, kind, language, in_round) in people.items()
    }
    EnrolmentFactory(round=round, status="accepted", participant__name="Already In")
    return round, enrolments


def names(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        row.select_one("td a, th a").get_text(strip=True).split(" (")[0]
        for row in soup.select("tbody tr")
    }


def bulk(admin_client, action, enrolments):
    """Tick ``enrolments`` on the review page and press ``action`` in its bar of bulk actions."""
    page = BeautifulSoup(admin_client.get(REVIEW).content, "html.parser")
    [button] = [
        link
        for link in page.select(".bulk-actions-choices [data-bulk-action-button]")
        if link.get_text(strip=True) == action
    ]
    ticked = {box["data-object-id"] for box in page.select("input[data-bulk-action-checkbox]")}
    assert {str(enrolment.pk) for enrolment in enrolments} <= ticked
    url = button["href"] + "?" + "&".join(f"id={e.pk}" for e in enrolments)
    return admin_client.post(url, {"next": REVIEW}, follow=True)


def test_the_menu_leads_to_the_applications_waiting(admin_client, applications):
    admin = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Applications to review" in admin
    assert REVIEW in admin
    response = admin_client.get(REVIEW)
    assert response.status_code == 200
    assert names(response) == {"Ana Souza", "Chloé Martin", "Dev Iyer"}


def test_filters_narrow_the_applications(admin_client, applications):
    round, _ = applications
    assert names(admin_client.get(REVIEW, {"country": "IN"})) == {"Dev Iyer"}
    assert names(admin_client.get(REVIEW, {"workplace_kind": "academic"})) == {
        "Chloé Martin",
        "Dev Iyer",
    }
    # A round matches the applications made through any of its translations.
    assert len(names(admin_client.get(REVIEW, {"round": round.pk}))) == 3


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_applications_export_as_csv(admin_client, applications):
    rows = csv_rows(admin_client.get(REVIEW, {"export": "csv"}))
    assert {row["Name"] for row in rows} == {"Ana Souza", "Chloé Martin", "Dev Iyer"}


APPLIED = datetime.datetime(2026, 11, 30, 14, 2, 11, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def ana_applied(applications):
    _round, enrolments = applications
    ana = enrolments["Ana Souza"]
    ana.participant.role = "Outreach librarian"
    ana.participant.save()
    ana.applied_at = APPLIED
    ana.save()
    return ana


def test_the_csv_reads_well_in_a_spreadsheet(admin_client, ana_applied):
    (ana,) = [
        row
        for row in csv_rows(admin_client.get(REVIEW, {"export": "csv"}))
        if row["Name"] == "Ana Souza"
    ]
    # When, to the minute, in the site's time zone (UTC here); not 14:02:11.123456+00:00.
    assert ana["Applied at"] == "2026-11-30 14:02"
    # What the listing shows to decide on: the kind of workplace, by its name, and the role.
    assert ana["Kind of workplace"] == "public library"
    assert ana["Role"] == "Outreach librarian"
    assert ana["Country"] == "Brazil"


def test_the_export_is_in_the_coordinators_language_and_time_zone(
    admin_client, admin_user, ana_applied
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.current_time_zone = "America/Lima"
    profile.save()

    rows = csv_rows(admin_client.get(REVIEW, {"export": "csv"}))
    (ana,) = [row for row in rows if row["Nom"] == "Ana Souza"]
    assert ana["Date de candidature"] == "2026-11-30 09:02"
    assert ana["Type de lieu de travail"] == "bibliothèque publique"
    assert ana["Poste"] == "Outreach librarian"

    # The XLSX file says the same time, as a date a spreadsheet can sort.
    response = admin_client.get(REVIEW, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings, *values = list(sheet.values)
    (ana,) = [dict(zip(headings, row, strict=True)) for row in values if "Ana Souza" in row]
    assert ana["Date de candidature"].replace(second=0, microsecond=0) == datetime.datetime(
        2026, 11, 30, 9, 2
    )


def test_accepting_and_declining_in_bulk_tells_each_person_in_their_language(
    admin_client, applications, django_capture_on_commit_callbacks
):
    _round, enrolments = applications
    with django_capture_on_commit_callbacks(execute=True):
        bulk(admin_client, "Accept", [enrolments["Ana Souza"], enrolments["Chloé Martin"]])
    with django_capture_on_commit_callbacks(execute=True):
        bulk(admin_client, "Decline", [enrolments["Dev Iyer"]])

    statuses = dict(Enrolment.objects.values_list("participant__name", "status"))
    assert statuses["Ana Souza"] == statuses["Chloé Martin"] == "accepted"
    assert statuses["Dev Iyer"] == "declined"
    assert names(admin_client.get(REVIEW)) == set()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 3
    ana = by_address[enrolments["Ana Souza"].participant.email]
    assert ana.subject == "You have a place in Round 12"
    chloe = by_address[enrolments["Chloé Martin"].participant.email]
    assert chloe.extra_headers["Content-Language"] == "fr"
    assert "Session 12" in chloe.subject
    assert "Round 12" not in chloe.body
    dev = by_address[enrolments["Dev Iyer"].participant.email]
    assert dev.subject == "Your application to Round 12"
    assert "we cannot offer you a place" in dev.body

    # Accepting again (a page left open in another tab) changes nothing and sends nothing.
    mail.outbox.clear()
    again = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", "accept"])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{again}?id={enrolments['Ana Souza'].pk}", {"next": REVIEW})
    assert mail.outbox == []


def test_accepting_in_an_enrolments_form_tells_the_person_and_saving_it_again_does_not(
    admin_client, applications, django_capture_on_commit_callbacks
):
    _round, enrolments = applications
    chloe = enrolments["Chloé Martin"]
    edit = reverse("wagtailsnippets_wagtail_iln_enrolment:edit", args=[chloe.pk])
    data = {"participant": chloe.participant_id, "round": chloe.round_id, "status": "accepted"}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit, data, follow=True)

    assert response.status_code == 200
    assert "The person is told by e-mail." in response.content.decode()
    chloe.refresh_from_db()
    assert chloe.status == "accepted"
    [told] = mail.outbox
    assert told.to == [chloe.participant.email]
    assert told.extra_headers["Content-Language"] == "fr"
    assert "Session 12" in told.subject

    # Saved again without a change of status: nobody is told twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit, data, follow=True)
    assert "told by e-mail" not in response.content.decode()
    assert mail.outbox == []
