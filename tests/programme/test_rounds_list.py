"""The rounds list: one row per round, its translations in the row, counts over all of them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from tests.factories import EnrolmentFactory, RoundFactory
from wagtail_iln.models import Round

pytestmark = pytest.mark.django_db

URL = reverse("wagtailsnippets_wagtail_iln_round:list")


@pytest.fixture
def locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "fr", "es")
    }


def round_in_three_languages(locales, number):
    round = RoundFactory(name=f"Round {number}", locale=locales["en"])
    copies = {"en": round}
    for code, name in (("fr", "Session"), ("es", "Ronda")):
        copy = round.copy_for_translation(locales[code])
        copy.name = f"{name} {number}"
        copy.save()
        copies[code] = copy
    return copies


def rows(response):
    return BeautifulSoup(response.content, "html.parser").select("tbody tr")


def test_a_round_and_its_translations_are_one_row_with_every_enrolment_counted(
    admin_client, locales
):
    copies = round_in_three_languages(locales, 12)
    EnrolmentFactory.create_batch(3, round=copies["en"], status="accepted")
    EnrolmentFactory.create_batch(2, round=copies["fr"], status="accepted")
    EnrolmentFactory(round=copies["es"], status="applied")

    (row,) = rows(admin_client.get(URL))
    text = row.get_text(" ", strip=True)
    assert "Round 12" in text
    assert "fr: Session 12" in text
    assert "es: Ronda 12" in text
    cells = [cell.get_text(strip=True) for cell in row.select("td")]
    assert "6" in cells  # applicants, in all three languages
    assert "5" in cells  # accepted


def test_the_list_makes_as_many_queries_for_20_rounds_as_for_1(admin_client, locales):
    def count():
        admin_client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL)
        assert response.status_code == 200
        return len(queries), len(rows(response))

    copies = round_in_three_languages(locales, 1)
    EnrolmentFactory(round=copies["fr"])
    one, shown = count()
    assert shown == 1
    for number in range(2, 21):
        copies = round_in_three_languages(locales, number)
        EnrolmentFactory(round=copies["es"])
    twenty, shown = count()
    assert shown == 20
    assert twenty == one


def test_a_round_still_to_translate_offers_to_translate_it(admin_client, locales):
    round = RoundFactory(name="Round 13", locale=locales["en"])
    (row,) = rows(admin_client.get(URL))
    translate = reverse(
        "wagtail_localize:submit_snippet_translation", args=["wagtail_iln", "round", round.pk]
    )
    assert row.select_one(f'a[href="{translate}"]') is not None


def status_cells(response, heading="Status"):
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(strip=True) for th in soup.select("thead th")]
    column = headings.index(heading)
    return [row.select("td, th")[column].get_text(strip=True) for row in rows(response)]


def test_the_status_column_starts_with_a_capital_in_every_language(
    admin_client, admin_user, locales
):
    now = timezone.now()
    round = RoundFactory(
        name="Round 14",
        locale=locales["en"],
        applications_open_at=now - datetime.timedelta(days=7),
        applications_close_at=now + datetime.timedelta(days=14),
        starts_on=timezone.localdate() + datetime.timedelta(days=21),
        ends_on=timezone.localdate() + datetime.timedelta(days=170),
    )
    assert status_cells(admin_client.get(URL)) == ["Applications open"]
    # The label itself stays lower case, for the sentences that use it.
    assert round.get_current_status_display() == "applications open"

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    with translation.override("fr"):
        french = str(round.get_current_status_display())
        heading = capfirst(str(Round._meta.get_field("status").verbose_name))
    assert french[0].islower() and french != "applications open"
    assert status_cells(admin_client.get(URL), heading) == [capfirst(french)]
