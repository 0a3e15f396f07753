import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DiscussionTopicPageFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(client, name, index, **params):
    response = client.get(reverse(f"wagtail_iln:{name}", args=[index.pk]), params)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def test_rss_feed_carries_title_link_date_summary_and_hero_image(client, topic_page, index_page):
    response, rss = fetch(client, "topics_rss", index_page)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = rss.find("channel")
    assert channel.findtext("title") == "Discussion"
    assert channel.findtext("link") == "http://localhost/discussion/"
    (item,) = channel.findall("item")
    assert item.findtext("title") == topic_page.title
    assert item.findtext("link") == "http://localhost/discussion/getting-to-know-you/"
    assert item.findtext("description") == topic_page.intro
    assert item.findtext("pubDate")
    assert {c.text for c in item.findall("category")} == {"favouritefeature", "ILNround"}
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith("http://testserver/media/images/")
    assert ".fill-640x360." in enclosure.get("url")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0


def test_atom_feed_carries_the_same(client, topic_page, index_page):
    response, atom = fetch(client, "topics_atom", index_page)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom.tag == f"{ATOM}feed"
    (entry,) = atom.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == topic_page.title
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == "http://localhost/discussion/getting-to-know-you/"
    assert links["enclosure"].get("type") == "image/jpeg"
    assert entry.findtext(f"{ATOM}summary") == topic_page.intro
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")


def test_feed_is_newest_first_and_filters_by_hashtag(client, index_page):
    now = timezone.now()
    for days, title, tag in [(14, "Older", "you"), (0, "Newer", "workplace")]:
        topic = DiscussionTopicPageFactory(parent=index_page, title=title)
        topic.tags.add(tag)
        topic.first_published_at = now - datetime.timedelta(days=days)
        topic.save_revision().publish()
    _, rss = fetch(client, "topics_rss", index_page)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Newer", "Older"]
    _, rss = fetch(client, "topics_rss", index_page, tag="you")
    assert [i.findtext("title") for i in rss.iter("item")] == ["Older"]
    assert rss.find("channel").findtext("title") == "Discussion #you"


def test_feed_escapes_markup_in_titles(client, index_page):
    DiscussionTopicPageFactory(parent=index_page, title="Books & <b>bytes</b>")
    response, rss = fetch(client, "topics_rss", index_page)
    assert b"<b>" not in response.content
    assert rss.find("channel/item").findtext("title") == "Books & <b>bytes</b>"


@pytest.mark.django_db
def test_feed_of_a_missing_or_unpublished_index_is_not_found(client, index_page):
    assert client.get(reverse("wagtail_iln:topics_rss", args=[999999])).status_code == 404
    index_page.unpublish()
    assert client.get(reverse("wagtail_iln:topics_rss", args=[index_page.pk])).status_code == 404


def test_index_page_advertises_its_feeds(client, index_page):
    html = client.get(index_page.url).content.decode()
    rss = reverse("wagtail_iln:topics_rss", args=[index_page.pk])
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Discussion (RSS)" href="{rss}">'
        in html
    )
