"""A moderator's decisions are written in Wagtail's history: who approved, rejected or
marked as spam what, and when, in the site history report."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import held_comment, jpeg_with_gps, make_user, pending_photo
from wagtail_iln.photos import moderation as photos

pytestmark = pytest.mark.django_db


def site_history(client):
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in rows]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_approving_and_rejecting_photos_are_in_the_site_history(
    django_user_model, admin_client, campaign, django_capture_on_commit_callbacks
):
    moderator = make_user(django_user_model, "rosa", "moderate_photosubmission")
    moderator.first_name, moderator.last_name = "Rosa", "Parks"
    moderator.save()
    shown = pending_photo(campaign, title="The reading room window")
    blurred = pending_photo(campaign, jpeg_with_gps(color=(20, 40, 60)), title="A blurred shelf")
    client = logged_in(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtail_iln_photos:approve", args=[shown.pk]))
        client.post(
            reverse("wagtail_iln_photos:reject", args=[blurred.pk]),
            {"reject-reason": "not-clear"},
        )

    history = site_history(admin_client)
    assert any("The reading room window" in row and "Approved" in row for row in history)
    assert any("A blurred shelf" in row and "Rejected" in row for row in history)
    assert all("Rosa Parks" in row for row in history if "shelf" in row or "window" in row)


def test_the_submitters_own_withdrawal_and_a_repeated_decision_write_nothing(
    django_user_model, campaign
):
    moderator = make_user(django_user_model, "rosa", "moderate_photosubmission")
    submission = pending_photo(campaign, title="Changed my mind")
    photos.photo_moderation.apply(submission, "withdraw")
    assert not ModelLogEntry.objects.exists()

    approved = pending_photo(campaign, jpeg_with_gps(color=(20, 40, 60)), title="Twice")
    photos.photo_moderation.apply(approved, "approve", moderator)
    photos.photo_moderation.apply(approved, "approve", moderator)  # already done
    assert ModelLogEntry.objects.filter(action="wagtail_iln.approve").count() == 1


def test_marking_a_comment_as_spam_is_in_the_site_history(
    django_user_model, admin_client, index_page
):
    moderator = make_user(django_user_model, "omar", "moderate_comment")
    comment = held_comment(DiscussionTopicPageFactory(parent=index_page), body="Cheap pills here")
    logged_in(moderator).post(reverse("wagtail_iln_comments:spam", args=[comment.pk]))

    history = site_history(admin_client)
    assert any("Cheap pills here" in row and "Marked as spam" in row for row in history)


def test_each_item_of_a_bulk_action_has_its_own_entry(
    django_user_model, admin_client, index_page, django_capture_on_commit_callbacks
):
    topic = DiscussionTopicPageFactory(parent=index_page)
    first = held_comment(topic, body="Our rooftop garden")
    second = held_comment(topic, email="ola@example.org", body="Our reading club")
    url = reverse("wagtail_bulk_action", args=["wagtail_iln", "comment", "approve"])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{url}?id={first.pk}&id={second.pk}")

    approved = [row for row in site_history(admin_client) if "Approved" in row]
    assert any("Our rooftop garden" in row for row in approved), approved
    assert any("Our reading club" in row for row in approved), approved
