"""Anyone joins the open discussion under a topic; moderators decide what is shown."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import approved_comment, page_soup
from tests.helpers import post_comment as post
from wagtail_iln.comments import moderation
from wagtail_iln.comments.commenters import COOKIE_NAME, commenter_token
from wagtail_iln.comments.models import Comment, CommentSubscription, email_hash


def spam_checker(comment, request):
    return "casino" in comment.body


@pytest.fixture
def topic(index_page):
    return DiscussionTopicPageFactory(parent=index_page, title="Your workplace", slug="workplace")


def test_a_first_time_comment_is_held_then_shown_once_approved(
    client, topic, admin_user, django_capture_on_commit_callbacks
):
    response = post(client, topic)
    assert response.status_code == 302
    assert response["Location"] == "/discussion/workplace/?iln-comment=held#comments"
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert comment.held_reason == "first_time"
    assert comment.email_hash == email_hash("MIA@example.org ")
    page = page_soup(client, topic, **{"iln-comment": "held"})
    assert "will appear once a moderator has approved it" in page.get_text()
    assert "Hello from Oslo!" not in page.get_text()

    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(comment, admin_user) is True
        assert moderation.approve(comment, admin_user) is False
    assert [m.to for m in mail.outbox] == [["mia@example.org"]]
    assert f"#comment-{comment.pk}" in mail.outbox[0].body
    comment.refresh_from_db()
    assert comment.email == ""  # the address is not kept once the author has been told
    page = page_soup(client, topic)
    assert page.select_one(f"#comment-{comment.pk} .iln-comment__body").get_text() == (
        "Hello from Oslo!"
    )
    assert page.select_one("#comments-heading").get_text() == "1 comment"


def test_a_trusted_commenter_is_shown_at_once(client, topic):
    approved_comment(topic, email_hash=email_hash("mia@example.org"))
    client.cookies[COOKIE_NAME] = commenter_token("mia@example.org")  # proved in this browser
    response = post(client, topic, body="Second thoughts.")
    comment = Comment.objects.latest("pk")
    assert comment.status == "approved"
    assert comment.email == ""
    assert response["Location"].endswith(f"?iln-comment=shown#comment-{comment.pk}")


@override_settings(WAGTAIL_ILN={"COMMENT_MAX_LINKS": 1})
def test_too_many_links_are_held_even_for_a_trusted_commenter(client, topic):
    approved_comment(topic, email_hash=email_hash("mia@example.org"))
    post(client, topic, body="See https://a.example and www.b.example")
    comment = Comment.objects.latest("pk")
    assert (comment.status, comment.held_reason) == ("pending", "links")


@override_settings(
    WAGTAIL_ILN={
        "COMMENT_BLOCKLIST": ["cheap pills", "spammer@example.net"],
        "COMMENT_SPAM_CHECKERS": ["tests.comments.test_comments.spam_checker"],
    }
)
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body": "Buy CHEAP pills now"}, "blocklist"),
        ({"email": "spammer@example.net"}, "blocklist"),
        ({"body": "Best casino in town"}, "spam_checker"),
    ],
)
def test_blocklist_and_spam_checkers_send_comments_to_spam(client, topic, fields, reason):
    post(client, topic, notify="on", **fields)
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("spam", reason)
    assert CommentSubscription.objects.count() == 0


def test_comments_render_escaped_with_safe_links_and_line_breaks(client, topic):
    approved_comment(
        topic,
        body=(
            "<script>alert(1)</script>\n"
            "See https://example.org/a?b=1&c=2\n"
            "<img src=x onerror=alert(2)>"
        ),
    )
    html = client.get(topic.url).content.decode()
    body = BeautifulSoup(html, "html.parser").select_one(".iln-comment__body")
    assert body.find("script") is None
    assert body.find("img") is None
    assert "<script>alert(1)</script>" in body.get_text()
    link = body.find("a")
    assert link["href"] == "https://example.org/a?b=1&c=2"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert len(body.find_all("br")) == 2


def test_replies_sit_under_their_comment_one_level_deep(client, topic):
    first = approved_comment(topic, body="First", name="Siosaia")
    approved_comment(topic, body="Second")
    # The reply link opens the form saying whom it answers, with a way back.
    link = page_soup(client, topic).select_one(f"#comment-{first.pk} .iln-comment__reply")
    form = BeautifulSoup(client.get(topic.url + link["href"]).content, "html.parser")
    assert form.select_one("#comment-form h3").get_text(" ", strip=True) == "Reply to Siosaia"
    assert form.select_one("#comment-form input[name=parent]")["value"] == str(first.pk)
    back = [a["href"] for a in form.select(".iln-comment-form__replying a")]
    assert back == [f"{topic.url}#comment-{first.pk}", f"{topic.url}#comment-form"]
    response = post(client, topic, body="A reply", parent=str(first.pk))
    assert response.status_code == 302
    reply = Comment.objects.get(body="A reply")
    assert reply.parent == first
    reply.status = "approved"
    reply.save()
    page = page_soup(client, topic)
    top = page.select(".iln-comments > .iln-comment-list > li")
    assert [li.select_one(".iln-comment__body").get_text() for li in top] == ["First", "Second"]
    assert top[0].select_one(".iln-comment-list--replies .iln-comment__body").get_text() == (
        "A reply"
    )
    # A reply to a reply, or to a comment of another thread, is refused.
    response = post(client, topic, body="Deeper", parent=str(reply.pk))
    assert response.status_code == 400
    assert "not in this discussion" in response.content.decode()
    assert not Comment.objects.filter(body="Deeper").exists()


def test_one_thread_is_shared_by_the_translations_of_a_topic(
    client, topic, site_root, django_capture_on_commit_callbacks
):
    from tests.helpers import translate

    french = Locale.objects.create(language_code="fr")
    # Translated with wagtail-localize, each page in a transaction of its own.
    for page, strings in [
        (site_root, {}),
        (topic.get_parent(), {}),
        (topic, {"Your workplace": "Votre lieu de travail"}),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            translate(page, french, strings)
    french_topic = topic.get_translation(french)
    assert french_topic.title == "Votre lieu de travail"
    french_comment = approved_comment(french_topic, name="Léa", body="Bonjour à tous")
    english = page_soup(client, topic)
    comment = english.select_one(f"#comment-{french_comment.pk}")
    assert comment.select_one(".iln-comment__body").get_text() == "Bonjour à tous"
    assert comment.select_one(".iln-comment__language").get_text() == "written in French"
    french_page = page_soup(client, french_topic)
    assert french_page.select_one(f"#comment-{french_comment.pk}")
    assert french_page.select_one(f"#comment-{french_comment.pk} .iln-comment__language") is None
    # In French, as in Spanish, a language's name is lower-case in the middle of a sentence.
    english_comment = approved_comment(topic, name="Sam", body="Hello all")
    french_page = page_soup(client, french_topic)
    note = french_page.select_one(f"#comment-{english_comment.pk} .iln-comment__language")
    assert note.get_text() == "écrit en anglais"
    assert not note.has_attr("lang")  # the note is in the page's language, not the comment's
    # A comment posted on the French page joins the same thread, in French.
    post(client, french_topic, body="Et moi aussi")
    assert Comment.objects.get(body="Et moi aussi").thread_key == topic.translation_key
    assert Comment.objects.get(body="Et moi aussi").language == "fr"


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"email": "not-an-address"},
        {"email": "a@example.org\nBcc: b@example.org"},
        {"body": ""},
        {"body": "x" * 3001},
        {"website": "http://spam.example"},
        {"parent": "999999"},
    ],
    ids=["no name", "bad e-mail", "header injection", "empty", "too long", "honeypot", "no parent"],
)
def test_bad_input_is_refused_with_a_clear_error_and_stores_nothing(client, topic, fields):
    response = post(client, topic, **fields)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    errors = page.select("#comment-form .iln-error-summary li, .iln-field__error")
    assert [e.get_text() for e in errors if e.get_text().strip()]
    assert Comment.objects.count() == 0


def test_a_replayed_post_makes_one_comment(client, topic):
    form = page_soup(client, topic).select_one("#comment-form")
    key = form.select_one("input[name=form_key]")["value"]
    for _ in range(2):
        assert post(client, topic, form_key=key).status_code == 302
    assert Comment.objects.count() == 1


def test_posts_need_csrf_and_a_get_goes_to_the_page(topic):
    strict = Client(enforce_csrf_checks=True)
    url = f"/iln/comments/{topic.pk}/post/"
    response = strict.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{topic.url}#comments"
    assert strict.post(url, {"name": "x", "email": "x@example.org", "body": "x"}).status_code == 403
    assert Comment.objects.count() == 0


@override_settings(WAGTAIL_ILN={"COMMENT_RATE_LIMIT": (2, 600)})
def test_the_rate_limit_answers_429(client, topic):
    statuses = [post(client, topic, body=f"Comment {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_comments_close_with_the_window_and_the_page_switch(client, topic):
    topic.discussion_opens = timezone.localdate() - datetime.timedelta(days=15)
    topic.discussion_closes = timezone.localdate() - datetime.timedelta(days=1)
    topic.save_revision().publish()
    page = page_soup(client, topic)
    assert page.select_one("#comment-form") is None
    assert "The discussion of this topic is closed." in page.get_text()
    response = client.post(f"/iln/comments/{topic.pk}/post/", {"body": "late"})
    assert response.status_code == 403
    topic.discussion_closes = None
    topic.comments_enabled = False
    topic.save_revision().publish()
    assert client.post(f"/iln/comments/{topic.pk}/post/", {"body": "x"}).status_code == 403
    assert Comment.objects.count() == 0


def test_notification_needs_confirmation_and_every_email_can_unsubscribe(
    client, topic, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, topic, notify="on")
    (confirm,) = mail.outbox
    confirm_path = re.search(r"http://localhost(/iln/comments/confirm/\S+/)", confirm.body)[1]
    subscription = CommentSubscription.objects.get()
    assert subscription.confirmed_at is None

    # Not yet confirmed: a new comment sends nothing to it.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(approved_comment(topic, status="pending", email=""), admin_user)
    assert mail.outbox == []

    assert "Do you want to be e-mailed" in client.get(confirm_path).content.decode()
    client.post(confirm_path)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        other = approved_comment(topic, status="pending", name="Ola", email="ola@example.org")
        moderation.approve(other, admin_user)
    notice = next(m for m in mail.outbox if m.to == ["mia@example.org"])
    assert "Ola has commented" in notice.body
    unsubscribe_url = notice.extra_headers["List-Unsubscribe"].strip("<>")
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in notice.body
    path = unsubscribe_url.removeprefix("http://localhost")
    # A link cut short or made up, by a mail client or anyone: not valid, and nothing stops.
    for broken in [path[:-6] + "/", "/iln/comments/unsubscribe/bogus/"]:
        for method in (client.get, client.post):
            response = method(broken)
            assert response.status_code == 404, broken
            assert "This link is not valid" in response.content.decode()
            assert "You will not receive" not in response.content.decode()
    assert CommentSubscription.objects.count() == 1
    # The mail client's one-click POST, without a CSRF token.
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    assert CommentSubscription.objects.count() == 0
    # The same link again: the e-mails have stopped, and it says so.
    again = client.get(path)
    assert again.status_code == 200
    assert "You will not receive any more e-mails" in again.content.decode()


def test_erasing_a_commenter_removes_or_anonymises_their_comments(topic):
    approved_comment(topic, email_hash=email_hash("ana@example.org"))
    approved_comment(topic, email_hash=email_hash("ana@example.org"), body="Again")
    approved_comment(topic, name="Ola", email_hash=email_hash("ola@example.org"))
    assert moderation.erase_commenter("Ana@Example.org", anonymise=True) == 2
    assert set(Comment.objects.values_list("name", flat=True)) == {"", "Ola"}
    assert not Comment.objects.filter(email_hash=email_hash("ana@example.org")).exists()
    assert moderation.erase_commenter("ola@example.org") == 1
    assert Comment.objects.count() == 2


def test_the_index_shows_comment_counts(client, index_page, topic):
    approved_comment(topic)
    approved_comment(topic, status="pending")
    card = page_soup(client, index_page).select_one(".iln-card__comments a")
    assert card.get_text() == "1 comment"
    assert card["href"] == "/discussion/workplace/#comments"


@override_settings(WAGTAIL_ILN={"FRAGMENT_CACHE_TIMEOUT": 0})  # the thread rendered each time
def test_a_topic_uses_the_same_queries_for_10_and_500_comments(client, topic):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(topic.url).status_code == 200
        return len(queries)

    Comment.objects.bulk_create(
        Comment(
            thread_key=topic.translation_key,
            page=topic,
            language="en",
            name=f"Reader {n}",
            email_hash=email_hash(f"r{n}@example.org"),
            body=f"Comment {n}",
            status="approved",
        )
        for n in range(10)
    )
    client.get(topic.url)
    ten = count()
    parents = list(Comment.objects.all())
    Comment.objects.bulk_create(
        Comment(
            thread_key=topic.translation_key,
            page=topic,
            language="en",
            parent=parents[n % 10],
            name=f"Replier {n}",
            email_hash=email_hash(f"p{n}@example.org"),
            body=f"Reply {n}",
            status="approved",
        )
        for n in range(490)
    )
    assert count() == ten
    assert "500 comments" in client.get(topic.url).content.decode()


def test_the_erase_command(topic):
    from io import StringIO

    from django.core.management import call_command

    approved_comment(topic, email_hash=email_hash("ana@example.org"))
    out = StringIO()
    call_command("iln_erase_commenter", "ana@example.org", stdout=out)
    assert "1 comment(s) removed" in out.getvalue()
    assert Comment.objects.count() == 0


def test_any_page_takes_comments_through_the_comment_thread_block(client, site_root):
    from tests.testapp.models import BlocksPage

    page = BlocksPage(title="About the programme", slug="about", body=[("comment_thread", None)])
    site_root.add_child(instance=page)
    page.save_revision().publish()
    assert page_soup(client, page).select_one("#comment-form")
    response = post(client, page, body="Where do I sign up?")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.thread_key == page.translation_key
    comment.status = "approved"
    comment.save()
    assert page_soup(client, page).select_one(".iln-comment__body").get_text() == (
        "Where do I sign up?"
    )


def test_a_checkboxs_label_reads_after_its_box_without_a_colon(client, topic):
    form = page_soup(client, topic).select_one("#comment-form")
    assert form.select_one(".iln-field--name label").get_text() == "Name:"
    notify = form.select_one(".iln-field--checkbox")
    assert notify.select_one("input[type=checkbox]")
    assert not notify.label.get_text().strip().endswith(":")
