"""What a coordinator reads in the admin: namesakes told apart, no "None", one Import button,
labels that start with a capital letter."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from tests.programme.test_people_import import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes():
    round = RoundFactory(name="Round 12", starts_on=datetime.date.today())
    people = [
        ParticipantFactory(name="Arjun Chaudhry", country=country, workplace=workplace)
        for country, workplace in (
            ("IN", "Central Library, Delhi"),
            ("GB", "Leeds Central Library"),
            ("CA", "Toronto Public Library"),
        )
    ]
    others = [ParticipantFactory(name=f"Partner {n}", country="BR") for n in range(3)]
    for arjun, other in zip(people, others, strict=True):
        PartnershipFactory(
            round=round,
            status="active",
            started_on=round.starts_on,
            members=[
                EnrolmentFactory(participant=arjun, round=round),
                EnrolmentFactory(participant=other, round=round),
            ],
        )
    return round, people


LISTS = [
    "wagtailsnippets_wagtail_iln_enrolment:list",
    "wagtailsnippets_wagtail_iln_partnership:list",
    "iln_partnership_health:index",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_namesakes_are_told_apart_wherever_listed(admin_client, namesakes, url_name):
    text = BeautifulSoup(admin_client.get(reverse(url_name)).content, "html.parser").get_text()
    assert "Arjun Chaudhry (India, Central Library, Delhi)" in text
    assert "Arjun Chaudhry (United Kingdom, Leeds Central Library)" in text
    assert "Arjun Chaudhry (Canada, Toronto Public Library)" in text


def test_the_participant_view_shows_no_none(admin_client, namesakes):
    _round, (arjun, *_rest) = namesakes
    url = reverse("wagtailsnippets_wagtail_iln_participant:inspect", args=[arjun.pk])
    text = BeautifulSoup(admin_client.get(url).content, "html.parser").get_text()
    assert "None" not in text
    assert re.search(r"Consent withdrawn at\s*—", text)


def test_a_previewed_import_has_one_import_button(admin_client, namesakes):
    round, _people = namesakes
    url = reverse("wagtailsnippets_wagtail_iln_participant:import")
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert len(page.select('button[value="import"]')) == 1
    response = admin_client.post(
        url,
        {
            "round": round.pk,
            "file": SimpleUploadedFile("people.csv", GOOD.encode(), "text/csv"),
            "action": "preview",
        },
    )
    page = BeautifulSoup(response.content, "html.parser")
    (button,) = page.select('button[value="import"]')
    assert button.find_parent("form").select_one('input[name="previewed"]') is not None


ADMIN_VIEWS = [
    ("wagtailsnippets_wagtail_iln_round:list", []),
    ("wagtailsnippets_wagtail_iln_participant:list", []),
    ("wagtailsnippets_wagtail_iln_enrolment:list", []),
    ("wagtailsnippets_wagtail_iln_partnership:list", []),
    ("iln_partnership_health:index", []),
    ("wagtailsnippets_wagtail_iln_round:matching", ["round"]),
]


@pytest.mark.parametrize("url_name, args", ADMIN_VIEWS)
def test_column_filter_and_field_labels_start_with_a_capital(
    admin_client, namesakes, url_name, args
):
    round, _people = namesakes
    url = reverse(url_name, args=[round.pk for _ in args])
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    labels = [th.get_text(" ", strip=True) for th in page.select("thead th")]
    labels += [legend.get_text(" ", strip=True) for legend in page.select("legend")]
    # Field labels; the options of a choice (a status such as "applied") are words, not labels.
    for label in page.select("label[for]"):
        field = page.find(id=label["for"])
        if field is None or field.get("type") not in ("radio", "checkbox"):
            labels.append(label.get_text(" ", strip=True))
    lower = [text for text in labels if text and text[0].islower()]
    assert lower == []
