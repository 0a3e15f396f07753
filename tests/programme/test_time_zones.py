"""The time zone lists of the application and My data: places people live, by country."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation

from tests.factories import ParticipantFactory
from tests.privacy.test_data_rights import EMAIL, link
from wagtail_iln.programme.choices import time_zone_choices, utc_offset

pytestmark = pytest.mark.django_db


def labels(choices):
    return dict(choices)


def test_the_list_names_countries_and_places_with_their_offset_and_no_traps():
    choices = labels(time_zone_choices())
    assert choices["Asia/Karachi"] == "Pakistan (UTC+05:00)"
    assert choices["America/Lima"] == "Peru (UTC\u221205:00)"
    # A country of several zones names the place of each.
    assert choices["Australia/Perth"] == "Australia \u2014 Perth (UTC+08:00)"
    assert choices["UTC"] == "Coordinated Universal Time (UTC)"
    # "Etc/GMT+5" is five hours behind UTC: a trap for someone in Pakistan; the others
    # are older spellings or no place at all.
    for name in ["Etc/GMT+5", "US/Eastern", "W-SU", "Factory", "Asia/Calcutta", "CST6CDT"]:
        assert name not in choices
    assert len(choices) < 450


def test_the_list_speaks_the_readers_language_in_their_alphabet():
    with translation.override("fr"):
        choices = time_zone_choices()
    # The places, without their offsets (summer time moves some of them).
    names = [label.rsplit(" (", 1)[0] for value, label in choices if value and value != "UTC"]
    assert labels(choices)["Asia/Karachi"] == "Pakistan (UTC+05:00)"
    assert labels(choices)["Europe/Madrid"].startswith("Espagne \u2014 Madrid (")
    # Accents aside: "Égypte" among the E's.
    assert (
        names.index("Danemark") < names.index("Égypte") < names.index("Équateur \u2014 Galapagos")
    )


def test_offsets_follow_summer_time():
    winter = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)
    assert (utc_offset("Europe/Paris", winter), utc_offset("Europe/Paris", summer)) == (
        "UTC+01:00",
        "UTC+02:00",
    )
    assert utc_offset("Asia/Kolkata", winter) == "UTC+05:30"


def test_a_profile_with_an_older_zone_name_keeps_it_on_my_data(client):

    ParticipantFactory(email=EMAIL, time_zone="Asia/Calcutta", consent_given_at=timezone.now())
    page = BeautifulSoup(client.get(link()).content, "html.parser")
    zone = page.select_one("form[data-iln-profile-form] select[name=time_zone]")
    assert zone.select_one("option[selected]")["value"] == "Asia/Calcutta"
    assert zone.select_one("option[value='Asia/Kolkata']") is not None
