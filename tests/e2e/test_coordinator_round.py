"""A coordinator's round 12 in a real browser, with a screenshot of each admin step: the
home page's panels, the rounds list, the applications to review and the topic calendar."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in

pytestmark = pytest.mark.browser


def test_a_coordinator_follows_round_12_through_the_admin(page, demo_server, artifacts_dir):
    log_in(page, demo_server)

    # The home page: where the round is and what waits.
    page.goto(demo_server + "/admin/")
    current = page.locator("[data-iln-current-round]")
    assert current.locator('[data-figure="status"]').inner_text() == "Applications open"
    assert int(current.locator('[data-figure="applicants"]').inner_text()) > 200
    assert page.locator("[data-iln-moderation-queues]").is_visible()
    page.screenshot(path=str(artifacts_dir / "round-home-panels.png"), full_page=True)

    # One row per round, its translations in the row.
    page.goto(demo_server + "/admin/snippets/wagtail_iln/round/")
    rows = page.locator("table.listing > tbody > tr")
    assert rows.count() == 2
    row = rows.filter(has_text="Round 12")
    assert "fr: Session 12" in row.inner_text() and "es: Ronda 12" in row.inner_text()
    assert "Session 12" not in rows.filter(has_text="Round 11").inner_text()
    page.screenshot(path=str(artifacts_dir / "round-list.png"))

    # The applications waiting for a decision, with their filters.
    page.goto(demo_server + "/admin/snippets/wagtail_iln/enrolment/review/")
    assert page.locator("h1").inner_text().strip() == "Applications to review"
    page.screenshot(path=str(artifacts_dir / "round-applications-to-review.png"))

    # A row opens the application in full, with Accept and Decline; deciding is left for
    # another day here, so the other browser tests find round 12 as it was.
    page.locator("table.listing > tbody > tr").first.locator("td a").first.click()
    page.wait_for_url(re.compile(r"/enrolment/inspect/\d+/$"))
    application = page.locator("main").inner_text()
    assert "What I hope to get from a partnership" in application
    assert "Applied at" in application
    assert "e-mails" in page.locator("[data-iln-decision-email]").inner_text()
    # Beside the application and in view, as it opens and once it is read to its end.
    for _place in ("top", "end"):
        expect(page.get_by_role("link", name="Accept", exact=True)).to_be_in_viewport()
        expect(page.get_by_role("link", name="Decline", exact=True)).to_be_in_viewport()
        page.keyboard.press("End")
    page.screenshot(path=str(artifacts_dir / "round-application.png"), full_page=True)

    # The topic calendar: a date every fortnight; the first one planned.
    page.goto(demo_server + "/admin/snippets/wagtail_iln/round/")
    row = page.locator("tbody tr", has_text="Round 12")
    row.get_by_role("button", name=re.compile("More options")).click()
    row.get_by_role("link", name="Topic calendar").click()
    page.wait_for_url(re.compile(r"/round/calendar/\d+/$"))
    calendar_rows = page.locator("[data-iln-calendar-row]")
    assert calendar_rows.count() >= 10
    calendar_rows.first.locator('[name="title"]').fill("Getting to know you")
    page.get_by_role("button", name="Save the calendar").click()
    assert "The calendar has 1 topic" in page.locator(".messages").inner_text()
    assert "Scheduled for" in page.locator("[data-iln-calendar-row]").first.inner_text()
    page.screenshot(path=str(artifacts_dir / "round-topic-calendar.png"), full_page=True)
