"""A topic page's parts kept in the database: a flushed cache does not make its reader wait.

After a deployment that restarts a local memory cache, a Redis flush or an
eviction, the first reader is served each part as the database keeps it, in
one query, unless what it shows changed since; then it is rendered again.
Nothing kept outlives what the cache would keep, nor a person's erasure.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client

from tests import test_fragments
from tests.helpers import approve_in_the_queue, approved_comment, approved_photo, pending_photo
from tests.test_fragments import PHOTO_FORM, enrol, gallery_titles, hidden, sentence, view
from wagtail_iln import fragments, tracking
from wagtail_iln.comments.moderation import erase_commenter
from wagtail_iln.models import Generation, PhotoSubmission, RenderedPart

# The announcement page of the fragment cache's tests, with its round and campaign.
round = test_fragments.round
page = test_fragments.page

#: Tables only a rendering of the page's parts reads.
PARTS_DATA = ("wagtail_iln_photosubmission", "wagtail_iln_enrolment", "wagtail_iln_comment")


def rendered_parts(sql):
    return [table for table in PARTS_DATA if table in sql]


@pytest.fixture
def written(round, campaign, page, django_capture_on_commit_callbacks):
    """A round with applicants, an approved photo and a comment, each write committed.

    So is the page with its round and campaign (saved again: their fixtures commit nothing).
    """
    with django_capture_on_commit_callbacks(execute=True):
        for row in (round, campaign, page):
            row.save()
        enrol(round, 3)
        approved_photo(campaign, title="Reading room window")
        approved_comment(page, body="Our library has a rooftop garden.")


def flush():
    tracking.get_cache().clear()


def test_after_a_flush_the_first_reader_is_served_every_part_from_the_database(page, written):
    first, first_sql = view(Client(), page.url)
    assert rendered_parts(first_sql) == list(PARTS_DATA)

    flush()
    again, sql = view(Client(), page.url)

    assert rendered_parts(sql) == []
    # The page's kept parts in one query; the generations they name in one for the models
    # and one for each part naming scopes of its own (the gallery, the thread, the sharing
    # card's hero image).
    assert sql.count('FROM "wagtail_iln_renderedpart"') == 1
    assert sql.count('FROM "wagtail_iln_generation"') == 1 + 3
    assert "3 participants" in sentence(again)
    assert gallery_titles(again) == ["Reading room window"]
    assert "rooftop garden" in again
    # Put back in the cache: the next reader reads none of them from the database.
    _, next_sql = view(Client(), page.url)
    assert "wagtail_iln_renderedpart" not in next_sql
    assert rendered_parts(next_sql) == []


def test_each_reader_of_a_part_from_the_database_gets_their_own_csrf_token(page, written):
    view(Client(), page.url)
    stored = " ".join(RenderedPart.objects.values_list("html", flat=True))
    assert fragments.marker("csrf_token") in stored

    flush()
    one, _ = view(Client(), page.url)
    flush()
    other, _ = view(Client(), page.url)

    tokens = {hidden(html, PHOTO_FORM, "csrfmiddlewaretoken") for html in (one, other)}
    assert len(tokens) == 2
    assert fragments.marker("csrf_token") not in one + other


def test_a_photo_approved_before_a_flush_shows_not_the_gallery_kept_before_it(
    client, page, campaign, written, django_user_model, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAIL_ILN = {"WARM_PAGES": False}  # nothing renders the gallery after the approval
    view(client, page.url)
    submission = pending_photo(campaign, title="Card catalogue")
    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)

    flush()
    html, sql = view(Client(), page.url)

    assert gallery_titles(html) == ["Card catalogue", "Reading room window"]
    assert rendered_parts(sql) == ["wagtail_iln_photosubmission"]  # the gallery alone


def test_a_generation_evicted_alone_is_read_back_as_the_last_commit_left_it(
    client, page, campaign, written, django_user_model, django_capture_on_commit_callbacks
):
    submission = pending_photo(campaign, title="Card catalogue")
    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)
    html, _ = view(client, page.url)
    assert gallery_titles(html) == ["Card catalogue", "Reading room window"]
    cache = tracking.get_cache()
    approved = (
        tracking.model_label(PhotoSubmission)
        + "|"
        + submission.fragment_scope(submission._current_scope_values())
    )
    assert cache.get(tracking.generation_key(approved)) == (
        Generation.objects.get(label=approved).value
    )

    cache.delete(tracking.generation_key(approved))
    again, sql = view(Client(), page.url)

    assert gallery_titles(again) == ["Card catalogue", "Reading room window"]
    assert rendered_parts(sql) == []  # the gallery kept under it is current


def test_a_photo_shows_after_a_flush_once_its_approval_commits(
    page, campaign, written, django_capture_on_commit_callbacks
):
    view(Client(), page.url)
    with django_capture_on_commit_callbacks() as commit:
        approved_photo(campaign, title="Card catalogue")
    flush()

    # Before the commit a reader sees the gallery as it was, kept under the committed generation.
    before, _ = view(Client(), page.url)
    for callback in commit:
        callback()
    after, sql = view(Client(), page.url)

    assert gallery_titles(before) == ["Reading room window"]
    assert gallery_titles(after) == ["Card catalogue", "Reading room window"]
    assert rendered_parts(sql) == ["wagtail_iln_photosubmission"]


def test_erasing_a_commenter_deletes_the_parts_kept_with_their_name(
    page, written, django_capture_on_commit_callbacks
):
    view(Client(), page.url)
    assert RenderedPart.objects.filter(html__contains="rooftop garden").exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert erase_commenter("ana@example.org") == 1

    assert not RenderedPart.objects.exists()
    flush()
    assert "rooftop garden" not in view(Client(), page.url)[0]


def test_a_part_kept_longer_than_the_cache_would_keep_it_is_rendered_again_and_deleted(
    page, written, settings
):
    view(Client(), page.url)
    kept = RenderedPart.objects.count()
    lifetime = fragments.get_setting("FRAGMENT_CACHE_TIMEOUT") + fragments.get_setting(
        "FRAGMENT_CACHE_GRACE"
    )

    flush()
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=lifetime + 60)
    with time_machine.travel(later, tick=False):
        html, sql = view(Client(), page.url)

    assert rendered_parts(sql) == list(PARTS_DATA)
    assert gallery_titles(html) == ["Reading room window"]
    # Each part's row holds its new rendering; none older than the cache keeps is left.
    assert RenderedPart.objects.count() == kept
    assert not RenderedPart.objects.filter(rendered_at__lt=later - datetime.timedelta(seconds=1))


def test_with_the_database_off_a_flushed_cache_renders_every_part_again(
    page, round, campaign, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_ILN = {"FRAGMENT_CACHE_DATABASE": False}
    with django_capture_on_commit_callbacks(execute=True):
        enrol(round, 3)
        approved_photo(campaign, title="Reading room window")
    view(Client(), page.url)

    flush()
    html, sql = view(Client(), page.url)

    assert not RenderedPart.objects.exists()
    assert not Generation.objects.exists()
    assert rendered_parts(sql) == list(PARTS_DATA)  # the empty thread too
    assert "3 participants" in sentence(html)


def test_a_made_up_parts_row_under_another_key_is_not_served(page, written):
    view(Client(), page.url)
    RenderedPart.objects.update(html="<p>defaced</p>", key="wagtail_iln:fragment:forged")

    flush()
    html, sql = view(Client(), page.url)

    assert "defaced" not in html
    assert rendered_parts(sql) == list(PARTS_DATA)
    assert gallery_titles(html) == ["Reading room window"]


def test_pages_are_served_while_the_app_has_not_migrated_its_tables_yet(page, written, caplog):
    view(Client(), page.url)
    flush()
    # A site that upgraded the app and has not run migrate yet: the tables are not there.
    with connection.cursor() as cursor:
        for model in (RenderedPart, Generation):
            table = model._meta.db_table
            cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_not_yet")

    html, sql = view(Client(), page.url)
    again, _ = view(Client(), page.url)  # the transaction is still usable after the failures

    for shown in (html, again):
        assert "3 participants" in sentence(shown)
        assert gallery_titles(shown) == ["Reading room window"]
    assert rendered_parts(sql) == list(PARTS_DATA)
    assert "could not" in caplog.text.lower()
