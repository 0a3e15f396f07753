import csv
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from wagtail_iln.models import Enrolment, Participant, Partnership, Round

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"wagtailsnippets_wagtail_iln_{model}:{view}", args=args)


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def listed_names(response):
    soup = BeautifulSoup(response.content, "html.parser")
    titles = soup.select("table.listing tbody [id^=snippet_][id$=_title]")
    return sorted(title.get_text(strip=True) for title in titles)


ROUND_DATA = {
    "name": "2026 round 1",
    "description": "Our first round of 2026.",
    "status": "applications_open",
    "applications_open_at": "2026-01-10 09:00",
    "applications_close_at": "2026-02-01 09:00",
    "starts_on": "2026-03-01",
    "ends_on": "2026-06-30",
}

PARTICIPANT_DATA = {
    "name": "Ana Souza",
    "email": "ana@example.org",
    "country": "BR",
    "city": "Recife",
    "time_zone": "America/Recife",
    "languages": ["pt", "en"],
    "workplace": "Biblioteca Municipal",
    "workplace_kind": "public",
    "workplace_size": "small",
    "role": "Children's librarian",
    "day_to_day": "Story time and outreach.",
    "career_path": "Teacher, then librarian.",
    "hopes_career": "Running a library.",
    "hopes_partnership": "Ideas from elsewhere.",
    "contact_frequency": "weekly",
    "contact_methods": ["email", "messaging"],
    "consent_given_at": "",
    "consent_version": "",
}


# Creating each snippet through the admin


def test_editor_creates_a_round(admin_client):
    response = admin_client.post(url("round", "add"), ROUND_DATA)
    assert response.status_code == 302, text_of(response)
    round = Round.objects.get()
    assert round.name == "2026 round 1"
    assert round.starts_on == datetime.date(2026, 3, 1)
    assert round.status == "applications_open"
    assert round.locale == Locale.get_default()


def test_round_closing_before_opening_is_refused(admin_client):
    data = {**ROUND_DATA, "applications_close_at": "2026-01-01 09:00", "ends_on": "2026-02-01"}
    response = admin_client.post(url("round", "add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["applications_close_at"] == ["Applications must close after they open."]
    assert errors["ends_on"] == ["A round must end after it starts."]
    assert not Round.objects.exists()


def test_a_round_translation_keeps_the_dates_and_status_of_the_original():
    french = Locale.objects.create(language_code="fr")
    round = RoundFactory(name="Round 1")
    translation = round.copy_for_translation(french)
    translation.name = "Session 1"
    translation.save()
    round.status = "running"
    round.starts_on = datetime.date(2027, 1, 1)
    round.ends_on = datetime.date(2027, 5, 1)
    round.save()
    translation.refresh_from_db()
    assert (translation.name, translation.status) == ("Session 1", "running")
    assert translation.starts_on == datetime.date(2027, 1, 1)


def test_editor_creates_a_participant_with_languages_and_contact_methods(admin_client):
    form = admin_client.get(url("participant", "add"))
    soup = BeautifulSoup(form.content, "html.parser")
    assert soup.select_one("select#id_languages[multiple]") is not None
    assert soup.select("input[type=checkbox][name=contact_methods]")
    response = admin_client.post(url("participant", "add"), PARTICIPANT_DATA)
    assert response.status_code == 302, text_of(response)
    person = Participant.objects.get()
    assert person.languages == ["pt", "en"]
    assert person.contact_methods == ["email", "messaging"]
    assert person.country.code == "BR"


def test_participant_with_a_bad_time_zone_is_refused(admin_client):
    data = {**PARTICIPANT_DATA, "time_zone": "Mars/Olympus_Mons"}
    response = admin_client.post(url("participant", "add"), data)
    assert response.status_code == 200
    assert "Mars/Olympus_Mons" in response.context["form"].errors["time_zone"][0]
    assert not Participant.objects.exists()


def test_participant_e_mail_is_unique_whatever_its_case(admin_client):
    ParticipantFactory(email="ana@example.org")
    response = admin_client.post(
        url("participant", "add"), {**PARTICIPANT_DATA, "email": "ANA@example.org"}
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors)
    assert Participant.objects.count() == 1


def test_languages_must_be_known_codes():
    person = ParticipantFactory.build(languages=["en", "xx"])
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "xx" in str(error.value.message_dict["languages"])


def test_a_participant_enrols_once_per_round(admin_client):
    enrolment = EnrolmentFactory()
    response = admin_client.post(
        url("enrolment", "add"),
        {
            "participant": enrolment.participant.pk,
            "round": enrolment.round.pk,
            "status": "applied",
        },
    )
    assert response.status_code == 200
    assert "already enrolled in this round" in str(response.context["form"].errors)
    assert Enrolment.objects.count() == 1


def test_a_translation_of_the_round_is_the_same_round():
    enrolment = EnrolmentFactory()
    french_round = enrolment.round.copy_for_translation(Locale.objects.create(language_code="fr"))
    french_round.save()
    again = Enrolment(participant=enrolment.participant, round=french_round)
    with pytest.raises(ValidationError, match="already enrolled"):
        again.full_clean()


def partnership_data(round, enrolments, **extra):
    return nested_form_data(
        {
            "round": round.pk,
            "status": "proposed",
            "started_on": "",
            "members": inline_formset([{"enrolment": e.pk} for e in enrolments], min=2, max=3),
            **extra,
        }
    )


def test_editor_creates_a_partnership_of_two_accepted_participants(admin_client):
    round = RoundFactory()
    pair = EnrolmentFactory.create_batch(2, round=round)
    response = admin_client.post(url("partnership", "add"), partnership_data(round, pair))
    assert response.status_code == 302, text_of(response)
    partnership = Partnership.objects.get()
    assert {m.enrolment for m in partnership.members.all()} == set(pair)
    assert str(partnership) == f"{pair[0].participant.name} & {pair[1].participant.name}"


@pytest.mark.parametrize("size", [1, 4])
def test_a_partnership_has_two_or_three_members(admin_client, size):
    round = RoundFactory()
    enrolments = EnrolmentFactory.create_batch(size, round=round)
    response = admin_client.post(url("partnership", "add"), partnership_data(round, enrolments))
    assert response.status_code == 200
    formset = response.context["form"].formsets["members"]
    assert formset.non_form_errors()
    assert not Partnership.objects.exists()


def test_a_member_from_another_round_is_refused(admin_client):
    round, other = RoundFactory(), RoundFactory(name="Other round")
    here = EnrolmentFactory(round=round)
    there = EnrolmentFactory(round=other, participant__name="Bo")
    response = admin_client.post(url("partnership", "add"), partnership_data(round, [here, there]))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["Bo is enrolled in Other round, not in this partnership's round."]
    assert not Partnership.objects.exists()


def test_members_who_applied_in_different_languages_of_a_round_are_partners(admin_client):
    round = RoundFactory()
    french = round.copy_for_translation(Locale.objects.create(language_code="fr"))
    french.save()
    here = EnrolmentFactory(round=round)
    there = EnrolmentFactory(round=french)
    response = admin_client.post(url("partnership", "add"), partnership_data(round, [here, there]))
    assert response.status_code == 302, text_of(response)
    assert {m.enrolment for m in Partnership.objects.get().members.all()} == {here, there}


def test_a_member_must_be_accepted(admin_client):
    round = RoundFactory()
    accepted = EnrolmentFactory(round=round)
    applied = EnrolmentFactory(round=round, status="applied", participant__name="Cy")
    response = admin_client.post(
        url("partnership", "add"), partnership_data(round, [accepted, applied])
    )
    assert response.context["form"].non_field_errors() == [
        "Cy's enrolment is applied, not accepted."
    ]


def test_a_participant_is_in_one_partnership_per_round(admin_client):
    round = RoundFactory()
    a, b, c = EnrolmentFactory.create_batch(3, round=round)
    PartnershipFactory(round=round, members=[a, b])
    response = admin_client.post(url("partnership", "add"), partnership_data(round, [a, c]))
    assert response.status_code == 200
    member_errors = response.context["form"].formsets["members"].errors
    assert member_errors[0] == {
        "enrolment": ["This person is already in another partnership of this round."]
    }
    assert Partnership.objects.count() == 1
    with pytest.raises(ValidationError, match="already in another partnership"):
        Partnership(round=round).validate_members([a, c])


def test_validate_members_outside_the_admin():
    round = RoundFactory()
    partnership = Partnership(round=round)
    a = EnrolmentFactory(round=round)
    with pytest.raises(ValidationError, match="2 or 3 members, not 1"):
        partnership.validate_members([a])
    with pytest.raises(ValidationError, match="twice"):
        partnership.validate_members([a, a])


# Returning participants


def test_returning_is_computed_from_earlier_accepted_enrolments():
    first, second, third = (
        RoundFactory(starts_on=datetime.date(2024, 3, 1)),
        RoundFactory(starts_on=datetime.date(2025, 3, 1)),
        RoundFactory(starts_on=datetime.date(2026, 3, 1)),
    )
    veteran = ParticipantFactory(name="Veteran")
    EnrolmentFactory(participant=veteran, round=first)
    EnrolmentFactory(participant=veteran, round=third)
    dropout = ParticipantFactory(name="Dropout")
    EnrolmentFactory(participant=dropout, round=first, status="withdrawn")
    EnrolmentFactory(participant=dropout, round=third)
    newcomer = ParticipantFactory(name="Newcomer")
    EnrolmentFactory(participant=newcomer, round=third)
    # Enrolled later than the round in question: not returning in it.
    EnrolmentFactory(participant=newcomer, round=second, status="applied")

    returning = {
        (e.participant.name, e.round_id): e.is_returning for e in Enrolment.objects.with_returning()
    }
    assert returning == {
        ("Veteran", first.pk): False,
        ("Veteran", third.pk): True,
        ("Dropout", first.pk): False,
        ("Dropout", third.pk): False,
        ("Newcomer", third.pk): False,
        ("Newcomer", second.pk): False,
    }
    assert list(Participant.objects.returning()) == [veteran]
    assert list(Participant.objects.returning(first)) == []
    assert sorted(p.name for p in Participant.objects.not_returning(third)) == [
        "Dropout",
        "Newcomer",
    ]


# Listings: filters, search, export


@pytest.fixture
def people():
    earlier = RoundFactory(name="2025", starts_on=datetime.date(2025, 3, 1))
    current = RoundFactory(name="2026", starts_on=datetime.date(2026, 3, 1))
    ana = ParticipantFactory(
        name="Ana Souza",
        email="ana@example.org",
        country="BR",
        workplace="Biblioteca Municipal",
        workplace_kind="public",
        languages=["pt", "en"],
    )
    kofi = ParticipantFactory(
        name="Kofi Mensah",
        email="kofi@example.org",
        country="GH",
        workplace="Balme Library",
        workplace_kind="academic",
    )
    mia = ParticipantFactory(
        name='=HYPERLINK("http://evil")',
        email="mia@example.org",
        country="NZ",
        workplace="School of Libraries",
        workplace_kind="library_school",
    )
    EnrolmentFactory(participant=ana, round=earlier)
    ana_now = EnrolmentFactory(participant=ana, round=current)
    kofi_now = EnrolmentFactory(participant=kofi, round=current)
    EnrolmentFactory(participant=mia, round=earlier, status="applied")
    partnership = PartnershipFactory(round=current, members=[ana_now, kofi_now])
    return {
        "earlier": earlier,
        "current": current,
        "ana": ana,
        "kofi": kofi,
        "mia": mia,
        "partnership": partnership,
    }


def test_participant_listing_filters(admin_client, people):
    list_url = url("participant", "list")
    response = admin_client.get(list_url)
    assert response.status_code == 200
    assert len(listed_names(response)) == 3
    assert listed_names(admin_client.get(list_url, {"round": people["current"].pk})) == [
        "Ana Souza",
        "Kofi Mensah",
    ]
    assert listed_names(admin_client.get(list_url, {"country": "GH"})) == ["Kofi Mensah"]
    assert listed_names(admin_client.get(list_url, {"workplace_kind": "public"})) == ["Ana Souza"]
    assert listed_names(admin_client.get(list_url, {"returning": "true"})) == ["Ana Souza"]
    not_returning = admin_client.get(
        list_url, {"returning": "false", "round": people["current"].pk}
    )
    assert listed_names(not_returning) == ["Kofi Mensah"]


def test_participant_search_by_name_workplace_and_country(admin_client, people):
    list_url = url("participant", "list")
    assert listed_names(admin_client.get(list_url, {"q": "kofi"})) == ["Kofi Mensah"]
    assert listed_names(admin_client.get(list_url, {"q": "balme"})) == ["Kofi Mensah"]
    assert listed_names(admin_client.get(list_url, {"q": "Ghana"})) == ["Kofi Mensah"]
    assert listed_names(admin_client.get(list_url, {"q": "brazil"})) == ["Ana Souza"]


def test_participant_listing_has_an_import_button(admin_client):
    soup = BeautifulSoup(admin_client.get(url("participant", "list")).content, "html.parser")
    assert soup.find("a", href=url("participant", "import"))


def test_participant_csv_export(admin_client, people):
    response = admin_client.get(url("participant", "list"), {"export": "csv"})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    # The byte order mark by which Excel reads the file as UTF-8 ("Gonçalo", not "GonÃ§alo").
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_email = {row["E-mail address"]: row for row in rows}
    ana = by_email["ana@example.org"]
    assert ana["Country"] == "Brazil"
    assert ana["Country code"] == "BR"
    # Languages and ways of keeping in touch by name, as the admin shows them: not codes.
    assert ana["Languages"] == "Portuguese, English"
    assert ana["Ways of keeping in touch"] == "e-mail, video call"
    assert ana["Kind of workplace"] == "public library"
    assert ana["Rounds"] == "2025, 2026"
    # A cell a spreadsheet would run as a formula is defused.
    assert by_email["mia@example.org"]["Name"].startswith("'=")


def test_participant_xlsx_export_opens(admin_client, people):
    response = admin_client.get(url("participant", "list"), {"export": "xlsx", "country": "BR"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][:3] == ("Name", "E-mail address", "Country code")
    assert [row[:3] for row in rows[1:]] == [("Ana Souza", "ana@example.org", "BR")]


def test_round_and_partnership_listings(admin_client, people):
    rounds = admin_client.get(url("round", "list"))
    assert rounds.status_code == 200
    assert "2026" in text_of(rounds)
    export = admin_client.get(url("round", "list"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {row["Name"]: (row["Applicants"], row["Accepted"]) for row in rows} == {
        "2025": ("2", "1"),
        "2026": ("2", "2"),
    }
    partnerships = admin_client.get(url("partnership", "list"), {"round": people["current"].pk})
    # Each member told apart from namesakes by country and workplace.
    assert re.search(r"Ana Souza \(Brazil[^)]*\) & Kofi Mensah \(Ghana", text_of(partnerships))
    assert "Kofi Mensah (Ghana" not in text_of(
        admin_client.get(url("partnership", "list"), {"round": people["earlier"].pk})
    )


def test_enrolment_listing_shows_and_filters_returning(admin_client, people):
    response = admin_client.get(url("enrolment", "list"), {"returning": "true"})
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    assert len(rows) == 1
    assert " ".join(rows[0].get_text().split()).startswith(
        "Ana Souza (Brazil, Biblioteca Municipal) Edit Inspect Delete 2026 accepted True"
    )


def test_inspect_view_shows_rounds_returning_and_partners(admin_client, people):
    response = admin_client.get(url("participant", "inspect", people["ana"].pk))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "ana@example.org" in soup.get_text()
    table = soup.select_one("[data-participant-rounds]")
    rows = [
        [" ".join(td.get_text().split()) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    ]
    assert rows == [
        ["2025", "accepted", "no", "—"],
        ["2026", "accepted", "yes", "Kofi Mensah (active)"],
    ]


# Bulk accept and withdraw


def bulk_url(action, enrolments):
    query = "&".join(f"id={e.pk}" for e in enrolments)
    return reverse("wagtail_bulk_action", args=("wagtail_iln", "enrolment", action)) + "?" + query


def test_bulk_accept_and_withdraw(admin_client):
    round = RoundFactory()
    enrolments = EnrolmentFactory.create_batch(3, round=round, status="applied")
    listing = admin_client.get(url("enrolment", "list"))
    assert b"data-bulk-action-checkbox" in listing.content
    assert bulk_url("accept", []).split("?")[0].encode() in listing.content

    confirm = admin_client.get(bulk_url("accept", enrolments[:2]))
    assert confirm.status_code == 200
    assert "Mark these 2 enrolments as accepted?" in text_of(confirm)
    response = admin_client.post(bulk_url("accept", enrolments[:2]))
    assert response.status_code == 302
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "applied",
    ]
    admin_client.post(bulk_url("withdraw", enrolments))
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"withdrawn"}


# Permissions


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_an_editor_without_programme_permissions_is_refused(client, editor, people):
    ana = people["ana"]
    enrolment = Enrolment.objects.filter(participant=ana).first()
    for address in [
        url("participant", "list"),
        url("participant", "add"),
        url("participant", "inspect", ana.pk),
        url("participant", "import"),
        url("participant", "list") + "?export=csv",
        url("round", "list"),
        url("partnership", "list"),
        url("enrolment", "list"),
    ]:
        response = client.get(address)
        assert response.status_code in (302, 403), address
    client.post(bulk_url("withdraw", [enrolment]))
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted"


def test_viewing_participants_does_not_allow_importing(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_participant"))
    assert client.get(url("participant", "list")).status_code == 200
    assert client.get(url("participant", "import")).status_code == 302
    soup = BeautifulSoup(client.get(url("participant", "list")).content, "html.parser")
    assert not soup.find("a", href=url("participant", "import"))


def test_the_programme_menu_groups_the_people_snippets(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    content = response.content.decode()
    assert "iln-programme" in content
    for model in ("round", "participant", "enrolment", "partnership"):
        assert url(model, "list") in content


def test_the_inspect_view_names_languages_and_ways_of_keeping_in_touch(admin_client):
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(
        languages=["en", "fr"], contact_methods=["email", "video_call"]
    )
    url = f"/admin/snippets/wagtail_iln/participant/inspect/{participant.pk}/"
    html = admin_client.get(url).content.decode()
    assert "English, French" in html
    assert "['en'" not in html
    assert "video_call" not in html
