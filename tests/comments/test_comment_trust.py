"""Nobody speaks as someone else in the discussion, and what is linked is what is counted."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.test import Client

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import approved_comment
from tests.helpers import post_comment as post
from wagtail_iln.comments.commenters import COMMENTER_SALT, COOKIE_NAME, commenter_token
from wagtail_iln.comments.models import Comment, email_hash
from wagtail_iln.comments.rendering import count_links, render_comment


@pytest.fixture
def topic(index_page):
    return DiscussionTopicPageFactory(parent=index_page, title="Your workplace", slug="workplace")


@pytest.fixture
def known(topic):
    """Mia has had a comment approved: her address has a history."""
    return approved_comment(topic, name="Mia", email_hash=email_hash("mia@example.org"))


def confirm_in_browser(client, topic, capture):
    """Mia asks to hear of new comments, and follows the e-mailed link in this browser."""
    with capture(execute=True):
        post(client, topic, body="Tell me more.", notify="on")
    [message] = [m for m in mail.outbox if "confirm" in m.subject.lower()]
    assert message.to == ["mia@example.org"]
    url = re.search(r"http://[^/]+(/iln/comments/confirm/\S+/)", message.body).group(1)
    response = client.post(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("name", "address"),
    [("Mia", "mia@example.org"), ("Someone else", "MIA@Example.org "), ("mia", "mia@EXAMPLE.ORG")],
)
def test_a_known_address_typed_in_another_browser_is_held(client, topic, known, name, address):
    response = post(Client(), topic, name=name, email=address, body="It is me, honestly.")
    comment = Comment.objects.latest("pk")
    assert (comment.status, comment.held_reason) == ("pending", "first_time")
    assert response["Location"].endswith("?iln-comment=held#comments")
    assert "It is me, honestly." not in client.get(topic.url).content.decode()


def test_the_person_who_proved_the_address_in_this_browser_is_shown_at_once(
    client, topic, known, django_capture_on_commit_callbacks
):
    confirmed = confirm_in_browser(client, topic, django_capture_on_commit_callbacks)
    cookie = confirmed.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert "mia" not in cookie.value  # it names a hash, signed

    response = post(client, topic, body="Shown straight away.")
    comment = Comment.objects.latest("pk")
    assert comment.status == "approved"
    assert response["Location"].endswith(f"?iln-comment=shown#comment-{comment.pk}")
    # The same address from another browser is still held.
    post(Client(), topic, body="From elsewhere.")
    assert Comment.objects.latest("pk").status == "pending"


def test_a_proven_browser_speaks_for_its_own_address_only(client, topic, known):
    approved_comment(topic, name="Ana", email_hash=email_hash("ana@example.org"))
    client.cookies[COOKIE_NAME] = commenter_token("mia@example.org")
    post(client, topic, name="Ana", email="ana@example.org", body="Not Ana.")
    assert Comment.objects.latest("pk").status == "pending"


@pytest.mark.parametrize(
    "cookie",
    [
        signing.dumps(email_hash("mia@example.org"), salt="another.salt"),
        signing.dumps("mia@example.org", salt=COMMENTER_SALT),
        signing.dumps(["x"] * 3, salt=COMMENTER_SALT),
        "garbage",
    ],
    ids=["other-salt", "plain-address", "list", "garbage"],
)
def test_a_forged_cookie_proves_nothing(client, topic, known, cookie):
    client.cookies[COOKIE_NAME] = cookie
    post(client, topic, body="Forged.")
    assert Comment.objects.latest("pk").status == "pending"


def test_a_proven_address_without_an_approved_comment_is_still_held(client, topic):
    client.cookies[COOKIE_NAME] = commenter_token("mia@example.org")
    post(client, topic, body="My very first.")
    assert (Comment.objects.get().status, Comment.objects.get().held_reason) == (
        "pending",
        "first_time",
    )


def test_a_signed_in_user_is_shown_under_their_own_address_only(
    client, topic, known, django_user_model
):
    user = django_user_model.objects.create_user("mia", "Mia@example.org", "pw")
    client.force_login(user)
    post(client, topic, body="Signed in.")
    assert Comment.objects.latest("pk").status == "approved"
    approved_comment(topic, name="Ana", email_hash=email_hash("ana@example.org"))
    post(client, topic, name="Ana", email="ana@example.org", body="Not Ana either.")
    assert Comment.objects.latest("pk").status == "pending"


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
