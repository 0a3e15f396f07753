"""A whole round, from the call for applications to "kept in touch", with time moved forward.

A coordinator opens the round in the admin; forty librarians apply through the
public form and confirm by the link e-mailed to them; the coordinator accepts
them in bulk, matches them once applications close, adjusts the proposal and
publishes it; the topics planned in the calendar go live fortnight after
fortnight; partners answer their check-ins through the links e-mailed to them;
a silent partnership gets a reminder; the round closes and its stats say how
many partnerships kept in touch; two years later retention erases everyone.
Everything goes through the real admin and public views (Django's test client),
e-mails through the locmem mail box, the clock through time-machine.
"""

import datetime
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests.applications.test_round_applications import PROFILE
from tests.helpers import publish_proposal
from wagtail_iln.health import checkins as health
from wagtail_iln.models import (
    DiscussionIndexPage,
    DiscussionTopicPage,
    Enrolment,
    Participant,
    Partnership,
    Round,
)
from wagtail_iln.programme.blocks import RoundStatsBlock

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DAY = datetime.timedelta(days=1)
# Forty people from ten countries, all happy to talk in English.
COUNTRIES = [
    ("BR", "America/Sao_Paulo"),
    ("GB", "Europe/London"),
    ("FR", "Europe/Paris"),
    ("IN", "Asia/Kolkata"),
    ("KE", "Africa/Nairobi"),
    ("PE", "America/Lima"),
    ("AU", "Australia/Sydney"),
    ("CA", "America/Toronto"),
    ("GH", "Africa/Accra"),
    ("NZ", "Pacific/Auckland"),
]
PEOPLE = 40
ROUND_URLS = "wagtailsnippets_wagtail_iln_round"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("coordinator", "c@example.org", "pw")


class Clock:
    """Moves time forward, never back; each admin visit logs in afresh (sessions expire)."""

    def __init__(self, start, admin_user):
        self.now, self.admin_user = start, admin_user
        self.traveller = time_machine.travel(start, tick=False)
        self.traveller.start()

    def to(self, moment):
        assert moment >= self.now
        self.traveller.stop()
        self.now = moment
        self.traveller = time_machine.travel(moment, tick=False)
        self.traveller.start()

    def admin(self):
        client = Client()
        client.force_login(self.admin_user)
        return client

    def stop(self):
        self.traveller.stop()


@pytest.fixture
def clock(admin_user):
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    clock = Clock(start, admin_user)
    yield clock
    clock.stop()


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def on(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def link_in(message, pattern):
    return re.search(pattern, message.body).group(1)


def apply_through_the_form(page, number, capture):
    """A visitor of their own (their own address) fills in the form on the page."""
    visitor = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
    apply_url = soup(visitor.get(page.url)).select_one("a[data-iln-apply-link]")["href"]
    form = soup(visitor.get(apply_url)).select_one("form[data-iln-application-form]")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i["type"] == "hidden"}
    country, zone = COUNTRIES[number % len(COUNTRIES)]
    data.update(
        PROFILE,
        name=f"Librarian {number:02d}",
        email=f"librarian{number:02d}@example.org",
        country=country,
        time_zone=zone,
        languages=["en"],
        consent="on",
        website="",
    )
    with capture(execute=True):
        response = visitor.post(form["action"], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (message,) = [m for m in mail.outbox if m.to == [data["email"]]]
    confirm = link_in(message, r"http://testserver(/iln/rounds/confirm/\S+/)")
    visitor.get(confirm)
    assert visitor.post(confirm).status_code == 200


def test_a_whole_round(clock, site_root, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    today = timezone.localdate()
    closes = clock.now + 7 * DAY
    starts = today + 14 * DAY
    ends = starts + 56 * DAY

    # 1. The coordinator opens the round in the admin.
    admin = clock.admin()
    response = admin.post(
        reverse(f"{ROUND_URLS}:add"),
        {
            "name": "Round 12",
            "description": "Eight weeks, a topic a fortnight.",
            "status": "planning",
            "applications_open_at": (clock.now - DAY).strftime("%Y-%m-%d %H:%M"),
            "applications_close_at": closes.strftime("%Y-%m-%d %H:%M"),
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
        },
    )
    assert response.status_code == 302
    round = Round.objects.get()
    assert round.current_status == "applications_open"
    index = DiscussionIndexPage(title="Discussion", slug="discussion")
    site_root.add_child(instance=index)
    page = DiscussionTopicPage(
        title="Join the network",
        slug="join",
        body=[
            ("round_application_form", {"round": round, "heading": "Apply now"}),
            ("round_stats", {"round": round, "heading": "", "show_chart": False}),
            ("topic_calendar", {"round": round, "heading": ""}),
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page = Page.objects.get(pk=page.pk).specific

    # 2. Forty applications through the public form, each confirmed by its e-mailed link.
    for number in range(PEOPLE):
        apply_through_the_form(page, number, capture)
    assert Enrolment.objects.filter(status="applied").count() == PEOPLE

    # 3. The next day, the coordinator accepts them all at once from the review list.
    clock.to(clock.now + DAY)
    admin = clock.admin()
    review = reverse("wagtailsnippets_wagtail_iln_enrolment:review")
    assert len(soup(admin.get(review)).select("tbody tr")) == PEOPLE
    ids = "&".join(f"id={pk}" for pk in Enrolment.objects.values_list("pk", flat=True))
    accept = reverse("wagtail_bulk_action", args=["wagtail_iln", "enrolment", "accept"])
    mail.outbox.clear()
    with capture(execute=True):
        admin.post(f"{accept}?{ids}", {"next": review})
    assert Enrolment.objects.filter(status="accepted").count() == PEOPLE
    assert len(mail.outbox) == PEOPLE
    assert mail.outbox[0].subject == "You have a place in Round 12"

    # 4. Applications close: the form says so, and the round is being matched.
    clock.to(on(closes.date() + DAY))
    round.refresh_from_db()
    assert round.current_status == "matching"
    section = soup(Client().get(page.url)).select_one(".iln-application-block")
    assert section.select_one("[data-iln-apply-link]") is None
    assert "Apply" not in section.h2.get_text()

    # 5. Match, adjust (break a pair up, pair them again by hand), publish.
    admin = clock.admin()
    matching = reverse(f"{ROUND_URLS}:matching", args=[round.pk])
    weights = {
        "shared_language": "1",
        "working_hours": "0.5",
        "same_contact_frequency": "1",
        "shared_contact_method": "1",
        "workplace_kind": "0",
        "prefer_same_workplace_kind": "",
        "returning_with_newcomer": "0",
        "hopes": "1",
    }
    with capture(execute=True):
        admin.post(reverse(f"{ROUND_URLS}:matching_run", args=[round.pk]), weights)
    proposed = Partnership.objects.filter(status="proposed")
    assert proposed.count() == PEOPLE // 2
    first = proposed.order_by("pk").first()
    pair = list(first.members.values_list("enrolment_id", flat=True))
    action = reverse(f"{ROUND_URLS}:matching_action", args=[round.pk, "break"])
    # Breaking up asks first; confirmed, it is done.
    assert "Yes, break it up" in admin.post(action, {"partnership": first.pk}).content.decode()
    assert proposed.count() == PEOPLE // 2
    admin.post(action, {"partnership": first.pk, "confirm": "1"})
    assert proposed.count() == PEOPLE // 2 - 1
    action = reverse(f"{ROUND_URLS}:matching_action", args=[round.pk, "pair"])
    admin.post(action, {"enrolment": pair, "confirm": "1"})
    assert proposed.filter(pinned=True).count() == 1
    mail.outbox.clear()
    with capture(execute=True):
        response = publish_proposal(admin, round)
    assert any("has started" in message for message in messages_of(response))
    partnerships = list(Partnership.objects.filter(status="active").order_by("pk"))
    assert len(partnerships) == PEOPLE // 2
    assert {p.started_on for p in partnerships} == {starts}
    assert len(mail.outbox) == PEOPLE
    assert f"The partnership starts on {starts:%b}" in mail.outbox[0].body.replace(".", "")
    round.refresh_from_db()
    assert round.current_status == "running"
    published = soup(admin.get(matching)).select_one("[data-iln-matching-published]")
    assert published.select_one('[data-figure="partnerships"]').get_text() == str(PEOPLE // 2)

    # 6. The topic calendar: a topic every fortnight, scheduled as drafts.
    calendar = reverse(f"{ROUND_URLS}:calendar", args=[round.pk])
    rows = soup(admin.get(calendar)).select("[data-iln-calendar-row]")
    titles = ["Getting to know you", "Your workplace", "Your career", "Looking back"]
    admin.post(
        calendar,
        {
            "index": index.pk,
            "day": [row.select_one('[name="day"]')["value"] for row in rows],
            "title": titles + [""] * (len(rows) - len(titles)),
            "topic": [""] * len(rows),
        },
    )
    assert DiscussionTopicPage.objects.filter(round=round, live=False).count() == 4

    # 7. Fortnight after fortnight: the topic goes live, check-ins go out and are answered.
    silent, drifting = partnerships[0], partnerships[1]
    for fortnight, title in enumerate(titles):
        day = starts + fortnight * 14 * DAY
        clock.to(on(day, hour=8))
        call_command("publish_scheduled")
        topic = DiscussionTopicPage.objects.get(title=title)
        assert topic.live
        assert topic.discussion_opens == day
        this_fortnight = soup(Client().get(page.url)).select_one("[data-iln-current-topic] a")
        assert this_fortnight.get_text() == title
        mail.outbox.clear()
        with capture(execute=True):
            health.run()
        if fortnight == 0:
            continue  # the introduction opened the first fortnight
        check_ins = [m for m in mail.outbox if "/iln/check-in/" in m.body]
        assert len(check_ins) == PEOPLE
        clock.to(on(day + 2 * DAY if fortnight < 3 else day + 8 * DAY))
        visitor = Client()
        for message in check_ins:
            member = Participant.objects.get(email=message.to[0])
            partnership = Partnership.objects.get(members__enrolment__participant=member)
            if partnership == silent or (partnership == drifting and fortnight > 1):
                continue
            link = link_in(message, r"http://[^/\s]+(/iln/check-in/\S+/in_touch/)")
            with capture(execute=True):
                assert visitor.post(link).status_code == 200
        if fortnight == 1:
            # 8. Half-way through the fortnight the silent partnership is reminded.
            clock.to(on(day + 7 * DAY))
            mail.outbox.clear()
            with capture(execute=True):
                report = health.run()
            assert report.reminders == 1
            silent_people = {m.enrolment.participant.email for m in silent.members.all()}
            assert {m.to[0] for m in mail.outbox} == silent_people
            page_html = soup(clock.admin().get(reverse("iln_partnership_health:index")))
            assert "overdue" in page_html.get_text()

    # 9. The round closes after its end date: its partnerships end and the stats say who
    # kept in touch.
    clock.to(on(ends + DAY))
    with capture(execute=True):
        report = health.run()
    assert report.ended == PEOPLE // 2
    round.refresh_from_db()
    assert round.current_status == "closed"
    stats = soup(Client().get(page.url)).select_one(".iln-round-stats__kept-in-touch")
    kept = PEOPLE // 2 - 2
    assert stats.get_text(strip=True) == (
        f"{kept} of {PEOPLE // 2} partnerships kept in touch until the end of the round."
    )
    assert RoundStatsBlock().get_stats(round).kept_in_touch == kept
    section = soup(Client().get(page.url)).select_one(".iln-application-block")
    assert "Apply" not in section.h2.get_text()

    # 10. Two years on, retention erases everyone who took part.
    clock.to(on(ends + 731 * DAY))
    call_command("iln_apply_retention")
    assert Participant.objects.filter(erased_at__isnull=True).count() == 0
    assert not Participant.objects.filter(email__startswith="librarian").exists()
