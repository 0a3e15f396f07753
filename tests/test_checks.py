from django.apps import apps
from django.core import checks
from django.test import override_settings


def messages(*ids):
    return [m for m in checks.run_checks() if m.id in ids]


def test_a_complete_site_passes_the_checks():
    assert (
        messages("wagtail_iln.E001", "wagtail_iln.E002", "wagtail_iln.E003", "wagtail_iln.E004")
        == []
    )


def test_a_missing_app_is_named_in_one_sentence(monkeypatch):
    # Removing an app from a running registry is not possible; hide it from the check instead.
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "taggit" and installed(name))
    (error,) = messages("wagtail_iln.E001")
    assert error.msg == "wagtail_iln needs 'taggit' in INSTALLED_APPS."


@override_settings(ROOT_URLCONF="tests.urls_without_app")
def test_urls_not_included_are_reported():
    (error,) = messages("wagtail_iln.E003")
    assert error.msg == "wagtail_iln's URLs are not included in the site's URLconf."
    assert 'include("wagtail_iln.urls")' in error.hint


@override_settings(WAGTAIL_ILN={"PAGE_SIZE": 5})
def test_an_unknown_setting_is_a_warning():
    (warning,) = messages("wagtail_iln.W001")
    assert "PAGE_SIZE" in warning.msg
    assert "INDEX_PAGE_SIZE" in warning.hint


@override_settings(WAGTAIL_ILN=["not", "a", "dict"])
def test_settings_that_are_not_a_dict_are_an_error():
    (error,) = messages("wagtail_iln.E002")
    assert error.msg == "The WAGTAIL_ILN setting must be a dict."


@override_settings(WAGTAIL_ILN={"MATCHING_RULES": {"SAME_CONTINENT": True}})
def test_an_unknown_matching_rule_is_an_error():
    (error,) = messages("wagtail_iln.E004")
    assert "unknown: SAME_CONTINENT" in error.msg


@override_settings(WAGTAIL_ILN={"MATCHING_RULES": {"EXTRA": ["mysite.rules.nowhere"]}})
def test_an_extra_matching_rule_that_cannot_be_imported_is_an_error():
    (error,) = messages("wagtail_iln.E004")
    assert "mysite.rules.nowhere" in error.msg


@override_settings(WAGTAIL_ILN={"MATCHING_WEIGHTS": {"shared_language": "lots"}})
def test_a_matching_weight_that_is_not_a_number_is_an_error():
    (error,) = messages("wagtail_iln.E004")
    assert "shared_language" in error.msg


@override_settings(SECRET_KEY="new-key", SECRET_KEY_FALLBACKS=["old-key"])
def test_rotating_the_secret_key_without_a_hash_key_is_a_warning():
    (warning,) = messages("wagtail_iln.W002")
    assert "EMAIL_HASH_KEY" in warning.msg
    with override_settings(WAGTAIL_ILN={"EMAIL_HASH_KEY": "a-long-random-string"}):
        assert messages("wagtail_iln.W002") == []


def test_a_site_that_rotates_no_key_gets_no_hash_key_warning():
    assert messages("wagtail_iln.W002") == []
