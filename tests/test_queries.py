from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DiscussionTopicPageFactory, ImageCreditFactory


def add_topics(index, count):
    for _ in range(count):
        topic = DiscussionTopicPageFactory(parent=index, hero_image=ImageCreditFactory().image)
        topic.tags.add("favouritefeature", "you")
        topic.save_revision().publish()


def count_queries(client, url):
    client.get(url)  # the first visit makes the renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode().count('class="iln-card"')


@override_settings(WAGTAIL_ILN={"INDEX_PAGE_SIZE": 50})
def test_index_uses_the_same_queries_for_5_and_50_topics(client, index_page):
    add_topics(index_page, 5)
    five, cards = count_queries(client, index_page.url)
    assert cards == 5
    add_topics(index_page, 45)
    fifty, cards = count_queries(client, index_page.url)
    assert cards == 50
    assert fifty == five


def test_feeds_use_the_same_queries_for_5_and_20_topics(client, index_page):
    url = reverse("wagtail_iln:topics_rss", args=[index_page.pk])
    add_topics(index_page, 5)
    five, _ = count_queries(client, url)
    add_topics(index_page, 15)
    twenty, _ = count_queries(client, url)
    assert twenty == five
