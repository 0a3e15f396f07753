"""The app's ways around a site: the language switcher."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale

SWITCHER = Template("{% load wagtail_iln_tags %}{% iln_language_switcher %}")


def switcher(page, path="/", language="en"):
    request = RequestFactory().get(path)
    with translation.override(language):
        html = SWITCHER.render(Context({"page": page, "request": request}))
    return BeautifulSoup(html, "html.parser").select_one("nav.iln-language-switcher")


@pytest.fixture
def french_topic(topic_page, site_root):
    french = Locale.objects.create(language_code="fr")
    Locale.objects.create(language_code="es")
    for page in (site_root, topic_page.get_parent(), topic_page):
        page.copy_for_translation(french).save_revision().publish()
    return topic_page.get_translation(french)


def test_a_translated_page_links_to_its_translation_and_an_untranslated_one_to_its_home(
    french_topic, topic_page, site_root
):
    spanish_home = site_root.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish_home.save_revision().publish()
    nav = switcher(topic_page)
    current = nav.select_one("[aria-current=true]")
    assert (current.get_text(strip=True), current["lang"]) == ("English", "en")
    french = nav.select_one("a[hreflang=fr]")
    assert french["href"] == french_topic.url
    assert french["lang"] == "fr"
    assert french.get_text(strip=True) == "Français"
    spanish = nav.select_one("a[hreflang=es]")
    assert spanish["href"] == spanish_home.url
    assert spanish.has_attr("data-iln-untranslated")
    with translation.override("es"):
        note = translation.gettext("not translated yet: home page")
    assert note != "not translated yet: home page"
    assert note in spanish.get_text()


def test_from_the_translation_english_is_a_link_and_french_is_current(french_topic, topic_page):
    nav = switcher(french_topic, language="fr")
    assert nav.select_one("[aria-current=true]")["lang"] == "fr"
    assert nav.select_one("a[hreflang=en]")["href"] == topic_page.url
    # Spanish has neither the topic nor a home page: named, not linked.
    assert nav.select_one("a[hreflang=es]") is None


def test_a_draft_translation_is_not_offered(topic_page, site_root):
    french = Locale.objects.create(language_code="fr")
    site_root.copy_for_translation(french).save_revision().publish()
    topic_page.get_parent().copy_for_translation(french).save_revision().publish()
    topic_page.copy_for_translation(french).save_revision()
    link = switcher(topic_page).select_one("a[hreflang=fr]")
    assert link["href"] == site_root.get_translation(french).url
    assert link.has_attr("data-iln-untranslated")


def test_the_apps_own_pages_link_to_the_same_page_in_each_language(db):
    nav = switcher(None, path="/fr/iln/my-data/", language="fr")
    assert nav.select_one("a[hreflang=en]")["href"] == "/iln/my-data/"
    assert nav.select_one("a[hreflang=es]")["href"] == "/es/iln/my-data/"
    assert not nav.select("[data-iln-untranslated]")
