"""A topic page's round stats, gallery, forms and comments are rendered once for every reader.

What the readers see must never be older than the data: an approved photo, a
bulk change of enrolments, a closed application window or an edited campaign
shows on the next view. Each reader gets their own CSRF token and form keys.
"""

import datetime
import re
import uuid
from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import DiscussionTopicPageFactory, EnrolmentFactory
from tests.helpers import (
    approve_in_the_queue,
    approved_comment,
    approved_photo,
    open_round,
    pending_photo,
    photo_form_data,
    post_comment,
)
from wagtail_iln import fragments, tracking
from wagtail_iln.comments import moderation as comment_moderation
from wagtail_iln.models import Comment, Enrolment, PhotoCampaign, PhotoSubmission


@pytest.fixture
def round(db):
    return open_round()


@pytest.fixture
def page(index_page, round, campaign):
    return DiscussionTopicPageFactory(
        parent=index_page,
        slug="announcement",
        body=[
            ("round_stats", {"round": round, "heading": "", "show_chart": True}),
            ("round_application_form", {"round": round, "heading": "Apply"}),
            ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
            (
                "photo_gallery",
                {"campaign": campaign, "heading": "Photos", "per_page": 12, "layout": "grid"},
            ),
        ],
    )


def enrol(round, count, status="accepted"):
    countries = ["AU", "BR", "FR", "IN", "KE"]
    return [
        EnrolmentFactory(round=round, status=status, participant__country=countries[i % 5])
        for i in range(count)
    ]


def view(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    return response.content.decode(), sql


def sentence(html):
    return BeautifulSoup(html, "html.parser").select_one(".iln-round-stats p").get_text(" ")


def gallery_titles(html):
    soup = BeautifulSoup(html, "html.parser")
    return [title.get_text() for title in soup.select(".iln-gallery .iln-photo__title")]


def hidden(html, form_selector, name):
    form = BeautifulSoup(html, "html.parser").select_one(form_selector)
    return form.select_one(f"input[name={name}]")["value"]


PHOTO_FORM = "form[data-iln-photo-form]"
APPLY_LINK = "a[data-iln-apply-link]"


def test_the_second_reader_is_served_from_the_cache(client, page, round, campaign):
    enrol(round, 5)
    approved_photo(campaign, title="Reading room window")

    first, first_sql = view(client, page.url)
    second, second_sql = view(Client(), page.url)

    assert "wagtail_iln_enrolment" in first_sql and "wagtail_iln_photosubmission" in first_sql
    assert "wagtail_iln_enrolment" not in second_sql
    assert "wagtail_iln_photosubmission" not in second_sql
    assert sentence(second) == sentence(first)
    assert "5 participants from 5 countries" in sentence(second)
    assert gallery_titles(second) == ["Reading room window"]


def test_each_reader_gets_their_own_csrf_token_and_form_keys(page):
    pages = [view(Client(enforce_csrf_checks=True), page.url)[0] for _ in range(2)]

    tokens = [hidden(html, PHOTO_FORM, "csrfmiddlewaretoken") for html in pages]
    keys = [hidden(html, PHOTO_FORM, "form_key") for html in pages]
    assert tokens[0] != tokens[1]
    assert len(set(keys)) == 2
    for html in pages:
        assert "wagtail-iln-" not in html  # no marker is left for a reader to see


def test_a_reader_sends_a_photo_through_a_form_from_the_cache(
    page, campaign, django_capture_on_commit_callbacks
):
    view(Client(), page.url)  # someone else's view fills the cache
    reader = Client(enforce_csrf_checks=True)
    action, data = photo_form_data(page, reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post(action, data)

    assert response.status_code == 302
    assert PhotoSubmission.objects.get().form_key == uuid.UUID(data["form_key"])


def test_a_form_sent_back_with_errors_is_only_the_senders(page):
    view(Client(), page.url)
    action, data = photo_form_data(page, Client(), title="")
    response = Client().post(action, data)
    assert "Please correct the errors below." in response.content.decode()

    html, _ = view(Client(), page.url)
    soup = BeautifulSoup(html, "html.parser")
    for kept in soup.select("template"):  # what the browser shows of a photo too big to send
        kept.decompose()
    assert "Please correct the errors below." not in str(soup)


def test_a_photo_approved_by_a_moderator_shows_on_the_next_view(
    client, page, campaign, django_user_model, django_capture_on_commit_callbacks
):
    submission = pending_photo(campaign, title="Card catalogue")
    assert gallery_titles(view(client, page.url)[0]) == []

    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)

    assert gallery_titles(view(client, page.url)[0]) == ["Card catalogue"]


@pytest.mark.parametrize("warm_pages", [True, False], ids=["warmed", "not-warmed"])
def test_a_pending_photo_leaves_the_cached_gallery_and_its_approval_renews_it(
    client,
    page,
    campaign,
    django_user_model,
    django_capture_on_commit_callbacks,
    warm_pages,
    settings,
):
    settings.WAGTAIL_ILN = {"WARM_PAGES": warm_pages}
    other_campaign = PhotoCampaign.objects.create(name="#other", hashtags="#other")
    approved_photo(campaign, title="Reading room window")
    first, _ = view(client, page.url)

    with django_capture_on_commit_callbacks(execute=True):
        submission = pending_photo(campaign, title="Card catalogue")
        pending_photo(other_campaign, title="Another campaign's photo")
    second, second_sql = view(Client(), page.url)

    assert "wagtail_iln_photosubmission" not in second_sql
    assert gallery_titles(second) == gallery_titles(first) == ["Reading room window"]

    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)
    third, third_sql = view(Client(), page.url)

    # The approval's task rendered the page showing the gallery: its next reader
    # reads no photo; without it, that reader renders the gallery.
    assert ("wagtail_iln_photosubmission" in third_sql) is not warm_pages
    assert gallery_titles(third) == ["Card catalogue", "Reading room window"]


def like_counts_shown(html):
    soup = BeautifulSoup(html, "html.parser")
    return [count.get_text(strip=True) for count in soup.select(".iln-gallery .iln-like__count")]


def test_approving_another_campaigns_photo_leaves_the_gallery_as_it_is(
    client, page, campaign, django_user_model, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAIL_ILN = {"WARM_PAGES": False}  # its next reader renders what was renewed
    other_campaign = PhotoCampaign.objects.create(name="#other", hashtags="#other")
    approved_photo(campaign, title="Reading room window")
    view(client, page.url)
    submission = pending_photo(other_campaign, title="Another campaign's photo")

    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED
    html, sql = view(Client(), page.url)

    assert "wagtail_iln_photosubmission" not in sql  # the gallery came from the cache
    assert gallery_titles(html) == ["Reading room window"]

    # The new image's later changes are seen as any image's: shown in its campaign's galleries.
    submission.image.title = "Another campaign's photo, retitled"
    submission.image.save()
    html, sql = view(Client(), page.url)
    assert "wagtail_iln_photosubmission" in sql


def test_a_like_renews_only_the_galleries_that_show_the_liked_photo(client, page, campaign):
    other_campaign = PhotoCampaign.objects.create(name="#other", hashtags="#other")
    photo = approved_photo(campaign, title="Reading room window")
    other_photo = approved_photo(other_campaign, title="Another campaign's photo")
    view(client, page.url)

    # A like of the topic, or of another campaign's photo, changes nothing the gallery shows.
    reader = Client()
    assert reader.post(reverse("wagtail_iln:like", args=["topic", page.pk])).status_code == 302
    liked = reader.post(reverse("wagtail_iln:like", args=["photo", other_photo.pk]))
    assert liked.status_code == 302
    html, sql = view(Client(), page.url)
    assert "wagtail_iln_photosubmission" not in sql
    assert like_counts_shown(html) == [""]

    assert reader.post(reverse("wagtail_iln:like", args=["photo", photo.pk])).status_code == 302
    html, sql = view(Client(), page.url)
    assert like_counts_shown(html) == ["1 person likes this"]


def test_an_approved_photo_withdrawn_in_bulk_leaves_the_gallery_at_once(client, page, campaign):
    approved_photo(campaign, title="Reading room window")
    approved_photo(campaign, title="Card catalogue")
    view(client, page.url)

    PhotoSubmission.objects.filter(title="Card catalogue").update(status="withdrawn")

    assert gallery_titles(view(Client(), page.url)[0]) == ["Reading room window"]


def test_enrolments_changed_in_bulk_show_on_the_next_view(client, page, round):
    enrolments = enrol(round, 4, status="applied")
    assert "Nobody has been accepted" in sentence(view(client, page.url)[0])

    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(status="accepted")
    assert "4 participants" in sentence(view(client, page.url)[0])

    Enrolment.objects.filter(pk=enrolments[0].pk).delete()
    assert "3 participants" in sentence(view(client, page.url)[0])


def test_an_application_leaves_the_round_stats_and_its_acceptance_renews_them(
    client, page, round, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.helpers import application_form_data

    enrol(round, 2)
    assert "2 participants" in sentence(view(client, page.url)[0])

    applicant = Client()
    action, data = application_form_data(page, applicant, email="new@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert applicant.post(action, data).status_code == 302
    link = re.search(r"http://testserver(/iln/rounds/confirm/\S+/)", mail.outbox[-1].body)
    with django_capture_on_commit_callbacks(execute=True):
        applicant.post(link.group(1))
    enrolment = Enrolment.objects.get(participant__email="new@example.org")
    assert enrolment.status == "applied"

    html, sql = view(Client(), page.url)
    assert "wagtail_iln_enrolment" not in sql  # the stats came from the cache
    assert "2 participants" in sentence(html)

    enrolment.status = "accepted"
    enrolment.save()
    assert "3 participants" in sentence(view(Client(), page.url)[0])


def test_partnerships_renew_the_round_stats_only_once_the_round_has_ended(client, page, round):
    import time_machine

    from tests.factories import PartnershipFactory

    first, second = enrol(round, 2)
    view(client, page.url)

    # Matching proposes partnerships while the round runs: the stats do not count them.
    partnership = PartnershipFactory(round=round, status="proposed", members=[first, second])
    assert "wagtail_iln_enrolment" not in view(Client(), page.url)[1]

    # After its end the stats say how many kept in touch: a check-in renews them.
    with time_machine.travel(round.ends_on + datetime.timedelta(days=2)):
        view(Client(), page.url)
        partnership.status, partnership.started_on = "active", round.starts_on
        partnership.last_contact_at = timezone.now() - datetime.timedelta(days=3)
        partnership.save()
        html, sql = view(Client(), page.url)
    assert "wagtail_iln_enrolment" in sql
    assert "1 of 1 partnership kept in touch until the end of the round." in html


def test_at_midnight_only_the_parts_that_name_the_day_are_rendered_again(
    client, page, round, campaign
):
    import time_machine

    enrol(round, 2)
    approved_photo(campaign, title="Reading room window")
    approved_comment(page, body="Our library has a rooftop garden.")
    evening = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(23, 58))
    )
    with time_machine.travel(evening, tick=False):
        view(client, page.url)
    with time_machine.travel(evening + datetime.timedelta(minutes=4), tick=False):
        html, sql = view(Client(), page.url)

    assert "wagtail_iln_enrolment" in sql  # the round stats say what the day brings
    # The gallery, the thread, the pager and the sharing card show nothing of the day.
    assert "wagtail_iln_photosubmission" not in sql and "wagtail_iln_comment" not in sql
    assert '"first_published_at" AS' not in sql and "wagtailimages_rendition" not in sql
    assert gallery_titles(html) == ["Reading room window"]
    assert "Our library has a rooftop garden." in html


def test_closing_the_application_window_shows_at_once(client, page, round):
    html, _ = view(client, page.url)
    assert BeautifulSoup(html, "html.parser").select_one(APPLY_LINK)

    round.applications_close_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()

    html, _ = view(client, page.url)
    assert BeautifulSoup(html, "html.parser").select_one(APPLY_LINK) is None
    assert "Applications to this round closed on" in html


def test_a_reader_between_a_write_and_its_commit_stores_what_nobody_asks_for_again(
    page, round, rf, django_capture_on_commit_callbacks
):
    (enrolment,) = enrol(round, 1, status="applied")
    parts = ["round stats", round.pk]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(status="accepted")
        # Another reader still sees the enrolment as applied, and stores that under:
        during = fragments.fragment_key(rf.get("/"), parts, [Enrolment])
    after = fragments.fragment_key(rf.get("/"), parts, [Enrolment])
    assert during != after


@contextmanager
def cache_calls(cache):
    """Each call the block below makes to ``cache``'s server: ``(method, key)``."""
    calls, inside = [], []

    def recorded(method):
        def call(key, *args, **kwargs):
            if not inside:  # not a backend's get_many going through its own get
                keys = list(key) if isinstance(key, (list, dict)) else [key]
                calls.extend((method, each) for each in keys)
            inside.append(method)
            try:
                return getattr(type(cache), method)(cache, key, *args, **kwargs)
            finally:
                inside.pop()

        return call

    methods = ["get", "get_many", "add", "set", "set_many", "delete"]
    with ExitStack() as stack:
        for method in methods:
            stack.enter_context(mock.patch.object(cache, method, recorded(method)))
        yield calls


def test_after_a_cache_flush_the_first_reader_starts_each_generation_in_one_call(
    page, round, campaign
):
    enrol(round, 2)
    approved_photo(campaign, title="Reading room window")
    view(Client(), page.url)
    cache = tracking.get_cache()
    cache.clear()  # a flush, or an eviction of every generation

    with cache_calls(cache) as calls:
        html, _ = view(Client(), page.url)

    assert gallery_titles(html) == ["Reading room window"]
    started = [key for method, key in calls if method == "add" and ":generation:" in key]
    assert started  # the page's parts name generations, all gone with the flush
    # Each one started with the value it was added with: not read back.
    assert not [key for method, key in calls if method == "get" and ":generation:" in key]
    # The first part missed asks whether the cache is new to this version; no other does.
    assert len([key for method, key in calls if ":epoch:" in key]) == 1


def test_a_generation_another_reader_started_meanwhile_is_the_one_both_read(rf, page):
    cache = tracking.get_cache()
    cache.clear()
    key = tracking.generation_key(tracking.model_label(Enrolment))
    read = cache.get_many

    def read_before_another_reader_starts_it(keys, *args, **kwargs):
        found = read(keys, *args, **kwargs)
        cache.add(key, "theirs", None)  # between this reader's read and its start
        return found

    with mock.patch.object(cache, "get_many", read_before_another_reader_starts_it):
        current = tracking.generations(rf.get("/"), [Enrolment])

    assert current[tracking.model_label(Enrolment)] == "theirs"
    assert cache.get(key) == "theirs"


def test_raw_sql_is_seen_once_changed_is_called(client, page, round):
    (enrolment,) = enrol(round, 1, status="applied")
    view(client, page.url)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Enrolment._meta.db_table} SET status = 'accepted' WHERE id = %s",
            [enrolment.pk],
        )
    assert "Nobody has been accepted" in sentence(view(client, page.url)[0])

    tracking.changed(Enrolment)
    assert "1 participant" in sentence(view(client, page.url)[0])


def test_other_query_strings_are_rendered_for_their_reader(client, page, campaign):
    approved_photo(campaign)
    view(client, page.url)

    for _ in range(2):
        _, sql = view(client, page.url, utm_source="newsletter")
        assert "wagtail_iln_photosubmission" in sql
    # A page number written another way than the gallery's links write it.
    gallery_parameter = re.search(r'id="(iln-gallery-[^"]+)"', view(client, page.url)[0])[1]
    for _ in range(2):
        _, sql = view(client, page.url, **{gallery_parameter: "001"})
        assert "wagtail_iln_photosubmission" in sql
    _, sql = view(client, page.url, **{gallery_parameter: "1"})
    _, sql = view(client, page.url, **{gallery_parameter: "1"})
    assert "wagtail_iln_photosubmission" not in sql


def test_a_timeout_of_0_renders_for_every_reader(client, page, round, settings):
    settings.WAGTAIL_ILN = {"FRAGMENT_CACHE_TIMEOUT": 0}
    enrol(round, 2)
    view(client, page.url)
    _, sql = view(client, page.url)
    assert "wagtail_iln_enrolment" in sql


def test_an_edited_image_credit_shows_on_the_next_view(client, page, campaign):
    photo = approved_photo(campaign, credit_name="Ana Souza")
    assert "Ana Souza" in view(client, page.url)[0]

    credit = photo.image.iln_credit
    credit.creator = "Ana Souza Lima"
    credit.save()
    assert "Ana Souza Lima" in view(client, page.url)[0]


def test_a_block_may_only_name_tracked_models(rf, django_user_model):
    with pytest.raises(ImproperlyConfigured, match="auth.user is not tracked"):
        fragments.fragment_key(rf.get("/"), ["my block"], [django_user_model])


def test_pages_and_writes_go_on_while_the_cache_server_is_down(
    client, page, round, campaign, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        },
    }
    settings.WAGTAIL_ILN = {"FRAGMENT_CACHE": "down"}
    enrol(round, 3)
    approved_photo(campaign, title="Reading room window")

    html, _ = view(client, page.url)
    assert "3 participants" in sentence(html)
    assert gallery_titles(html) == ["Reading room window"]
    assert "wagtail-iln-" not in html
    assert hidden(html, PHOTO_FORM, "csrfmiddlewaretoken")


def test_a_reader_comments_through_a_thread_from_the_cache(
    page, admin_user, django_capture_on_commit_callbacks
):
    first = approved_comment(page, body="Our library has a rooftop garden.")
    html, first_sql = view(Client(), page.url)
    again, sql = view(Client(), page.url)
    assert "wagtail_iln_comment" in first_sql and "wagtail_iln_comment" not in sql
    assert "rooftop garden" in again
    assert hidden(html, "#comment-form", "form_key") != hidden(again, "#comment-form", "form_key")

    reader = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_comment(reader, page, body="Hello from Oslo!").status_code == 302
    held, held_sql = view(Client(), page.url)
    assert "wagtail_iln_comment" not in held_sql  # a held comment leaves the thread as it was
    assert "Hello from Oslo!" not in held and "rooftop garden" in held
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderation.approve(Comment.objects.get(name="Mia"), admin_user)
    assert "Hello from Oslo!" in view(Client(), page.url)[0]

    reply, _ = view(Client(), page.url, reply_to=first.pk)
    form = BeautifulSoup(reply, "html.parser").select_one("#comment-form")
    assert form.h3.get_text(" ", strip=True) == "Reply to Ana"
    assert form.select_one("input[name=parent]")["value"] == str(first.pk)
