"""Readers move from topic to topic and find topics by searching, in their own language."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Locale, Page

from tests.factories import DiscussionIndexPageFactory, DiscussionTopicPageFactory


def html_of(response):
    return BeautifulSoup(response.content, "html.parser")


def published(parent, title, days_ago, intro="Getting to know you.", live=True):
    topic = DiscussionTopicPageFactory(parent=parent, title=title, intro=intro, live=live)
    if live:
        topic.save_revision().publish()
    Page.objects.filter(pk=topic.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return Page.objects.get(pk=topic.pk).specific


@pytest.fixture
def topics(index_page):
    """Four topics, oldest first; the third is a draft."""
    return [
        published(index_page, "Where we work", 40, intro="Our libraries and their readers."),
        published(index_page, "Reading clubs", 28, intro="How teenagers choose what to read."),
        published(index_page, "Draft topic", 20, live=False),
        published(index_page, "Favourite feature", 14, intro="The best corner of the library."),
    ]


def test_a_topic_links_to_the_one_before_and_after_it_skipping_drafts(client, topics):
    first, second, _draft, last = topics
    html = html_of(client.get(second.url))
    assert html.select_one("a[data-iln-previous-topic]")["href"] == first.url
    assert html.select_one("a[data-iln-next-topic]")["href"] == last.url
    assert html.select_one("a[data-iln-next-topic][rel=next]")
    oldest = html_of(client.get(first.url))
    assert oldest.select_one("a[data-iln-previous-topic]") is None
    assert oldest.select_one("a[data-iln-next-topic]")["href"] == second.url
    assert html_of(client.get(last.url)).select_one("a[data-iln-next-topic]") is None


def test_a_topic_published_later_shows_as_the_next_one_of_a_page_already_read(
    client, topics, index_page
):
    last = topics[-1]
    assert html_of(client.get(last.url)).select_one("a[data-iln-next-topic]") is None
    newest = DiscussionTopicPageFactory(parent=index_page, title="Your partnership", live=False)
    newest.save_revision().publish()
    html = html_of(client.get(last.url))
    assert html.select_one("a[data-iln-next-topic]")["href"] == newest.url


def test_the_pager_and_the_sharing_card_come_from_the_fragment_cache(client, topics, caplog):
    with caplog.at_level("WARNING", logger="wagtail_iln.fragments"):
        for _ in range(2):
            assert client.get(topics[1].url).status_code == 200
    assert "fragment cache failed" not in caplog.text


def test_topics_of_another_index_are_not_neighbours(client, topics, site_root):
    other = DiscussionIndexPageFactory(parent=site_root, title="Other", slug="other")
    published(other, "Elsewhere", 21)
    html = html_of(client.get(topics[1].url))
    assert html.select_one("a[data-iln-next-topic]")["href"] == topics[3].url


def test_search_finds_live_topics_by_their_words(client, topics):
    html = html_of(client.get("/iln/search/", {"q": "teenagers"}))
    titles = [a.get_text(strip=True) for a in html.select("[data-iln-search-results] h2 a")]
    assert titles == ["Reading clubs"]
    assert html.select_one("label[for=iln-search-page-q]")
    assert html.select_one("input[name=q]")["value"] == "teenagers"
    nothing = html_of(client.get("/iln/search/", {"q": "Draft"}))
    assert nothing.select("[data-iln-search-results] h2") == []
    assert "0 topics found." in nothing.select_one("[data-iln-search-count]").get_text()


def test_search_answers_in_the_readers_language_with_its_topics(
    client, topics, index_page, site_root
):
    french = Locale.objects.create(language_code="fr")
    for page in (site_root, index_page):
        page.copy_for_translation(french).save_revision().publish()
    club = topics[1].copy_for_translation(french)
    club.title = "Clubs de lecture"
    club.intro = "Comment les adolescents choisissent leurs lectures."
    club.save_revision().publish()
    html = html_of(client.get("/fr/iln/search/", {"q": "adolescents"}))
    assert html.html["lang"] == "fr"
    titles = [a.get_text(strip=True) for a in html.select("[data-iln-search-results] h2 a")]
    assert titles == ["Clubs de lecture"]
    # The English topic with the same words is not among the French results.
    english = html_of(client.get("/fr/iln/search/", {"q": "teenagers"}))
    assert english.select("[data-iln-search-results] h2") == []


def test_search_without_words_shows_only_the_form(client, db):
    html = html_of(client.get("/iln/search/"))
    assert html.select_one("form[role=search] input[name=q]")
    assert html.select_one("[data-iln-search-results]") is None


def test_punctuation_in_a_search_is_read_as_words(client, topics):
    html = html_of(client.get("/iln/search/", {"q": '"teenagers*" (\'>'}))
    titles = [a.get_text(strip=True) for a in html.select("[data-iln-search-results] h2 a")]
    assert titles == ["Reading clubs"]
    assert "<script>" not in client.get("/iln/search/", {"q": "<script>"}).content.decode()


def test_search_results_come_a_page_at_a_time_with_translated_links(
    client, index_page, site_root, settings
):
    settings.WAGTAIL_ILN = {"SEARCH_PAGE_SIZE": 2}
    french = Locale.objects.create(language_code="fr")
    for page in (site_root, index_page):
        page.copy_for_translation(french).save_revision().publish()
    french_index = index_page.get_translation(french)
    for number in range(5):
        published(french_index, f"Bibliothèque {number}", 10 + number, intro="Nos lecteurs.")

    first = html_of(client.get("/fr/iln/search/", {"q": "lecteurs"}))
    assert "5 sujets trouvés." in first.select_one("[data-iln-search-count]").get_text()
    assert len(first.select("[data-iln-search-results] h2 a")) == 2
    pages = first.select_one("nav[data-iln-search-pages]")
    assert pages["aria-label"] == "Pages de résultats"
    assert pages.select_one("a[rel=prev]") is None
    assert pages.select_one("a[rel=next]").get_text(strip=True) == "Page suivante"
    numbers = [a.get_text(" ", strip=True) for a in pages.select("li a")]
    assert numbers == ["Page 1", "Page 2", "Page 3"]
    assert pages.select_one("a[aria-current=page]").get_text(" ", strip=True) == "Page 1"

    # The links keep the words searched for.
    last = html_of(client.get("/fr/iln/search/" + pages.select("li a")[-1]["href"]))
    assert len(last.select("[data-iln-search-results] h2 a")) == 1
    pages = last.select_one("nav[data-iln-search-pages]")
    assert pages.select_one("a[rel=next]") is None
    assert pages.select_one("a[rel=prev]").get_text(strip=True) == "Page précédente"
    assert pages.select_one("a[aria-current=page]").get_text(" ", strip=True) == "Page 3"
    seen = {
        a.get_text(strip=True)
        for response in (first, last, html_of(client.get("/fr/iln/search/?q=lecteurs&page=2")))
        for a in response.select("[data-iln-search-results] h2 a")
    }
    assert seen == {f"Bibliothèque {number}" for number in range(5)}

    # A page past the end, or not a number, shows the nearest page.
    beyond = html_of(client.get("/fr/iln/search/", {"q": "lecteurs", "page": "99"}))
    assert beyond.select_one("a[aria-current=page]").get_text(" ", strip=True) == "Page 3"
    nonsense = html_of(client.get("/fr/iln/search/", {"q": "lecteurs", "page": "x"}))
    assert nonsense.select_one("a[aria-current=page]").get_text(" ", strip=True) == "Page 1"


def test_one_page_of_results_has_no_page_links(client, topics):
    html = html_of(client.get("/iln/search/", {"q": "teenagers"}))
    assert html.select_one("[data-iln-search-pages]") is None
