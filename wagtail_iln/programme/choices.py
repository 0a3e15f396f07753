"""The fixed vocabularies of the people area, kept apart so forms and the importer share them."""

import contextlib
import datetime
import unicodedata
import zoneinfo
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class RoundStatus(models.TextChoices):
    PLANNING = "planning", pgettext_lazy("round status", "planning")
    APPLICATIONS_OPEN = "applications_open", pgettext_lazy("round status", "applications open")
    MATCHING = "matching", pgettext_lazy("round status", "matching")
    RUNNING = "running", pgettext_lazy("round status", "running")
    CLOSED = "closed", pgettext_lazy("round status", "closed")


class WorkplaceKind(models.TextChoices):
    ACADEMIC = "academic", _("academic library")
    PUBLIC = "public", _("public library")
    SCHOOL = "school", _("school library")
    SPECIAL = "special", _("special library")
    NATIONAL = "national", _("national library")
    LIBRARY_SCHOOL = "library_school", _("library school")
    NOT_IN_A_LIBRARY = "not_in_a_library", _("not in a library")
    OTHER = "other", _("other")


class WorkplaceSize(models.TextChoices):
    BIG = "big", _("big")
    SMALL = "small", _("small")


class ContactFrequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    FORTNIGHTLY = "fortnightly", _("fortnightly")


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("e-mail")
    VIDEO_CALL = "video_call", _("video call")
    MESSAGING = "messaging", _("messaging")
    SOCIAL_MEDIA = "social_media", _("social media")
    PHONE = "phone", _("phone")


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("enrolment status", "applied")
    ACCEPTED = "accepted", pgettext_lazy("enrolment status", "accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment status", "withdrawn")
    DECLINED = "declined", pgettext_lazy("enrolment status", "declined")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("partnership status", "proposed")
    ACTIVE = "active", pgettext_lazy("partnership status", "active")
    ENDED = "ended", pgettext_lazy("partnership status", "ended")


class MatchingRunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("matching status", "queued")
    RUNNING = "running", pgettext_lazy("matching status", "running")
    FINISHED = "finished", pgettext_lazy("matching status", "finished")
    FAILED = "failed", pgettext_lazy("matching status", "failed")


class RoundJobKind(models.TextChoices):
    MATCH = "match", pgettext_lazy("round job", "matching")
    PUBLISH = "publish", pgettext_lazy("round job", "publishing")
    IMPORT = "import", pgettext_lazy("round job", "importing")


class CheckInAnswer(models.TextChoices):
    IN_TOUCH = "in_touch", _("We've been in touch")
    NOT_YET = "not_yet", _("We haven't been in touch yet")
    NEED_HELP = "need_help", _("We need help")


class PartnershipEmailKind(models.TextChoices):
    INTRODUCTION = "introduction", _("introduction")
    CHECK_IN = "check_in", _("check-in")
    REMINDER = "reminder", _("reminder")


# Two-letter ISO 639-1 codes Django knows a name for.
LANGUAGE_CODES = sorted(
    code for code, info in LANG_INFO.items() if len(code) == 2 and "name" in info
)


def sort_key(name):
    """A name as it is looked up in a list: accents and case aside ("Écossais" by E)."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def language_choices():
    """(code, name in the active language) for every known language, by that name."""
    choices = [(code, get_language_info(code)["name_translated"]) for code in LANGUAGE_CODES]
    return sorted(choices, key=lambda choice: sort_key(choice[1]))


def country_choices():
    """A blank choice, then every country by its name in the active language.

    The blank comes first, so that nobody is recorded in the first country of
    the list for leaving the field alone. django-countries translates and sorts
    the ~250 names each time they are listed, and a form lists them several
    times (its fields, the widget's rendering): the list is made once per
    language and django-countries' settings.
    """
    return list(_country_choices(get_language(), _countries_settings()))


def _countries_settings():
    return tuple(
        (name, repr(getattr(settings, name)))
        for name in dir(settings)
        if name.startswith("COUNTRIES_")
    )


@lru_cache(maxsize=32)
def _country_choices(language, countries_settings):
    return (("", "---------"), *countries)


@cache
def time_zone_names():
    return frozenset(zoneinfo.available_timezones())


def _zone_table():
    """``[(country code, zone name)]`` from the time zone database's ``zone.tab``, or []."""
    places = [Path(path) / "zone.tab" for path in zoneinfo.TZPATH]
    with contextlib.suppress(ModuleNotFoundError):  # the tzdata package, where it is installed
        places.append(resources.files("tzdata").joinpath("zoneinfo", "zone.tab"))
    for place in places:
        try:
            lines = place.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
        return [(row[0], row[2]) for row in rows if len(row) >= 3]
    return []


@cache
def inhabited_time_zones():
    """``{zone name: country code or ""}``: the zones people live in, and "UTC".

    The database's other names are older spellings or traps ("Etc/GMT+5" is
    five hours *behind* UTC, "US/Eastern", "W-SU", "Factory"). Without its
    ``zone.tab``, the names under a continent or an ocean.
    """
    available = time_zone_names()
    zones = {name: code for code, name in _zone_table() if name in available}
    if not zones:
        zones = dict.fromkeys(
            (name for name in available if name.split("/")[0] in TIME_ZONE_AREAS), ""
        )
    return {"UTC": "", **zones}


# The areas of the zones people live in, when zone.tab is missing.
TIME_ZONE_AREAS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)


def utc_offset(name, when):
    """How far zone ``name`` is from UTC at ``when``: "UTC+05:30", "UTC−03:00" or "UTC"."""
    offset = when.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def time_zone_choices(current=""):
    """A blank choice, then the zones people live in, by country, with today's offset.

    "Pakistan (UTC+05:00)"; a country of several zones names the place of each,
    "Australia — Sydney (UTC+11:00)". The names are those of the active
    language, the offsets today's (summer time moves them). ``current``, a
    zone outside the list (an older name), is offered too, under its own name.
    """
    today = datetime.datetime.now(datetime.UTC).date()
    choices = list(_time_zone_choices(get_language(), today))
    if current and current not in inhabited_time_zones() and current in time_zone_names():
        choices.insert(1, (current, current))
    return choices


@lru_cache(maxsize=16)
def _time_zone_choices(language, today):
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
    zones = inhabited_time_zones()
    per_country = Counter(code for code in zones.values() if code)
    labelled = []
    for name, code in zones.items():
        place = name.rsplit("/", 1)[-1].replace("_", " ")
        if name == "UTC":
            # Translators: the time zone of no place, in the list of time zones.
            where = str(_("Coordinated Universal Time"))
        elif not code:
            where = name.replace("_", " ")
        elif per_country[code] == 1:
            where = str(countries.name(code)) or code
        else:
            where = f"{countries.name(code) or code} \u2014 {place}"
        labelled.append((name, f"{where} ({utc_offset(name, noon)})"))
    labelled.sort(key=lambda choice: (choice[0] != "UTC", sort_key(choice[1])))
    return (("", "---------"), *labelled)


def validate_time_zone(value):
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Paris."),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_choice_list(value, codes, message):
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list."), code="invalid")
    unknown = [code for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            message, code="invalid_choice", params={"value": ", ".join(map(str, unknown))}
        )


def validate_language_codes(value):
    validate_choice_list(
        value,
        LANGUAGE_CODES,
        _("Unknown language code: %(value)s. Use two-letter ISO 639-1 codes such as en or fr."),
    )


def validate_contact_methods(value):
    validate_choice_list(
        value, ContactMethod.values, _("Unknown way of keeping in touch: %(value)s.")
    )
