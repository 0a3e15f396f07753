"""The admin home page tells a coordinator where the round is and what waits for them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    DiscussionIndexPageFactory,
    DiscussionTopicPageFactory,
    EnrolmentFactory,
    PartnershipFactory,
    PhotoSubmissionFactory,
    RoundFactory,
)
from tests.helpers import approved_comment
from wagtail_iln.health.checkins import record_check_in
from wagtail_iln.models import Comment
from wagtail_iln.programme.choices import CheckInAnswer

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def figure(panel, name):
    return panel.select_one(f'[data-figure="{name}"]').get_text(strip=True)


@pytest.fixture
def home(admin_client, site_root):
    def get():
        response = admin_client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        return BeautifulSoup(response.content, "html.parser")

    return get


def test_the_home_page_shows_the_round_the_queues_the_partnerships_and_the_next_topic(
    home, site_root
):
    today = timezone.localdate()
    RoundFactory(name="Round 11", starts_on=today - 300 * DAY, ends_on=today - 150 * DAY)
    round = RoundFactory(
        name="Round 12",
        applications_open_at=timezone.now() - 10 * DAY,
        applications_close_at=timezone.now() + 5 * DAY,
        starts_on=today + 20 * DAY,
        ends_on=today + 160 * DAY,
    )
    EnrolmentFactory.create_batch(2, round=round, status="applied")
    EnrolmentFactory.create_batch(3, round=round, status="accepted")
    PhotoSubmissionFactory.create_batch(2)
    index = DiscussionIndexPageFactory(parent=site_root)
    topic = DiscussionTopicPageFactory(parent=index, title="Topic live")
    approved_comment(topic, status=Comment.Status.PENDING)
    draft = DiscussionTopicPageFactory(parent=index, title="Your partnership", live=False)
    draft.go_live_at = timezone.now() + 14 * DAY
    draft.save()
    # An old partnership that asked for help and has been silent since.
    old = PartnershipFactory(
        round=round,
        status="active",
        started_on=today - 40 * DAY,
        members=EnrolmentFactory.create_batch(2, round=round, status="accepted"),
    )
    member = old.members.first().enrolment.participant
    record_check_in(old, member, 0, CheckInAnswer.NEED_HELP, now=timezone.now() - 30 * DAY)

    page = home()
    panel = page.select_one("[data-iln-current-round]")
    assert "Round 12" in panel.find_parent("section").get_text()
    assert figure(panel, "status") == "Applications open"
    assert figure(panel, "applicants") == "7"
    assert figure(panel, "accepted") == "5"
    assert figure(panel, "to_review") == "2"

    queues = page.select_one("[data-iln-moderation-queues]")
    assert queues.select_one('[data-queue="Photos"]').get_text() == "2"
    assert queues.select_one('[data-queue="Comments"]').get_text() == "1"

    attention = page.select_one("[data-iln-partnerships-attention]")
    assert figure(attention, "overdue") == "1"
    assert figure(attention, "needs_help") == "1"

    next_topic = page.select_one("[data-iln-next-topic]").get_text(" ", strip=True)
    assert "Your partnership" in next_topic
    assert "goes live on" in next_topic


def test_an_editor_without_programme_rights_sees_no_programme_panel(client, django_user_model):
    from tests.helpers import make_user

    editor = make_user(django_user_model, "editor")
    client.force_login(editor)
    RoundFactory(name="Round 12")
    page = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    assert page.select_one("[data-iln-current-round]") is None
    assert page.select_one("[data-iln-partnerships-attention]") is None
