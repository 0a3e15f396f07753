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


def datetime_ending_sentence(value):
    """``value`` in the active language's ``DATETIME_FORMAT``, for the end of a sentence.

    A format that ends with an abbreviation ("11:33 a.m.") gives its stop to the
    sentence, which then ends with one stop, not two.
    """
    if value is None or value == "":
        return ""
    text = formats.date_format(value, "DATETIME_FORMAT")
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text
