"""The task worker renders a page after a write, so its next reader finds it in the cache."""

from datetime import datetime, time, timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from tests.factories import DiscussionTopicPageFactory, EnrolmentFactory
from tests.helpers import approved_photo, held_comment, make_user, open_round
from tests.test_fragments import view
from wagtail_iln.warming import warm_pages


@pytest.fixture
def round(db):
    round = open_round()
    EnrolmentFactory(round=round, status="accepted")
    return round


@pytest.fixture
def topic(index_page, round):
    return DiscussionTopicPageFactory(
        parent=index_page,
        slug="announcement",
        body=[("round_stats", {"round": round, "heading": "", "show_chart": True})],
    )


def test_an_approved_comment_is_in_the_cached_thread_before_its_next_reader(
    client, topic, django_user_model, django_capture_on_commit_callbacks
):
    comment = held_comment(topic, body="Our library lends telescopes.")
    html, _ = view(client, topic.url)
    assert "telescopes" not in html

    moderator = Client()
    moderator.force_login(make_user(django_user_model, "mo", "moderate_comment"))
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(reverse("wagtail_iln_comments:approve", args=[comment.pk]))
    html, sql = view(Client(), topic.url)

    assert "Our library lends telescopes." in html
    assert "wagtail_iln_comment" not in sql


def test_a_published_topic_is_rendered_before_its_first_reader(
    topic, django_capture_on_commit_callbacks
):
    topic.title = "Your workplace"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    html, sql = view(Client(), topic.url)

    assert "Your workplace" in html
    assert "wagtail_iln_enrolment" not in sql  # the round stats came from the cache


def first_reader_renders(topic):
    """Whether the page's round stats were rendered by this reader (not in the cache)."""
    return "wagtail_iln_enrolment" in view(Client(), topic.url)[1]


def test_a_page_that_is_not_live_is_not_rendered(topic):
    topic.unpublish()
    warm_pages.call([topic.pk])
    topic.save_revision().publish()

    assert first_reader_renders(topic)


def test_a_private_page_is_not_rendered(topic):
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    warm_pages.call([topic.pk])
    restriction.delete()

    assert first_reader_renders(topic)


def test_a_page_under_a_host_not_allowed_is_passed_over(topic, settings):
    site = Site.objects.get(is_default_site=True)
    site.hostname = "elsewhere.example"
    site.save()
    settings.ALLOWED_HOSTS = ["testserver"]
    warm_pages.call([topic.pk])  # no error: its next reader renders it

    assert first_reader_renders(topic)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # each approval commits
def test_approving_comments_in_bulk_renders_their_page_once_after_the_answer(
    topic, django_user_model
):
    from django_tasks.signals import task_enqueued

    comments = [held_comment(topic, body=f"Our library has {n} reading rooms.") for n in range(5)]
    view(Client(), topic.url)
    warmed = []

    def count(sender, task_result, **kwargs):
        if task_result.task.func is warm_pages.func:
            warmed.append(list(task_result.args))

    moderator = Client()
    moderator.force_login(make_user(django_user_model, "mo", "moderate_comment"))
    path = reverse("wagtail_bulk_action", args=["wagtail_iln", "comment", "approve"])
    query = "&".join(f"id={comment.pk}" for comment in comments)
    task_enqueued.connect(count)
    try:
        response = moderator.post(f"{path}?{query}", {})
    finally:
        task_enqueued.disconnect(count)

    assert response.status_code == 302
    assert warmed == [[[topic.pk]]]
    html, sql = view(Client(), topic.url)
    assert all(f"Our library has {n} reading rooms." in html for n in range(5))
    assert "wagtail_iln_comment" not in sql  # the thread came from the cache


def test_after_a_cache_flush_the_command_renders_the_topics_before_their_readers(
    topic, index_page, round
):
    from django.core.cache import caches
    from django.core.management import call_command

    older = DiscussionTopicPageFactory(
        parent=index_page,
        slug="older",
        body=[("round_stats", {"round": round, "heading": "", "show_chart": True})],
    )
    for page, days in [(topic, 2), (older, 40)]:
        first_published_at = timezone.now() - timedelta(days=days)
        Page.objects.filter(pk=page.pk).update(first_published_at=first_published_at)
    for cache in caches.all():
        cache.clear()
    out = StringIO()

    call_command("iln_warm_pages", "--days", "30", stdout=out)

    assert out.getvalue().strip() == "1 of 1 topic page(s) rendered for the cache."
    assert not first_reader_renders(topic)
    assert first_reader_renders(older)  # published before the --days
    call_command("iln_warm_pages", stdout=out)
    assert "2 of 2 topic page(s)" in out.getvalue()


def queued(bursts_only=True):
    """The renderings queued in the dummy backend: those for a burst of writes or readers."""
    from django_tasks import default_task_backend

    return [
        result
        for result in default_task_backend.results
        if result.task.func is warm_pages.func
        and (result.kwargs.get("queued_as") or not bursts_only)
    ]


def like(capture, kind, pk):
    with capture(execute=True):
        response = Client().post(reverse("wagtail_iln:like", args=[kind, pk]))
    assert response.status_code == 302


def test_a_liked_photo_is_counted_in_the_cached_gallery_before_its_next_reader(
    gallery_page, campaign, django_capture_on_commit_callbacks
):
    photo = approved_photo(campaign, title="Reading corner")
    view(Client(), gallery_page.url)

    like(django_capture_on_commit_callbacks, "photo", photo.pk)
    html, sql = view(Client(), gallery_page.url)

    assert "1 person likes this" in html
    assert "wagtail_iln_photosubmission" not in sql  # the gallery came from the cache


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_likes_in_a_burst_queue_one_rendering_until_it_starts(
    gallery_page, campaign, django_capture_on_commit_callbacks
):
    photos = [approved_photo(campaign, title=f"Reading corner {n}") for n in range(3)]

    like(django_capture_on_commit_callbacks, "photo", photos[0].pk)
    like(django_capture_on_commit_callbacks, "photo", photos[1].pk)
    like(django_capture_on_commit_callbacks, "topic", gallery_page.pk)  # no gallery counts it
    assert [result.args for result in queued()] == [[[gallery_page.pk]]]

    # The worker starts the rendering: it will count the likes so far; the next one queues again.
    warm_pages.call(*queued()[0].args, **queued()[0].kwargs)
    like(django_capture_on_commit_callbacks, "photo", photos[2].pk)
    assert len(queued()) == 2


def test_a_like_given_again_renews_no_gallery(
    gallery_page, campaign, django_capture_on_commit_callbacks
):
    photo = approved_photo(campaign, title="Reading corner")
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("wagtail_iln:like", args=["photo", photo.pk]))
    view(Client(), gallery_page.url)  # rendered with the like, and kept

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = browser.post(reverse("wagtail_iln:like", args=["photo", photo.pk]))
    html, sql = view(Client(), gallery_page.url)

    assert response.status_code == 302
    assert callbacks == []  # nothing written, nothing queued
    assert "1 person likes this" in html
    assert "wagtail_iln_photosubmission" not in sql  # the gallery came from the cache


# Noon today: the readers below stay within the day (the parts' keys name the day).
NOON = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))


def read(topic, capture, host=None, **params):
    """A reader's view of ``topic``: its HTML, and whether it rendered the round stats.

    Under the site's host name, as the worker asks, unless ``host`` says otherwise.
    """
    host = host or urlsplit(Site.objects.get(is_default_site=True).root_url).netloc
    with capture(execute=True):
        html, sql = view(Client(HTTP_HOST=host), topic.url, **params)
    return html, "wagtail_iln_enrolment" in sql


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_part_kept_past_its_timeout_is_served_while_the_worker_renders_it_again(
    topic, django_capture_on_commit_callbacks
):
    import time_machine

    timeout, grace = 600, 3600
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(NOON, tick=False):
        assert read(topic, capture)[1]  # rendered and kept

    old = NOON + timedelta(seconds=timeout + 1)
    with time_machine.travel(old, tick=False):
        # Old: its readers get it at once, and the worker is asked once to render it again.
        html, rendered = read(topic, capture)
        assert not rendered and "1 participant" in html
        assert not read(topic, capture)[1]
        assert [(r.args, r.kwargs["queued_as"] != "") for r in queued()] == [([[topic.pk]], True)]
        warm_pages.call(*queued()[0].args, **queued()[0].kwargs)
        assert not read(topic, capture)[1]
        assert len(queued()) == 1  # renewed: nothing more to ask

    # A reader under another host name of the page's site is served them too.
    later = old + timedelta(seconds=timeout + 1)
    with time_machine.travel(later, tick=False):
        assert not read(topic, capture, host="www.example.org")[1]
    assert len(queued()) == 2

    # A reader the worker's rendering would not serve renders an old part, as before:
    # one with a query string, or one of another site showing the same pages.
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="partners.example.org", root_page_id=default.root_page_id)
    for number, other in enumerate(
        [{"utm_source": "newsletter"}, {"host": "partners.example.org"}]
    ):
        with time_machine.travel(
            later + timedelta(seconds=(number + 1) * (timeout + 1)), tick=False
        ):
            assert read(topic, capture, **other)[1]
    assert len(queued()) == 2

    past = later + timedelta(seconds=3 * (timeout + 1) + grace)
    with time_machine.travel(past, tick=False):
        assert read(topic, capture)[1]  # past the grace: gone


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_old_parts_cost_their_reader_no_query_more_than_fresh_ones(
    topic, django_capture_on_commit_callbacks, django_assert_num_queries
):
    import time_machine

    host = urlsplit(Site.objects.get(is_default_site=True).root_url).netloc
    with time_machine.travel(NOON, tick=False):
        assert read(topic, django_capture_on_commit_callbacks)[1]  # rendered and kept
        with CaptureQueriesContext(connection) as fresh:
            Client(HTTP_HOST=host).get(topic.url)

    # Whether the page is public is known from what Wagtail read to serve it.
    with (
        time_machine.travel(NOON + timedelta(seconds=601), tick=False),
        django_assert_num_queries(len(fresh)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert Client(HTTP_HOST=host).get(topic.url).status_code == 200
    assert len(queued()) == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_old_parts_of_a_page_behind_a_password_are_rendered_by_its_reader(
    topic, django_capture_on_commit_callbacks
):
    import time_machine

    # The worker reads as a stranger and would get the password form, not the page.
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    host = urlsplit(Site.objects.get(is_default_site=True).root_url).netloc
    reader = Client(HTTP_HOST=host)
    unlock = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, topic.pk])
    reader.post(unlock, {"password": "secret", "return_url": topic.url})
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert "wagtail_iln_enrolment" in view(reader, topic.url)[1]  # rendered and kept

    with (
        time_machine.travel(NOON + timedelta(seconds=601), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        html, sql = view(reader, topic.url)
    assert "1 participant" in html
    assert "wagtail_iln_enrolment" in sql  # rendered again by its reader
    assert queued() == []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_after_midnight_yesterdays_stats_are_served_while_the_worker_renders_todays(
    topic, django_capture_on_commit_callbacks
):
    import time_machine

    capture = django_capture_on_commit_callbacks
    midnight = NOON + timedelta(hours=12)
    with time_machine.travel(midnight - timedelta(minutes=1), tick=False):
        assert read(topic, capture)[1]  # rendered and kept, naming today

    with time_machine.travel(midnight + timedelta(minutes=1), tick=False):
        # Their key names the new day: yesterday's are served, and today's asked for once.
        html, rendered = read(topic, capture)
        assert not rendered and "1 participant" in html
        assert not read(topic, capture)[1]
        assert [result.args for result in queued()] == [[[topic.pk]]]
        warm_pages.call(*queued()[0].args, **queued()[0].kwargs)
        assert not read(topic, capture)[1]
        assert not read(topic, capture, utm_source="newsletter")[1]  # today's, kept
        assert len(queued()) == 1

    # Two days on, nothing of yesterday is left: the reader renders.
    with time_machine.travel(midnight + timedelta(days=1, minutes=1), tick=False):
        assert read(topic, capture)[1]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_after_midnight_a_form_whose_window_closed_is_not_served_from_yesterday(
    index_page, django_capture_on_commit_callbacks
):
    import time_machine

    midnight = NOON + timedelta(hours=12)
    round = open_round(applications_close_at=midnight)
    topic = DiscussionTopicPageFactory(
        parent=index_page, body=[("round_application_form", {"round": round, "heading": "Apply"})]
    )
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(midnight - timedelta(minutes=1), tick=False):
        assert "Applications close on" in read(topic, capture)[0]
    with time_machine.travel(midnight + timedelta(minutes=1), tick=False):
        html = read(topic, capture)[0]
    assert "Applications to this round closed on" in html
    assert "Applications close on" not in html


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_after_a_cache_flush_its_first_reader_has_the_worker_render_every_topic(
    topic, index_page, round, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    capture = django_capture_on_commit_callbacks
    stats = [("round_stats", {"round": round, "heading": "", "show_chart": False})]
    other = DiscussionTopicPageFactory(parent=index_page, slug="your-workplace", body=stats)
    DiscussionTopicPageFactory(parent=index_page, slug="a-draft", live=False)
    for cache in caches.all():
        cache.clear()  # a flush, or a release whose version names new keys

    assert read(topic, capture)[1]  # its first reader renders it
    assert read(other, capture)[1]  # and so does another before the worker has run
    [warm_all] = queued(bursts_only=False)  # queued once, for the live topics
    assert sorted(warm_all.args[0]) == sorted([topic.pk, other.pk])

    warm_pages.call(*warm_all.args, **warm_all.kwargs)
    assert len(queued(bursts_only=False)) == 1  # the worker's own readings queue nothing
    assert not read(other, capture)[1]


def test_with_the_immediate_backend_a_part_past_its_timeout_is_rendered_by_its_reader(
    topic, django_capture_on_commit_callbacks
):
    import time_machine

    with time_machine.travel(NOON, tick=False):
        assert read(topic, django_capture_on_commit_callbacks)[1]
    with time_machine.travel(NOON + timedelta(seconds=601), tick=False):
        assert read(topic, django_capture_on_commit_callbacks)[1]
