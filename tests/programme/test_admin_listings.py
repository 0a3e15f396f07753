"""Every listing of the app's admin scrolls sideways on a phone, in its own box.

Wagtail's admin page does not scroll sideways: the columns of a table wider than
a phone were out of reach. The app's listings carry ``iln-listing``, which
``css/admin.css`` lets scroll (tests/e2e/test_admin_on_a_phone.py shows it in
Chromium).
"""

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
    PhotoCampaignFactory,
    PhotoSubmissionFactory,
    RoundFactory,
)
from tests.helpers import held_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(site_root):
    today = timezone.localdate()
    round = RoundFactory(
        status="running",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=90),
    )
    members = [EnrolmentFactory(round=round, status="accepted") for _ in range(2)]
    PartnershipFactory(round=round, status="active", started_on=round.starts_on, members=members)
    EnrolmentFactory(round=round, status="applied")
    PhotoSubmissionFactory(campaign=PhotoCampaignFactory())
    topic = DiscussionTopicPageFactory(parent=DiscussionIndexPageFactory(parent=site_root))
    held_comment(topic)
    return round


@pytest.mark.parametrize(
    "url",
    [
        "/admin/iln/partnership-health/",
        "/admin/iln/moderation/photos/",
        "/admin/iln/moderation/comments/",
        reverse("wagtailsnippets_wagtail_iln_enrolment:review"),
        "/admin/snippets/wagtail_iln/enrolment/",
        "/admin/snippets/wagtail_iln/participant/",
        "/admin/snippets/wagtail_iln/round/",
        "/admin/snippets/wagtail_iln/round/matching/{round}/",
        "/admin/snippets/wagtail_iln/round/calendar/{round}/",
    ],
)
def test_each_listing_scrolls_in_its_own_box_on_a_phone(admin_client, programme, url):
    response = admin_client.get(url.format(round=programme.pk))
    assert response.status_code == 200
    tables = BeautifulSoup(response.content, "html.parser").select("table.listing")
    assert tables, "the listing shows rows"
    assert all("iln-listing" in table["class"] for table in tables)
    assert b"wagtail_iln/css/admin.css" in response.content
