"""Rate limits count a client as what it controls: an IPv4 address, or an IPv6 network."""

import pytest
from django.test import Client, override_settings

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import post_comment as post


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
