"""Liking in a real browser: with JavaScript the count changes in place; without, the
form posts and the reader comes back to the same place with the new count."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"


def test_liking_a_topic_changes_the_count_without_reloading_the_page(page, demo_server):
    page.goto(demo_server + TOPIC_PATH)
    page.evaluate("window.ilnNotReloaded = true")
    like = page.locator("#iln-like-topic form")
    like.get_by_role("button", name="Like").click()

    expect(like.locator(".iln-like__count")).to_have_text("1 person likes this")
    expect(like.get_by_role("button", name="You like this")).to_be_disabled()
    assert page.evaluate("window.ilnNotReloaded") is True

    # The same browser, on a fresh visit: still one like, and it says so.
    page.reload()
    like = page.locator("#iln-like-topic form")
    expect(like.locator(".iln-like__count")).to_have_text("1 person likes this")
    expect(like.get_by_role("button", name="You like this")).to_be_disabled()


def test_liking_works_without_javascript(browser, demo_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(demo_server + TOPIC_PATH)
        before = page.locator("#iln-like-topic .iln-like__count").inner_text()
        page.locator("#iln-like-topic").get_by_role("button", name="Like").click()
        page.wait_for_url(f"**{TOPIC_PATH}?iln-liked=iln-like-topic#iln-like-topic")
        after = page.locator("#iln-like-topic .iln-like__count").inner_text()
        assert after != before
        assert after.endswith("like this") or after.endswith("likes this")
        expect(page.locator("#iln-like-topic button")).to_have_text("You like this")
    finally:
        context.close()
