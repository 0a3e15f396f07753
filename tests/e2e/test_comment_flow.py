"""The open discussion in a real browser: a visitor comments on the English page, a
moderator approves it in the admin, and it shows on the English and the French page."""

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in

pytestmark = pytest.mark.browser

ENGLISH_PATH = "/discussion/getting-to-know-you/"
FRENCH_PATH = "/fr/discussions/faisons-connaissance/"
COMMENT = "Our library lends ukuleles, and the waiting list is long!"


def test_a_comment_is_held_approved_and_shown_in_both_languages(page, demo_server, artifacts_dir):
    page.goto(demo_server + ENGLISH_PATH)
    # The form is folded behind its button until the reader opens it.
    page.locator("[data-iln-comment-form-open]").click()
    form = page.locator("#comment-form")
    form.locator("input[name=name]").fill("Kalani")
    form.locator("input[name=email]").fill("kalani@example.org")
    form.locator("textarea[name=body]").fill(COMMENT)
    form.get_by_role("button", name="Post comment").click()
    notice = page.locator(".iln-comments .iln-notice--success")
    assert "will appear once a moderator has approved it" in notice.inner_text()
    assert page.locator(".iln-comment", has_text=COMMENT).count() == 0

    log_in(page, demo_server)
    page.goto(demo_server + "/admin/iln/moderation/comments/")
    row = page.locator("tbody tr", has_text="Kalani")
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    page.wait_for_url("**/inspect/*/")
    expect(page.locator("main").get_by_text(COMMENT)).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "comment-moderation.png"), full_page=True)
    page.locator("form[data-iln-approve-form] button").click()
    expect(page.locator(".messages")).not_to_be_empty()

    page.goto(demo_server + ENGLISH_PATH)
    english = page.locator(".iln-comment", has_text=COMMENT)
    expect(english).to_have_count(1)
    assert english.locator(".iln-comment__language").count() == 0
    english.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "comment-english.png"), full_page=True)

    page.goto(demo_server + FRENCH_PATH)
    assert page.locator("html").get_attribute("lang") == "fr"
    french = page.locator(".iln-comment", has_text=COMMENT)
    expect(french).to_have_count(1)
    # Written on the English page: marked with its language on the French one.
    # The note is French, lower-case mid-sentence; the comment's text is marked English.
    assert french.locator(".iln-comment__language").inner_text() == "écrit en anglais"
    assert french.locator(".iln-comment__body").get_attribute("lang") == "en"
    page.screenshot(path=str(artifacts_dir / "comment-french.png"), full_page=True)
