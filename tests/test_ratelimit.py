"""Rate limits count a client as what it controls, and only the posts a form accepted."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import post_comment as post
from tests.mailings.test_following import follow
from wagtail_iln.comments.models import Comment
from wagtail_iln.models import Follower


@pytest.fixture
def topic(index_page):
    return DiscussionTopicPageFactory(parent=index_page, title="Your workplace", slug="workplace")


def comment_from(topic, address, n):
    client = Client(REMOTE_ADDR=address)
    return post(client, topic, body=f"Comment number {n}").status_code


@override_settings(WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600)})
def test_one_ipv6_network_is_one_client_whatever_address_of_it_posts(topic):
    statuses = [comment_from(topic, f"2001:db8:1:2::{n:x}", n) for n in range(1, 4)]
    assert statuses == [302, 302, 429]
    # Another /64 of the same provider is another subscriber.
    assert comment_from(topic, "2001:db8:1:3::1", 4) == 302


@override_settings(WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600)})
def test_ipv4_clients_are_counted_one_address_each_also_when_written_as_ipv6(topic):
    assert [comment_from(topic, f"203.0.113.{n}", n) for n in range(1, 4)] == [302] * 3
    statuses = [
        comment_from(topic, address, n)
        for n, address in enumerate(["198.51.100.7", "::ffff:198.51.100.7", "198.51.100.7"])
    ]
    assert statuses == [302, 302, 429]


@override_settings(WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600), "RATE_LIMIT_IPV6_PREFIX": 48})
def test_the_ipv6_network_size_is_a_setting(topic):
    statuses = [comment_from(topic, f"2001:db8:7:{n:x}::1", n) for n in range(1, 4)]
    assert statuses == [302, 302, 429]


# Only what a form accepts counts: a post handed back with mistakes is not held against anyone.


def notice(response):
    """The notice at the top of a form handed back: why it was refused."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(p.get_text(" ", strip=True) for p in soup.select(".iln-notice--error"))


def test_comments_with_mistakes_do_not_count_toward_the_limit(client, topic):
    statuses = [post(client, topic, email="not an address").status_code for _ in range(5)]
    assert statuses == [400] * 5
    assert post(client, topic, body="Now with my address").status_code == 302
    assert Comment.objects.count() == 1


@override_settings(WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600)})
def test_once_the_limit_of_sent_comments_is_reached_even_a_mistake_is_refused_unread(client, topic):
    assert [post(client, topic, body=f"Comment {n}").status_code for n in range(2)] == [302] * 2
    for fields in ({"body": "A third one"}, {"email": "not an address"}):
        response = post(client, topic, **fields)
        assert response.status_code == 429
        assert "You have posted many comments in a short time" in notice(response)
        # Unread: no error of the post is shown, what was typed is.
        assert "Enter an e-mail address such as" not in response.content.decode()
    assert Comment.objects.count() == 2


@override_settings(WAGTAIL_ILN={"FOLLOW_RATE_LIMIT": (1, 3600)})
def test_requests_to_follow_with_mistakes_do_not_count(client, index_page):
    assert [follow(client, index_page, "nope").status_code for _ in range(3)] == [400] * 3
    assert follow(client, index_page, "reader@example.org").status_code == 302
    assert follow(client, index_page, "other@example.org").status_code == 429
    assert Follower.objects.count() == 1


@override_settings(WAGTAIL_ILN={"DATA_REQUEST_RATE_LIMIT": (1, 3600)})
def test_requests_for_my_data_with_mistakes_do_not_count(client, db):
    statuses = [client.post("/iln/my-data/", {"email": "nope"}).status_code for _ in range(3)]
    assert statuses == [400] * 3
    assert client.post("/iln/my-data/", {"email": "ana@example.org"}).status_code == 200
    refused = client.post("/iln/my-data/", {"email": "ana@example.org"})
    assert refused.status_code == 429
    assert "Too many requests from your network" in notice(refused)


@override_settings(
    WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600), "INVALID_POST_RATE_LIMIT": (4, 600)}
)
def test_a_flood_of_posts_with_mistakes_stores_nothing_and_meets_its_own_ceiling(client, topic):
    statuses = [post(client, topic, email=f"junk {n}").status_code for n in range(6)]
    assert statuses == [400] * 4 + [429] * 2
    # Its ceiling refuses even a good post, and says why.
    response = post(client, topic, body="A real comment")
    assert response.status_code == 429
    assert "sent with mistakes many times from your network" in notice(response)
    assert "many comments" not in notice(response)
    assert Comment.objects.count() == 0
    # Counted for each form: the same client may still ask for its data.
    assert client.post("/iln/my-data/", {"email": "ana@example.org"}).status_code == 200


@override_settings(
    WAGTAIL_ILN={"DATA_REQUEST_RATE_LIMIT": (1, 3600), "INVALID_POST_RATE_LIMIT": (2, 600)}
)
def test_a_flood_of_bad_addresses_for_my_data_meets_the_ceiling(client, db):
    statuses = [client.post("/iln/my-data/", {"email": f"x{n}"}).status_code for n in range(4)]
    assert statuses == [400, 400, 429, 429]
    refused = client.post("/iln/my-data/", {"email": "ana@example.org"})
    assert "sent with mistakes many times" in notice(refused)


def test_the_default_ceiling_for_mistakes_is_far_above_the_limits(client, topic):
    assert [post(client, topic, email="junk").status_code for _ in range(30)] == [400] * 30
    assert post(client, topic).status_code == 302
