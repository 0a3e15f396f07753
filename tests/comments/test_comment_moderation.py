"""Moderators approve, reject and mark comments as spam in the admin; nobody else sees them."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.users.models import UserProfile

from tests.factories import DiscussionTopicPageFactory, PhotoCampaignFactory, PhotoSubmissionFactory
from wagtail_iln.comments.models import Comment, email_hash

Status = Comment.Status


def url(name, *args):
    return reverse(f"wagtail_iln_comments:{name}", args=args)


def bulk_url(action, comments, **params):
    query = "&".join(f"id={c.pk}" for c in comments)
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    path = reverse("wagtail_bulk_action", args=["wagtail_iln", "comment", action])
    return f"{path}?{query}{extra}"


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def listed(response):
    """The excerpts in the queue, in order."""
    titles = soup_of(response).select("tbody td.title .title-wrapper a")
    return [title.get_text(" ", strip=True) for title in titles]


def make_user(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailadmin", "wagtail_iln"],
        codename__in=["access_admin", *codenames],
    )
    user.user_permissions.set(perms)
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator_client(django_user_model):
    return logged_in(make_user(django_user_model, "mo", "moderate_comment"))


@pytest.fixture
def editor_client(django_user_model):
    """An admin user with every comment permission but moderation, and photo moderation."""
    return logged_in(
        make_user(
            django_user_model,
            "ed",
            "add_comment",
            "change_comment",
            "delete_comment",
            "view_comment",
            "moderate_photosubmission",
        )
    )


@pytest.fixture
def topic(index_page):
    return DiscussionTopicPageFactory(parent=index_page, title="Your workplace", slug="workplace")


def make_comment(page, **fields):
    values = {
        "thread_key": page.translation_key,
        "page": page,
        "language": page.locale.language_code,
        "name": "Mia",
        "email": "mia@example.org",
        "email_hash": email_hash("mia@example.org"),
        "body": "Hello from Oslo!",
        "held_reason": Comment.HeldReason.FIRST_TIME,
    }
    values.update(fields)
    return Comment.objects.create(**values)


@pytest.fixture
def comment(topic):
    return make_comment(topic)


def shown_on(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    return [body.get_text() for body in soup.select(".iln-comment__body")]


# The queue


def test_the_queue_lists_pending_comments_with_page_author_and_excerpt(moderator_client, topic):
    long_body = "Our reading room has a window onto the harbour. " * 5
    pending = make_comment(topic, name="Ana Souza", body=long_body, language="en")
    make_comment(topic, name="Old Approved", body="Already shown.", status=Status.APPROVED)

    response = moderator_client.get(url("index"))

    assert response.status_code == 200
    soup = soup_of(response)
    (row,) = soup.select("tbody tr")
    headings = [th.get_text(strip=True) for th in soup.select("thead th")]
    cells = dict(zip(headings, row.find_all("td"), strict=True))
    excerpt = cells["Comment"].select_one(".title-wrapper").get_text(" ", strip=True)
    assert excerpt.startswith("Our reading room has a window onto the harbour.")
    assert excerpt.endswith("…")
    assert len(excerpt) <= 80
    assert cells["Comment"].select_one(f'a[href="{url("inspect", pending.pk)}"]')
    assert cells["Name"].get_text(strip=True) == "Ana Souza"
    page_link = cells["Page"].find("a")
    assert page_link.get_text() == "Your workplace"
    assert page_link["href"] == topic.url
    assert cells["Language"].get_text(strip=True) == "English"
    assert cells["Why it was held"].get_text(strip=True) == (
        "new commenter, or address not confirmed in this browser"
    )
    assert cells["Status"].get_text(strip=True) == "pending"
    assert cells["Written at"].get_text(strip=True)
    assert "Old Approved" not in response.content.decode()
    assert "data-bulk-action-footer" in response.content.decode()
    assert soup.select_one(f'input[data-bulk-action-checkbox][data-object-id="{pending.pk}"]')


def test_the_queue_is_newest_first(moderator_client, topic):
    older = make_comment(topic, body="Older comment")
    newer = make_comment(topic, body="Newer comment")
    Comment.objects.filter(pk=older.pk).update(created_at="2026-01-01T10:00:00Z")
    Comment.objects.filter(pk=newer.pk).update(created_at="2026-02-01T10:00:00Z")

    assert listed(moderator_client.get(url("index"))) == ["Newer comment", "Older comment"]


def test_the_queue_filters_by_status_held_reason_and_language_and_searches(moderator_client, topic):
    make_comment(topic, name="Ana", body="First time here", language="en")
    make_comment(
        topic,
        name="Wanjiru Kamau",
        body="Lots of links www.a.example",
        language="fr",
        held_reason=Comment.HeldReason.LINKS,
    )
    make_comment(topic, name="Bot", body="Cheap pills", status=Status.SPAM)
    make_comment(topic, name="Lea", body="Shown already", status=Status.APPROVED, held_reason="")

    def get(**params):
        return listed(moderator_client.get(url("index"), params))

    assert sorted(get()) == ["First time here", "Lots of links www.a.example"]
    assert get(status="spam") == ["Cheap pills"]
    assert get(status="approved") == ["Shown already"]
    assert len(get(status="all")) == 4
    assert get(held_reason="links") == ["Lots of links www.a.example"]
    assert get(language="en") == ["First time here"]
    assert get(language="fr") == ["Lots of links www.a.example"]
    assert get(q="wanjiru") == ["Lots of links www.a.example"]
    assert get(q="first TIME") == ["First time here"]
    assert get(q="pills") == []
    assert get(q="pills", status="all") == ["Cheap pills"]

    results = moderator_client.get(url("index_results"), {"q": "links"})
    assert results.status_code == 200
    assert "Lots of links" in results.content.decode()

    languages = soup_of(moderator_client.get(url("index"))).select("select[name=language] option")
    assert {o.get_text() for o in languages} >= {"English", "French"}


def test_the_queue_names_languages_in_the_moderators_language(moderator_client, topic):
    make_comment(topic, name="Ana", body="First time here", language="en")
    user = get_user_model().objects.get(pk=moderator_client.session["_auth_user_id"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()

    page = soup_of(moderator_client.get(url("index")))
    languages = {o.get_text() for o in page.select("select[name=language] option")}
    assert "Anglais" in languages and "English" not in languages
    assert "Anglais" in page.select_one("table").get_text()


def test_html_in_a_comment_is_shown_escaped(moderator_client, topic):
    evil = make_comment(topic, name="<b>Eve</b>", body="<script>alert(1)</script>\n<img src=x>")

    for response in [
        moderator_client.get(url("index")),
        moderator_client.get(url("inspect", evil.pk)),
        moderator_client.get(bulk_url("approve", [evil])),
    ]:
        html = response.content.decode()
        soup = soup_of(response)
        assert "<script>alert(1)</script>" not in html
        assert not soup.select("main script, main img[src=x], main b")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;Eve&lt;/b&gt;" in html


# One comment


def test_the_inspect_view_shows_the_whole_comment_the_page_and_the_actions(moderator_client, topic):
    first = make_comment(topic, name="Ana", body="What do you love about your library?")
    reply = make_comment(
        topic, name="Mia", body="The garden.\nAnd the cat.\n\nAlso the coffee.", parent=first
    )

    response = moderator_client.get(url("inspect", reply.pk))

    assert response.status_code == 200
    soup = soup_of(response)
    text = soup.get_text()
    (body,) = [p for p in soup.select("dd p") if p.get_text().startswith("The garden")]
    assert [str(child) for child in body.children] == ["The garden.", "<br/>", "And the cat."]
    assert soup.find("p", string="Also the coffee.")
    assert soup.select_one(f'a[href="{topic.url}"]').get_text() == "Your workplace"
    assert soup.select_one(f'a[href="{url("inspect", first.pk)}"]').get_text() == "Ana"
    assert "What do you love about your library?" in text
    assert "new commenter, or address not confirmed in this browser" in text
    assert "mia@example.org" not in text
    for action in ["approve", "reject", "spam"]:
        form = soup.select_one(f"form[data-iln-{action}-form]")
        assert form["action"] == url(action, reply.pk)
        assert form["method"] == "post"
        assert form.select_one("input[name=csrfmiddlewaretoken]")


def test_an_approved_comment_offers_to_take_it_down_and_links_to_it(moderator_client, topic):
    shown = make_comment(topic, status=Status.APPROVED)

    soup = soup_of(moderator_client.get(url("inspect", shown.pk)))

    assert not soup.select("form[data-iln-approve-form]")
    assert soup.select("form[data-iln-reject-form]")
    assert soup.select("form[data-iln-spam-form]")
    assert soup.select_one(f'a[href="{topic.url}#comment-{shown.pk}"]')


def test_there_is_no_add_edit_or_delete_view():
    for name in ["add", "edit", "delete", "copy", "history"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"wagtail_iln_comments:{name}", args=[1] if name != "add" else [])
    assert url("inspect", 7) == "/admin/iln/moderation/comments/inspect/7/"


# Approving, rejecting, spam


def test_approving_shows_the_comment_and_tells_the_author_once(
    moderator_client, client, topic, comment, django_capture_on_commit_callbacks
):
    assert "Hello from Oslo!" not in shown_on(client, topic)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url("approve", comment.pk), follow=True)

    assert response.redirect_chain[0][0] == url("index")
    assert any("approved" in message for message in messages_of(response))
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.moderated_by.username == "mo"
    assert comment.email == ""
    assert shown_on(client, topic) == ["Hello from Oslo!"]
    assert [m.to for m in mail.outbox] == [["mia@example.org"]]
    assert f"#comment-{comment.pk}" in mail.outbox[0].body

    moderated_at = comment.moderated_at
    with django_capture_on_commit_callbacks(execute=True):
        again = moderator_client.post(url("approve", comment.pk), follow=True)

    assert any("already approved" in message for message in messages_of(again))
    comment.refresh_from_db()
    assert comment.moderated_at == moderated_at
    assert len(mail.outbox) == 1
    assert shown_on(client, topic) == ["Hello from Oslo!"]


def test_rejecting_keeps_the_comment_hidden_and_tells_nobody(
    moderator_client, client, topic, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url("reject", comment.pk), follow=True)

    assert any("rejected" in message for message in messages_of(response))
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED
    assert comment.email == ""
    assert shown_on(client, topic) == []
    assert mail.outbox == []


def test_marking_as_spam(moderator_client, client, topic, comment):
    response = moderator_client.post(url("spam", comment.pk), follow=True)

    assert any("spam" in message for message in messages_of(response))
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert shown_on(client, topic) == []


def test_an_approved_comment_can_be_taken_down(moderator_client, client, topic):
    shown = make_comment(topic, status=Status.APPROVED)

    moderator_client.post(url("reject", shown.pk))

    assert shown_on(client, topic) == []


def test_actions_return_to_the_page_asked_for(moderator_client, comment):
    back = f"{url('index')}?status=all"

    response = moderator_client.post(f"{url('spam', comment.pk)}?next={back}")

    assert response["Location"] == back


# In bulk


def test_bulk_approve_from_the_queue(
    moderator_client, client, topic, django_capture_on_commit_callbacks
):
    chosen = [make_comment(topic, body=f"Comment {n}", email=f"p{n}@example.org") for n in range(3)]
    already = make_comment(topic, body="Shown already", status=Status.APPROVED)
    left_alone = make_comment(topic, body="Not chosen")

    confirm = moderator_client.get(bulk_url("approve", [*chosen, already]))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    for comment in chosen:
        assert comment.body in html
        assert url("inspect", comment.pk) in html
    assert "already has the status" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            bulk_url("approve", [*chosen, already], next=url("index")), follow=True
        )

    assert response.redirect_chain[-1][0] == url("index")
    assert "3 comments approved." in messages_of(response)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert {statuses[c.pk] for c in chosen} == {Status.APPROVED}
    assert statuses[left_alone.pk] == Status.PENDING
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(3)]
    assert sorted(shown_on(client, topic)) == [
        "Comment 0",
        "Comment 1",
        "Comment 2",
        "Shown already",
    ]


def test_bulk_reject_and_spam(moderator_client, topic, django_capture_on_commit_callbacks):
    to_reject = [make_comment(topic, body=f"Off topic {n}") for n in range(2)]
    to_spam = [make_comment(topic, body=f"Buy now {n}") for n in range(2)]

    confirm = soup_of(moderator_client.get(bulk_url("spam", to_spam)))
    assert "Mark comments as spam" in confirm.get_text()

    with django_capture_on_commit_callbacks(execute=True):
        rejected = moderator_client.post(bulk_url("reject", to_reject), follow=True)
        spammed = moderator_client.post(bulk_url("spam", to_spam), follow=True)

    assert "2 comments rejected." in messages_of(rejected)
    assert "2 comments marked as spam." in messages_of(spammed)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert {statuses[c.pk] for c in to_reject} == {Status.REJECTED}
    assert {statuses[c.pk] for c in to_spam} == {Status.SPAM}
    assert mail.outbox == []


def test_spam_caught_by_mistake_is_approved_in_bulk(moderator_client, topic):
    caught = make_comment(topic, status=Status.SPAM)

    response = moderator_client.post(bulk_url("approve", [caught]), follow=True)

    assert "1 comment approved." in messages_of(response)
    caught.refresh_from_db()
    assert caught.status == Status.APPROVED


def test_select_all_acts_on_the_filtered_listing(moderator_client, topic):
    make_comment(topic, body="English one", language="en")
    make_comment(topic, body="English two", language="en")
    french = make_comment(topic, body="En français", language="fr")
    old_spam = make_comment(topic, body="Old spam", language="en", status=Status.SPAM)

    moderator_client.post(
        reverse("wagtail_bulk_action", args=["wagtail_iln", "comment", "approve"])
        + "?id=all&language=en"
    )

    assert Comment.objects.filter(status=Status.APPROVED).count() == 2
    french.refresh_from_db()
    old_spam.refresh_from_db()
    assert (french.status, old_spam.status) == (Status.PENDING, Status.SPAM)


# The menu


def sidebar_labels(response):
    props = BeautifulSoup(response.content, "html.parser").select_one("#wagtail-sidebar-props")
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props.string)))


def test_the_menu_counts_pending_comments_and_photos(admin_client, topic):
    for _ in range(3):
        make_comment(topic)
    make_comment(topic, status=Status.SPAM)
    campaign = PhotoCampaignFactory()
    PhotoSubmissionFactory.create_batch(2, campaign=campaign)

    labels = sidebar_labels(admin_client.get(reverse("wagtailadmin_home")))

    assert "Comments (3)" in labels
    assert "Photos (2)" in labels
    assert "Moderation (5)" in labels


def test_a_comment_moderator_sees_comments_and_not_photos(moderator_client, topic):
    make_comment(topic)
    PhotoSubmissionFactory.create_batch(2, campaign=PhotoCampaignFactory())

    labels = sidebar_labels(moderator_client.get(reverse("wagtailadmin_home")))

    assert "Comments (1)" in labels
    assert "Moderation (1)" in labels
    assert not any(label.startswith("Photos") for label in labels)


def test_the_menu_has_no_count_when_nothing_waits(admin_client, db):
    labels = sidebar_labels(admin_client.get(reverse("wagtailadmin_home")))

    assert "Comments" in labels
    assert "Moderation" in labels


# Who may moderate


def attempts(comment):
    return [
        ("get", url("index"), {}),
        ("get", url("index_results"), {}),
        ("get", url("inspect", comment.pk), {}),
        ("post", url("approve", comment.pk), {}),
        ("post", url("reject", comment.pk), {}),
        ("post", url("spam", comment.pk), {}),
        ("get", bulk_url("approve", [comment]), {}),
        ("post", bulk_url("approve", [comment]), {}),
        ("post", bulk_url("reject", [comment]), {}),
        ("post", bulk_url("spam", [comment]), {}),
    ]


XHR = {"x-requested-with": "XMLHttpRequest"}


def test_an_editor_without_the_permission_is_turned_away(editor_client, comment):
    labels = sidebar_labels(editor_client.get(reverse("wagtailadmin_home")))
    assert not any(label.startswith("Comments") for label in labels)
    assert "Photos" in labels

    for method, path, data in attempts(comment):
        response = getattr(editor_client, method)(path, data, follow=True)
        assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302), path
        assert "Sorry, you do not have permission to access this area." in messages_of(response)
        response = getattr(editor_client, method)(path, data, headers=XHR)
        assert response.status_code == 403, path

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.moderated_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, comment):
    for method, path, data in attempts(comment):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("wagtailadmin_login")), path

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_superusers_may_moderate(admin_client, comment):
    assert admin_client.get(url("index")).status_code == 200
    admin_client.post(url("spam", comment.pk))
    comment.refresh_from_db()
    assert comment.status == Status.SPAM


def test_only_the_moderate_permission_is_offered_to_groups(admin_client, db):
    html = admin_client.get(reverse("wagtailusers_groups:add")).content.decode()

    assert "Can moderate comments" in html
    ours = Permission.objects.filter(content_type__app_label="wagtail_iln")
    moderate = ours.get(codename="moderate_comment")
    add = ours.get(codename="add_comment")
    assert f'value="{moderate.pk}"' in html
    assert f'value="{add.pk}"' not in html
