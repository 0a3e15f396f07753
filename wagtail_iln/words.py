"""Dates and language names as they read inside a sentence of the active language."""

from django.utils import formats
from django.utils.translation import get_language, get_language_info

# Languages that write the names of languages in lower case ("écrit en anglais",
# "escrito en inglés"); English and German, among others, capitalise them.
LOWER_CASE_LANGUAGE_NAMES = frozenset(
    [
        "bg",
        "ca",
        "cs",
        "da",
        "es",
        "et",
        "fi",
        "fr",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "nb",
        "nn",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sr",
        "sv",
        "uk",
    ]
)


def language_name(code):
    """The name of language ``code`` in the active language, cased for the middle of a sentence."""
    try:
        name = get_language_info(code)["name_translated"]
    except KeyError:
        return code
    active = (get_language() or "en").split("-")[0]
    if active in LOWER_CASE_LANGUAGE_NAMES:
        return name[:1].lower() + name[1:]
    return str(name)


def zone_name(value):
    """The name of ``value``'s time zone as its readers know it: "UTC", "CET", "AEDT", "UTC-05".

    "" for a naive datetime.
    """
    name = value.tzname() if getattr(value, "tzinfo", None) is not None else None
    if not name:
        return ""
    # Zones without an abbreviation name their offset alone ("-05").
    return f"UTC{name}" if name[0] in "+-" else name


def datetime_in_sentence(value):
    """``value`` in the active language's ``DATETIME_FORMAT`` and its time zone.

    "Dec. 19, 2026, 1:28 a.m. UTC": readers around the world read a deadline
    in the zone it is written in. A naive ``value`` has no zone; where its
    format then ends with an abbreviation ("11:33 a.m."), it gives its stop
    to a sentence it ends, which then ends with one stop, not two.
    """
    if value is None or value == "":
        return ""
    text = formats.date_format(value, "DATETIME_FORMAT")
    zone = zone_name(value)
    if zone:
        return f"{text} {zone}"
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text
