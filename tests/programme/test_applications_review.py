"""Applications to review: coordinators filter the pending applications, accept or decline them
in bulk, export them, and each person hears the decision in their own language."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Locale, ModelLogEntry
from wagtail.users.models import UserProfile

from tests.factories import EnrolmentFactory, ParticipantFactory, RoundFactory
from tests.helpers import make_user
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
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # past Excel's mark
    return list(csv.DictReader(io.StringIO(content)))


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
    # Yes or no in words, in the coordinator's language: not "False".
    assert ana["A déjà participé"] in ("oui", "non")
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

    # Each decision is in the enrolment's history, once, with who took it.
    history = reverse(
        "wagtailsnippets_wagtail_iln_enrolment:history", args=[enrolments["Ana Souza"].pk]
    )
    rows = [
        " ".join(row.get_text(" ", strip=True).split())
        for row in BeautifulSoup(admin_client.get(history).content, "html.parser").select(
            "table tbody tr"
        )
    ]
    assert [row for row in rows if "Accepted" in row] == [
        row for row in rows if "Accepted" in row and "admin" in row
    ]
    assert len([row for row in rows if "Accepted" in row]) == 1
    assert ModelLogEntry.objects.filter(action="wagtail_iln.decline").count() == 1


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


# One application in full


def inspect_url(enrolment_id):
    return reverse("wagtailsnippets_wagtail_iln_enrolment:inspect", args=[enrolment_id])


@pytest.fixture
def ana_in_full(ana_applied):
    ana = ana_applied.participant
    ana.city = "Recife"
    ana.time_zone = "America/Recife"
    ana.languages = ["pt", "en"]
    ana.workplace = "Biblioteca Municipal"
    ana.day_to_day = "I run the reading clubs."
    ana.career_path = "Ten years in public libraries."
    ana.hopes_career = "To lead a library."
    ana.hopes_partnership = "To learn how <b>others</b> reach new readers.\n\nAnd to make a friend."
    ana.contact_frequency = "weekly"
    ana.contact_methods = ["video_call", "messaging"]
    ana.save()
    return ana_applied


def test_a_row_of_the_review_leads_to_the_application_in_full(admin_client, ana_in_full):
    soup = BeautifulSoup(admin_client.get(REVIEW).content, "html.parser")
    (row,) = [row for row in soup.select("tbody tr") if "Ana Souza" in row.get_text()]
    assert row.select_one("td a, th a")["href"] == inspect_url(ana_in_full.pk)

    response = admin_client.get(inspect_url(ana_in_full.pk))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    shown = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("main dl dt")
    }
    assert shown["Name"] == "Ana Souza"
    assert shown["Country"] == "Brazil"
    assert shown["City"] == "Recife"
    assert shown["Time zone"] == "America/Recife"
    assert shown["Languages"] == "Portuguese, English"
    assert shown["Workplace"] == "Biblioteca Municipal"
    assert shown["Kind of workplace"] == "public library"
    assert shown["Role"] == "Outreach librarian"
    assert shown["What I do day to day"] == "I run the reading clubs."
    assert shown["Career path"] == "Ten years in public libraries."
    assert shown["Where I hope to go"] == "To lead a library."
    # What they wrote is shown as they wrote it: escaped, its paragraphs kept.
    assert soup.find("p", string="To learn how <b>others</b> reach new readers.")
    assert soup.find("p", string="And to make a friend.")
    assert shown["How often to be in touch"] == "weekly"
    assert shown["Ways of keeping in touch"] == "video call, messaging"
    assert shown["Round"] == "Round 12"
    assert shown["Status"] == "applied"
    assert shown["Returning"] == "no"
    assert shown["Applied at"] == "Nov. 30, 2026, 2:02 p.m. (UTC)"
    decisions = {link["data-iln-decision"]: link for link in soup.select("[data-iln-decision]")}
    assert set(decisions) == {"accept", "decline"}
    assert "e-mails Ana Souza the decision" in soup.select_one("[data-iln-decision-email]").text


def test_the_application_is_in_the_reviewers_language_and_time_zone(
    admin_client, admin_user, ana_in_full
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.current_time_zone = "America/Lima"
    profile.save()

    soup = BeautifulSoup(admin_client.get(inspect_url(ana_in_full.pk)).content, "html.parser")

    shown = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("main dl dt")
    }
    assert shown["Langues"] == "portugais, anglais"
    assert shown["Type de lieu de travail"] == "bibliothèque publique"
    assert shown["Date de candidature"].startswith("30 novembre 2026 09:02")
    assert shown["Date de candidature"].endswith("(America/Lima)")


def test_a_reviewer_accepts_from_the_application_and_returns_to_the_review(
    django_user_model, ana_in_full, django_capture_on_commit_callbacks
):
    reviewer = Client()
    reviewer.force_login(make_user(django_user_model, "rev", "change_enrolment"))
    soup = BeautifulSoup(reviewer.get(inspect_url(ana_in_full.pk)).content, "html.parser")
    assert "To learn how <b>others</b> reach new readers." in soup.get_text()
    accept = soup.select_one("[data-iln-decision=accept]")["href"]

    confirm = BeautifulSoup(reviewer.get(accept).content, "html.parser")
    assert "The person will be e-mailed the decision, in their language." in confirm.get_text(
        " ", strip=True
    )
    form = confirm.select_one("form[method=post]")
    assert mail.outbox == []
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "applied"

    with django_capture_on_commit_callbacks(execute=True):
        done = reviewer.post(
            form["action"],
            {field["name"]: field.get("value", "") for field in form.select("input[name]")},
            follow=True,
        )

    assert done.redirect_chain[-1][0] == REVIEW
    assert "1 enrolment is now accepted." in [str(m).strip() for m in done.context["messages"]]
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "accepted"
    [told] = mail.outbox
    assert told.to == [ana_in_full.participant.email]
    assert told.subject == "You have a place in Round 12"
    # Decided: the application no longer offers to decide it.
    soup = BeautifulSoup(reviewer.get(inspect_url(ana_in_full.pk)).content, "html.parser")
    assert not soup.select("[data-iln-decision]")


def test_declining_from_the_application_asks_first_and_tells_the_person(
    admin_client, ana_in_full, django_capture_on_commit_callbacks
):
    soup = BeautifulSoup(admin_client.get(inspect_url(ana_in_full.pk)).content, "html.parser")
    decline = soup.select_one("[data-iln-decision=decline]")["href"]

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(decline, {"next": REVIEW}, follow=True)

    assert done.redirect_chain[-1][0] == REVIEW
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "declined"
    [told] = mail.outbox
    assert told.subject == "Your application to Round 12"


def test_someone_who_may_not_be_emailed_is_said_so_beside_the_decision(admin_client, ana_in_full):
    participant = ana_in_full.participant
    participant.consent_withdrawn_at = timezone.now()
    participant.save()

    soup = BeautifulSoup(admin_client.get(inspect_url(ana_in_full.pk)).content, "html.parser")

    assert "Ana Souza may not be e-mailed" in soup.select_one("[data-iln-decision-email]").text
    confirm = admin_client.get(soup.select_one("[data-iln-decision=accept]")["href"])
    assert "Nobody will be e-mailed" in confirm.content.decode()


def test_who_may_only_view_enrolments_reads_the_application_but_cannot_decide(
    django_user_model, ana_in_full, django_capture_on_commit_callbacks
):
    viewer = Client()
    viewer.force_login(make_user(django_user_model, "viewer", "view_enrolment"))

    soup = BeautifulSoup(viewer.get(inspect_url(ana_in_full.pk)).content, "html.parser")
    assert soup.find("p", string="And to make a friend.")
    assert not soup.select("[data-iln-decision]")

    accept = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", "accept"])
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer.post(f"{accept}?id={ana_in_full.pk}", {"next": REVIEW})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "applied"
    assert mail.outbox == []


def test_who_may_not_see_enrolments_is_turned_away(
    django_user_model, ana_in_full, django_capture_on_commit_callbacks
):
    other = Client()
    other.force_login(make_user(django_user_model, "ed", "moderate_photosubmission"))

    response = other.get(inspect_url(ana_in_full.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Ana Souza" not in other.get(reverse("wagtailadmin_home")).content.decode()
    response = other.get(
        inspect_url(ana_in_full.pk), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403

    for action in ["accept", "decline"]:
        url = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", action])
        with django_capture_on_commit_callbacks(execute=True):
            response = other.post(f"{url}?id={ana_in_full.pk}", {"next": REVIEW})
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "applied"
    assert mail.outbox == []


def test_an_id_that_is_no_enrolments_is_not_found(admin_client, ana_in_full):
    inspect_unknown = inspect_url(ana_in_full.pk + 1000)
    assert admin_client.get(inspect_unknown).status_code == 404

    for made_up in [ana_in_full.pk + 1000, "abc", "1.5"]:
        path = inspect_url(0).replace("/0/", f"/{made_up}/")
        assert admin_client.get(path).status_code == 404
        for action in ["accept", "decline"]:
            url = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", action])
            assert admin_client.get(f"{url}?id={made_up}").status_code == 404
            assert admin_client.post(f"{url}?id={made_up}", {"next": REVIEW}).status_code == 404
    assert Enrolment.objects.get(pk=ana_in_full.pk).status == "applied"
    assert mail.outbox == []


def confirmation_text(client, action, enrolments):
    url = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", action])
    response = client.get(url + "?" + "&".join(f"id={e.pk}" for e in enrolments))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_the_bulk_confirmation_says_each_person_will_be_emailed(admin_client, applications):
    _round, enrolments = applications
    chosen = list(enrolments.values())

    for action in ["accept", "decline"]:
        text = confirmation_text(admin_client, action, chosen)
        assert "Mark these 3 enrolments as" in text
        assert (
            "Each of these 3 people will be e-mailed the decision, in their own language." in text
        )
    assert mail.outbox == []
    assert set(
        Enrolment.objects.filter(pk__in=[e.pk for e in chosen]).values_list("status", flat=True)
    ) == {"applied"}

    # Withdrawing tells nobody, and says nothing of e-mails.
    assert "e-mailed" not in confirmation_text(admin_client, "withdraw", chosen)


def test_the_bulk_confirmation_counts_only_who_will_be_emailed(admin_client, applications):
    _round, enrolments = applications
    already = EnrolmentFactory(status="accepted", participant__consent_given_at=timezone.now())
    withdrawn = enrolments["Dev Iyer"].participant
    withdrawn.consent_withdrawn_at = timezone.now()
    withdrawn.save()

    text = confirmation_text(admin_client, "accept", [*enrolments.values(), already])

    assert (
        "2 of them will be e-mailed the decision, each in their own language; the others "
        "already have this status or may not be e-mailed." in text
    )
    assert "Nobody will be e-mailed" in confirmation_text(admin_client, "accept", [already])
