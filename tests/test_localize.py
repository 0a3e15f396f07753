"""Topics translate with wagtail-localize and render with the reader's interface language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from wagtail.models import Locale

from tests.helpers import translate

FRENCH = {
    "Getting to know you and your #favouritefeature": (
        "Faire connaissance et votre #favouritefeature"
    ),
    "Getting to know you and your workplace.": (
        "Faire connaissance avec vous et votre lieu de travail."
    ),
    "Your workplace": "Votre lieu de travail",
    "What does your library look like?": "À quoi ressemble votre bibliothèque ?",
}


@pytest.fixture
def french_topic(topic_page, index_page, site_root, django_capture_on_commit_callbacks):
    french = Locale.objects.create(language_code="fr")
    # wagtail-localize publishes a translation once its transaction commits;
    # each page is translated in a transaction of its own, as in the admin.
    for page, strings in [(site_root, {}), (index_page, {}), (topic_page, FRENCH)]:
        with django_capture_on_commit_callbacks(execute=True):
            translate(page, french, strings)
    return topic_page.get_translation(french)


def test_a_translated_topic_renders_in_french(client, french_topic, topic_page):
    assert french_topic.url == "/fr/discussion/getting-to-know-you/"
    response = client.get(french_topic.url)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == "Faire connaissance et votre #favouritefeature"
    assert page.select_one(".iln-prompt h2").get_text() == "Votre lieu de travail"
    assert page.select_one(".iln-prompt li").get_text() == "À quoi ressemble votre bibliothèque ?"

    # Interface strings come from the app's French catalog.
    with translation.override("fr"):
        hashtags = translation.gettext("Hashtags")
        share = translation.gettext("Share this topic:")
        credit = translation.gettext("Photo: '%(title)s' by %(creator)s, %(licence)s")
    assert share != "Share this topic:"
    assert page.select_one(".iln-hashtags")["aria-label"] == hashtags
    assert page.select_one(".iln-share__label").get_text() == share
    assert page.select_one(".iln-credit").get_text() == credit % {
        "title": "Start",
        "creator": "eko",
        "licence": "CC BY-NC-SA 2.0",
    }
    with translation.override("fr"):
        until = translation.gettext('Discuss until <time datetime="%(iso)s">%(date)s</time>')
    window = page.select_one(".iln-window")
    # The date is written the French way: "13 décembre 2026".
    with translation.override("fr"):
        assert window.time.get_text() == date_format(french_topic.discussion_closes)
    with translation.override("en"):
        assert window.time.get_text() != date_format(french_topic.discussion_closes)
    assert (
        window.get_text().strip()
        == BeautifulSoup(
            until % {"iso": "", "date": window.time.get_text()}, "html.parser"
        ).get_text()
    )

    # Hashtag links lead to the French index; the English page is untouched.
    assert page.select_one(".iln-hashtags a")["href"].startswith("/fr/discussion/?tag=")
    english = BeautifulSoup(client.get(topic_page.url).content, "html.parser")
    assert english.h1.get_text() == topic_page.title
    assert english.html["lang"] == "en"


def test_the_french_index_lists_french_topics_and_its_feed_is_french(client, french_topic):
    index = french_topic.get_parent().specific
    page = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert [a.get_text() for a in page.select(".iln-card__title a")] == [french_topic.title]
    feed = client.get(reverse("wagtail_iln:topics_rss", args=[index.pk])).content.decode()
    assert "<language>fr</language>" in feed
    assert french_topic.title in feed
