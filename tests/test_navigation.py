"""The app's ways around a site: the language switcher and the breadcrumbs."""

from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from tests.helpers import open_round

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


@contextmanager
def serving():
    """While a request is served, as Django's handler signals it (the connection kept)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_base_template_asking_twice_for_the_languages_finds_them_once(french_topic, topic_page):
    # A site's base template may show the switcher and hreflang links from the same links.
    twice = Template(
        "{% load wagtail_iln_tags %}{% iln_language_switcher %}<hr>{% iln_language_switcher %}"
    )
    request = RequestFactory().get("/")
    with serving():  # the site and its root paths found and kept, as for any page
        SWITCHER.render(Context({"page": topic_page, "request": request}))
    counts = []
    for template in (twice, SWITCHER):
        # Counted as each ends: the next request's start empties the connection's log.
        with serving(), CaptureQueriesContext(connection) as queries:
            html = template.render(Context({"page": topic_page, "request": request}))
            asked = len(queries)
        counts.append(asked)
        if template is twice:
            first, second = html.split("<hr>")
    assert first == second
    assert 'hreflang="fr"' in first
    assert counts[0] == counts[1]


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


def test_the_application_page_switches_to_the_topic_it_was_reached_from_in_each_language(
    client, french_topic, topic_page
):
    round = open_round()
    apply = reverse("wagtail_iln:round_apply", args=[round.pk])
    response = client.get(apply, {"page": topic_page.pk})
    links = {link["code"]: link for link in response.context["iln_language_links"]}
    assert links["en"]["current"]
    # French: the page reached from the topic's French translation, which it then speaks.
    assert links["fr"]["url"] == f"/fr{apply}?page={french_topic.pk}"
    french = client.get(links["fr"]["url"])
    assert BeautifulSoup(french.content, "html.parser").html["lang"] == "fr"
    assert [link["code"] for link in french.context["iln_language_links"] if link["current"]] == [
        "fr"
    ]
    # Spanish: no translation of the topic, so the Spanish URL without it, in Spanish.
    spanish_url = next(
        link["url"] for link in french.context["iln_language_links"] if link["code"] == "es"
    )
    assert spanish_url == f"/es{apply}"
    spanish = client.get(spanish_url)
    assert spanish.status_code == 200
    assert BeautifulSoup(spanish.content, "html.parser").html["lang"] == "es"


def crumbs_of(client, path, **query):
    html = BeautifulSoup(client.get(path, query).content, "html.parser")
    nav = html.select_one("main nav.iln-breadcrumbs")
    items = [
        (item.get_text(strip=True), item.a["href"] if item.a else None)
        for item in nav.select("ol > li")
    ]
    current = nav.select("[aria-current=page]")
    assert [element.get_text(strip=True) for element in current] == [items[-1][0]]
    return nav["aria-label"], items


def test_a_topic_shows_the_way_down_from_the_home_page(client, topic_page, site_root):
    label, items = crumbs_of(client, topic_page.url)
    assert label == "Breadcrumb"
    assert items == [
        (site_root.title, "/"),
        ("Discussion", "/discussion/"),
        (topic_page.title, None),
    ]


def test_the_french_topic_has_french_breadcrumbs(client, french_topic):
    french_topic.get_parent().specific.title = "Discussions"
    french_topic.get_parent().specific.save_revision().publish()
    label, items = crumbs_of(client, french_topic.url)
    assert label == "Fil d’Ariane"
    assert items[1] == ("Discussions", "/fr/discussion/")
    assert items[0][1] == "/fr/"


def test_the_application_page_sits_under_the_topic_it_was_reached_from(client, topic_page):
    from tests.helpers import open_round

    round = open_round()
    path = f"/iln/rounds/{round.pk}/apply/"
    _label, items = crumbs_of(client, path, page=topic_page.pk)
    assert items == [
        (topic_page.get_parent().get_parent().title, "/"),
        ("Discussion", "/discussion/"),
        (topic_page.title, topic_page.url),
        (f"Apply to {round.name}", None),
    ]
    # Reached from nowhere: under the home page.
    _label, items = crumbs_of(client, path)
    assert [url for _title, url in items] == ["/", None]


def test_my_data_sits_under_the_home_page_of_the_readers_language(client, french_topic):
    _label, items = crumbs_of(client, "/iln/my-data/")
    assert [url for _title, url in items] == ["/", None]
    assert items[-1][0] == "Your data"
    label, items = crumbs_of(client, "/fr/iln/my-data/")
    assert label == "Fil d’Ariane"
    assert items == [(french_topic.get_parent().get_parent().title, "/fr/"), ("Vos données", None)]
