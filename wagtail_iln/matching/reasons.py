"""The matching's reasons in words, in the reader's language.

The engine gives reasons as a key and values (``Reason("shared_languages",
{"languages": ["en", "fr"]})``); partnerships and runs store them as JSON. Each
key has a sentence here; languages, countries and choices are named in the
active language. A site may add or reword keys in :data:`PAIR_REASONS` and
:data:`UNMATCHED_REASONS`.
"""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..programme.choices import ContactFrequency, ContactMethod, WorkplaceKind
from ..words import language_name
from .engine import Rules, compatible


def country_name(code):
    return str(countries.name(code)) or code


def _labels(choices, values):
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shared_languages(params, names):
    return gettext("Both speak %(languages)s.") % {
        "languages": ", ".join(language_name(code) for code in params.get("languages", []))
    }


def _working_hours(params, names):
    hours = params.get("hours", 0)
    count = int(hours) if float(hours).is_integer() else 2
    return ngettext(
        "Their working days overlap by %(hours)s hour.",
        "Their working days overlap by %(hours)s hours.",
        count,
    ) % {"hours": _number(hours)}


def _same_frequency(params, names):
    return gettext("Both want to be in touch %(frequency)s.") % {
        "frequency": _labels(ContactFrequency.choices, [params.get("frequency", "")])
    }


def _contact_methods(params, names):
    return gettext("Both like to keep in touch by %(methods)s.") % {
        "methods": _labels(ContactMethod.choices, params.get("methods", []))
    }


def _same_kind(params, names):
    return gettext("Same kind of workplace: %(kind)s.") % {
        "kind": _labels(WorkplaceKind.choices, [params.get("kind", "")])
    }


def _different_kinds(params, names):
    return gettext("Different kinds of workplace: %(kinds)s.") % {
        "kinds": _labels(WorkplaceKind.choices, params.get("kinds", []))
    }


def _returning(params, names):
    return gettext("%(name)s has taken part before; their partner is new.") % {
        "name": names.get(params.get("returning"), gettext("One of them"))
    }


def _hopes(params, names):
    return gettext("Similar hopes: %(words)s.") % {"words": ", ".join(params.get("words", []))}


PAIR_REASONS = {
    "shared_languages": _shared_languages,
    "working_hours_overlap": _working_hours,
    "same_contact_frequency": _same_frequency,
    "shared_contact_methods": _contact_methods,
    "same_workplace_kind": _same_kind,
    "different_workplace_kinds": _different_kinds,
    "returning_with_newcomer": _returning,
    "matching_hopes": _hopes,
}


def pair_reason_text(reason, names):
    """One stored reason (``{"key", "params"}``) as a sentence; ``names`` maps enrolment ids."""
    key, params = reason.get("key", ""), reason.get("params") or {}
    describe = PAIR_REASONS.get(key)
    text = describe(params, names) if describe else key
    members = params.get("members")
    if members:
        # A triad's reasons say which two of the three they are about.
        pair = " & ".join(str(names.get(member, member)) for member in members)
        text = gettext("%(pair)s: %(reason)s") % {"pair": pair, "reason": text}
    return text


NO_PARTNER_RULES = {
    "no_shared_language": _("Nobody else to be matched speaks one of their languages."),
    "no_partner_from_another_country": _(
        "Everyone else who shares a language with them is from their own country."
    ),
    "only_past_partners": _(
        "The only people they could be paired with were their partners in an earlier round."
    ),
    "excluded_by_extra_rules": _("The site's extra matching rules exclude everyone else."),
}


def _no_compatible_partner(params):
    rule = params.get("rule", "")
    return str(NO_PARTNER_RULES.get(rule, rule))


def _no_room(params):
    pairs = params.get("pairs", 0)
    return ngettext(
        "The one pair they could join already has a third member.",
        "All %(pairs)s pairs they could join already have a third member.",
        pairs,
    ) % {"pairs": pairs}


def _incompatible_with_every_pair(params):
    compatible_count = params.get("compatible", 0)
    return ngettext(
        "No pair could take them in: %(count)s person suits them, but that person's "
        "partner does not.",
        "No pair could take them in: %(count)s people suit them, but each one's partner does not.",
        compatible_count,
    ) % {"count": compatible_count}


def _no_one_else(params):
    return gettext("No one else in the round is waiting for a partner.")


def _changed_during_run(params):
    return gettext("Their proposed partner was paired by hand while the matching ran.")


UNMATCHED_REASONS = {
    "no_compatible_partner": _no_compatible_partner,
    "no_room_in_any_pair": _no_room,
    "incompatible_with_every_pair": _incompatible_with_every_pair,
    "no_one_else": _no_one_else,
    "changed_during_run": _changed_during_run,
}


def unmatched_reason_text(key, params):
    describe = UNMATCHED_REASONS.get(key)
    return describe(params or {}) if describe else key


# Hard rules an editor's own pairing may break


def broken_rules(people, names, rules):
    """Sentences naming each hard rule two of ``people`` (engine records) would break.

    ``names`` maps the records' ids to the names to show.
    """
    off = {"different_countries": False, "no_repeat_partners": False, "shared_language": False}
    checks = []
    if rules.different_countries:
        message = _("%(first)s and %(second)s come from the same country.")
        checks.append((Rules(**{**off, "different_countries": True}), message, ""))
    if rules.no_repeat_partners:
        message = _("%(first)s and %(second)s were partners in an earlier round.")
        checks.append((Rules(**{**off, "no_repeat_partners": True}), message, ""))
    if rules.shared_language:
        message = _("%(first)s and %(second)s share no language.")
        checks.append((Rules(**{**off, "shared_language": True}), message, ""))
    for rule in rules.extra:
        path = f"{rule.__module__}.{getattr(rule, '__qualname__', rule)}"
        message = _("%(first)s and %(second)s are refused by the site's rule %(rule)s.")
        checks.append((Rules(**off, extra=(rule,)), message, path))
    found = []
    for index, a in enumerate(people):
        for b in people[index + 1 :]:
            for single, message, path in checks:
                if not compatible(a, b, single):
                    params = {"first": names.get(a.id, a.id), "second": names.get(b.id, b.id)}
                    found.append(str(message) % {**params, "rule": path})
    return found
