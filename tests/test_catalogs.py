"""The French and Spanish catalogs keep up with the code.

When a test here fails after a change to a translatable string, run from ``wagtail_iln/``::

    DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=.. django-admin makemessages \\
        -l fr -l es --no-obsolete --add-location file
    # translate the new entries, then
    DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH=.. django-admin compilemessages
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from string import Formatter

import polib
import pytest
from django.utils import translation

REPO_DIR = Path(__file__).resolve().parent.parent
APP_DIR = REPO_DIR / "wagtail_iln"
LANGUAGES = ["fr", "es"]
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
}
GETTEXT_TOOLS = ["xgettext", "msguniq", "msgmerge", "msgattrib"]

# %(name)s, %s, %05.2f …; "%%" is a literal percent sign.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.\d+)?[a-zA-Z%]")


def po_path(language):
    return APP_DIR / "locale" / language / "LC_MESSAGES" / "django.po"


def load_po(language):
    return polib.pofile(str(po_path(language)))


def live_entries(catalog):
    return [entry for entry in catalog if not entry.obsolete]


def percent_placeholders(text):
    return Counter(
        match.group(0) for match in PERCENT_PLACEHOLDER.finditer(text) if match.group(0) != "%%"
    )


def brace_placeholders(text):
    return Counter(f"{{{name}}}" for _, name, _, _ in Formatter().parse(text) if name is not None)


def placeholder_problems(entry):
    """Placeholders of the msgid missing from the msgstr, or unknown to the msgid."""
    finders = []
    if "python-format" in entry.flags:
        finders.append(percent_placeholders)
    if "python-brace-format" in entry.flags:
        finders.append(brace_placeholders)
    problems = []
    for find in finders:
        if entry.msgid_plural:
            known = find(entry.msgid) | find(entry.msgid_plural)
            forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            # A singular form may leave out the number ("un sujet"); the last form may not.
            unknown = [form for form in forms if find(form) - known]
            if find(entry.msgid_plural) - find(forms[-1]) or unknown:
                problems.append(f"{entry.msgid_plural!r} -> {forms!r}")
        elif find(entry.msgid) != find(entry.msgstr):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}")
    return problems


def as_dict(entries):
    """``(msgctxt, msgid) -> translation``, without the header."""
    result = {}
    for entry in entries:
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[(entry.msgctxt, entry.msgid)] = value
    return result


@pytest.mark.parametrize("language", LANGUAGES)
def test_header(language):
    catalog = load_po(language)
    assert not catalog.metadata_is_fuzzy, "remove the fuzzy flag from the header"
    assert catalog.metadata["Language"] == language
    assert catalog.metadata["Project-Id-Version"] == "wagtail-iln"
    assert catalog.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    catalog = load_po(language)
    entries = live_entries(catalog)
    assert entries, f"{po_path(language)} has no entries"
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    untranslated = [entry.msgid for entry in entries if not entry.fuzzy and not entry.translated()]
    assert not (untranslated or fuzzy), (
        f"untranslated in {language}: {untranslated}\nfuzzy in {language}: {fuzzy}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(language):
    problems = [p for entry in live_entries(load_po(language)) for p in placeholder_problems(entry)]
    assert not problems, f"placeholders differ in {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_source(language):
    po_file = po_path(language)
    mo_file = po_file.with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file} is missing: run compilemessages"
    po, mo = load_po(language), polib.mofile(str(mo_file))
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]
    # msgfmt leaves out what is untranslated or fuzzy.
    kept = [entry for entry in live_entries(po) if entry.translated() and not entry.fuzzy]
    expected, compiled = as_dict(kept), as_dict(mo)
    differing = sorted(
        key[1]
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not differing, f"{mo_file} is out of date, run compilemessages: {differing}"


def test_catalogs_are_up_to_date_with_source(tmp_path):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        reason = f"GNU gettext is needed to extract messages; not on PATH: {missing_tools}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    copy = tmp_path / "wagtail_iln"
    shutil.copytree(APP_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_DIR), os.environ.get("PYTHONPATH", "")])
        ),
    }
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete"]
    result = subprocess.run(
        [*command, "--add-location", "file"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    def msgids(path):
        return {(entry.msgctxt, entry.msgid) for entry in live_entries(polib.pofile(str(path)))}

    extracted = msgids(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = msgids(po_path("fr"))
    missing = sorted(msgid for _, msgid in extracted - committed)
    stale = sorted(msgid for _, msgid in committed - extracted)
    assert not missing and not stale, (
        "the catalogs are behind the code, run makemessages and translate.\n"
        f"missing from the catalogs: {missing}\n"
        f"no longer in the code: {stale}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_app_catalog_is_loaded(language):
    message = "Photo: '%(title)s' by %(creator)s, %(licence)s"
    expected = load_po(language).find(message).msgstr
    with translation.override(language):
        rendered = translation.gettext(message)
    assert rendered != message
    assert rendered == expected


def test_catalogs_hold_the_same_messages():
    """The up-to-date check extracts French only; Spanish must hold the same messages."""
    fr, es = ({(e.msgctxt, e.msgid) for e in live_entries(load_po(lang))} for lang in LANGUAGES)
    assert fr == es, f"only in fr: {sorted(fr - es)}\nonly in es: {sorted(es - fr)}"


@pytest.mark.parametrize(
    "language, photo, comment",
    [("fr", "approuvée", "approuvé"), ("es", "aprobada", "aprobado")],
)
def test_status_words_agree_with_what_they_describe(language, photo, comment):
    """A photo (feminine in French and Spanish) and a comment are approved in different words."""
    from wagtail_iln.models import Comment, PhotoSubmission

    with translation.override(language):
        assert str(PhotoSubmission.Status.APPROVED.label) == photo
        assert str(Comment.Status.APPROVED.label) == comment
