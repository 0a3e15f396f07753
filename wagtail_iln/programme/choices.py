"""The fixed vocabularies of the people area, kept apart so forms and the importer share them."""

import unicodedata
import zoneinfo
from functools import cache, lru_cache

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


def time_zone_choices():
    """A blank choice, then every IANA time zone name."""
    return [("", "---------")] + [(name, name) for name in sorted(time_zone_names())]


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
