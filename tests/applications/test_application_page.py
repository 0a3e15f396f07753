"""The application form as an applicant reads it: its choices and its words."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from wagtail.models import Page

from tests.helpers import application_form_data as form_data
from tests.helpers import open_round
from tests.testapp.models import BlocksPage
from wagtail_iln.models import Application
from wagtail_iln.programme.choices import language_choices, sort_key

FORM = "form[data-iln-application-form]"


@pytest.fixture
def round(db):
    closes = timezone.localtime() + datetime.timedelta(days=20)
    return open_round(applications_close_at=closes.replace(hour=11, minute=33))


@pytest.fixture
def apply_page(site_root, round):
    page = BlocksPage(
        title="Join the network",
        slug="join",
        body=[("round_application", {"round": round, "heading": "Apply now"})],
    )
    site_root.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def shown(client, page):
    return BeautifulSoup(client.get(page.url).content, "html.parser")


def own_page(client, page):
    """The application's page, through the topic's button."""
    link = shown(client, page).select_one("a[data-iln-apply-link]")
    return BeautifulSoup(client.get(link["href"]).content, "html.parser")


def test_no_country_is_chosen_for_the_applicant(client, apply_page):
    country = own_page(client, apply_page).select_one(f"{FORM} select[name=country]")
    options = country.find_all("option")
    assert options[0]["value"] == ""
    assert [option["value"] for option in options if option.has_attr("selected")] == [""]

    action, data = form_data(apply_page, client, country="")
    response = client.post(action, data)
    assert response.status_code == 400
    field = BeautifulSoup(response.content, "html.parser").select_one(".iln-field--country")
    assert "Choose the country you work in." in field.get_text()
    assert not Application.objects.exists()


def test_languages_are_listed_by_their_name_in_the_readers_language():
    with translation.override("fr"):
        names = [str(name) for _code, name in language_choices()]
    assert names == sorted(names, key=sort_key)
    assert names.index("Bengali") < names.index("Bulgare")
    # Accents aside: "Écossais" (Scottish Gaelic) among the E's, not after Z.
    assert "Écossais" not in names or names.index("Écossais") < names.index("Zoulou")


def test_the_closing_date_ends_its_sentence_with_one_stop(client, apply_page):
    for page in (shown(client, apply_page), own_page(client, apply_page)):
        deadline = page.select_one(".iln-application-form__deadline").get_text()
        assert deadline.startswith("Applications close on ")
        # In the zone it is written in, for readers around the world; one stop after "a.m.".
        assert deadline.endswith("11:33 a.m. UTC.")
        assert ".." not in deadline


def test_the_fields_that_may_be_left_empty_say_so_and_no_other(client, apply_page):
    form = own_page(client, apply_page).select_one(FORM)
    optional = {
        marker.find_parent(class_="iln-field")["class"][1].removeprefix("iln-field--")
        for marker in form.select(".iln-field__optional")
    }
    assert optional == {
        "city",
        "workplace",
        "workplace_size",
        "role",
        "day_to_day",
        "career_path",
        "hopes_career",
        "contact_methods",
    }
    city = form.select_one(".iln-field--city label").get_text()
    assert city == "City (optional):"
    # A question asks for no colon after its marker.
    ways = form.select_one(".iln-field--contact_methods legend").get_text(" ", strip=True)
    assert ways == "Ways of keeping in touch (optional)"
