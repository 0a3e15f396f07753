"""Nobody speaks as someone else in the discussion, and what is linked is what is counted."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import approved_comment
from tests.helpers import post_comment as post
from wagtail_iln.comments.models import Comment
from wagtail_iln.comments.rendering import count_links, render_comment


@pytest.fixture
def topic(index_page):
    return DiscussionTopicPageFactory(parent=index_page, title="Your workplace", slug="workplace")


def test_bare_domains_are_counted_as_the_links_they_are_shown_as(client, topic):
    post(client, topic, body="Visit evil.com spam.net cheap.org today")
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("pending", "links")


@pytest.mark.parametrize(
    "body",
    [
        "evil.com spam.net cheap.org",
        "See https://a.example/x and www.b.example, or write to ana@example.org",
        "Nothing to link here: foo.xyz and 3.5 and e.g. this",
        "<a href='http://x.example'>x</a> javascript:alert(1) http://example.org/\"onmouseover",
        "(https://example.org/a?b=1&c=2). example.net/path?q=1",
    ],
)
def test_the_link_hold_counts_exactly_the_links_a_reader_sees(client, topic, body):
    comment = approved_comment(topic, body=body)
    shown = BeautifulSoup(client.get(topic.url).content, "html.parser").select_one(
        f"#comment-{comment.pk} .iln-comment__body"
    )
    assert count_links(body) == len(shown.find_all("a"))
    assert count_links(body) == len(BeautifulSoup(render_comment(body), "html.parser")("a"))


RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_direction_controls_are_taken_out_of_names_and_bodies_are_isolated(client, topic):
    post(client, topic, name=f"Mia{RLO}gro.elpmaxe{PDF} {LRI}x{PDI}", body=f"Hi {RLO}there")
    comment = Comment.objects.get()
    assert comment.name == "Miagro.elpmaxe x"
    assert comment.body == f"Hi {RLO}there"  # kept, but shown isolated from the page around it
    comment.status = Comment.Status.APPROVED
    comment.save()
    shown = BeautifulSoup(client.get(topic.url).content, "html.parser").select_one(
        f"#comment-{comment.pk}"
    )
    assert shown.select_one("bdi.iln-comment__author").get_text() == "Miagro.elpmaxe x"
    assert shown.select_one(".iln-comment__body")["dir"] == "auto"
