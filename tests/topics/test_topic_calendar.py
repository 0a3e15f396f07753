"""A round's topic calendar: planned in the admin, scheduled as drafts, live on their day."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from tests.factories import RoundFactory
from wagtail_iln.models import DiscussionTopicPage
from wagtail_iln.topics.blocks import TopicCalendarBlock

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
# A month from now: every planned topic is still to come.
START = datetime.date.today() + 30 * DAY


@pytest.fixture
def round():
    return RoundFactory(name="Round 13", starts_on=START, ends_on=START + 70 * DAY)


def calendar_url(round):
    return reverse("wagtailsnippets_wagtail_iln_round:calendar", args=[round.pk])


def rows(response):
    return BeautifulSoup(response.content, "html.parser").select("[data-iln-calendar-row]")


def plan(admin_client, round, index_page, titles, days=None):
    page_rows = rows(admin_client.get(calendar_url(round)))
    data = {"index": index_page.pk, "day": [], "title": [], "topic": []}
    for number, row in enumerate(page_rows):
        data["day"].append((days or {}).get(number, row.select_one('[name="day"]')["value"]))
        data["title"].append(titles[number] if number < len(titles) else "")
        data["topic"].append(row.select_one('[name="topic"]')["value"])
    return admin_client.post(calendar_url(round), data, follow=True)


def test_the_calendar_proposes_a_topic_every_fortnight_and_schedules_drafts(
    admin_client, round, index_page
):
    listing = admin_client.get(reverse("wagtailsnippets_wagtail_iln_round:list"))
    assert calendar_url(round) in listing.content.decode()
    proposed = [
        row.select_one('[name="day"]')["value"]
        for row in rows(admin_client.get(calendar_url(round)))
    ]
    assert proposed == [str(START + n * 14 * DAY) for n in range(6)]

    # The second topic moves a day later.
    titles = ["Getting to know you", "Your workplace", "Your career"]
    plan(admin_client, round, index_page, titles, days={1: str(START + 15 * DAY)})
    topics = list(DiscussionTopicPage.objects.filter(round=round).order_by("discussion_opens"))
    assert [t.title for t in topics] == titles
    assert not any(t.live for t in topics)
    assert [t.go_live_at.date() for t in topics] == [START, START + 15 * DAY, START + 28 * DAY]
    windows = [(t.discussion_opens, t.discussion_closes) for t in topics]
    assert windows == [
        (START, START + 14 * DAY),
        (START + 15 * DAY, START + 27 * DAY),
        (START + 28 * DAY, round.ends_on),
    ]
    statuses = [
        row.get_text(" ", strip=True) for row in rows(admin_client.get(calendar_url(round)))
    ]
    assert "Scheduled for" in statuses[0]

    # Moving the first topic's date reschedules its draft.
    plan(admin_client, round, index_page, titles, days={0: str(START + DAY)})
    first = DiscussionTopicPage.objects.get(title="Getting to know you")
    assert first.go_live_at.date() == START + DAY
    assert first.discussion_opens == START + DAY
    assert DiscussionTopicPage.objects.filter(round=round).count() == 3


def test_topics_go_live_on_their_day_and_the_block_shows_this_fortnights(
    admin_client, round, index_page, rf
):
    plan(admin_client, round, index_page, ["Getting to know you", "Your workplace"])
    block = TopicCalendarBlock()
    value = block.to_python({"round": round.pk, "heading": ""})

    for day, expected in (
        (START + 2 * DAY, "Getting to know you"),
        (START + 16 * DAY, "Your workplace"),
    ):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        with time_machine.travel(moment, tick=False):
            call_command("publish_scheduled")
            html = BeautifulSoup(block.render(value, {"request": rf.get("/")}), "html.parser")
            assert html.select_one("[data-iln-current-topic] a").get_text() == expected
            assert len(html.select(".iln-topic-calendar__list li")) == 2
            tag = Template(
                "{% load wagtail_iln_tags %}{% iln_current_topic round as t %}{{ t.title }}"
            )
            assert tag.render(Context({"round": round})) == expected

    live = DiscussionTopicPage.objects.filter(round=round, live=True)
    assert live.count() == 2
