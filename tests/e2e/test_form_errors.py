"""A form sent with mistakes comes back at the form, with or without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"
FORMS = {
    "photo": "form[data-iln-photo-form]",
    "comment": "#comment-form",
    "application": "form[data-iln-application-form]",
}
# A field each form keeps as typed.
KEPT = {"photo": "title", "comment": "name", "application": "name"}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
@pytest.mark.parametrize("kind", FORMS)
def test_the_error_summary_is_in_view_after_a_post_with_mistakes(
    browser, demo_server, artifacts_dir, kind, javascript
):
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(demo_server + TOPIC_PATH)
        if kind == "application":
            # The application has a page of its own; the topic links to it.
            page.locator("a[data-iln-apply-link]").click()
            page.wait_for_load_state()
        else:
            # The photo and comment forms are folded behind a button until opened.
            page.locator(f"[data-iln-{kind}-form-open]").click()
        form = page.locator(FORMS[kind])
        form_id = form.get_attribute("id")
        form.locator("input[name=email]").fill("not an address")
        form.locator(f"input[name={KEPT[kind]}]").fill("Ana")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

        assert page.url.endswith(f"#{form_id}")
        summary = page.locator(f"#{form_id} .iln-error-summary")
        assert summary.get_attribute("role") == "alert"
        expect(summary).to_be_in_viewport()
        if javascript:
            expect(summary).to_be_focused()
        else:
            # The address's fragment focuses the form, which the summary opens.
            expect(page.locator(f"#{form_id}")).to_be_focused()
        expect(summary.locator("a").first).to_be_in_viewport()
        # What was typed is kept.
        expect(page.locator(f"#{form_id} input[name={KEPT[kind]}]")).to_have_value("Ana")
        # The field in error is outlined in red; one without an error is not.
        email = page.locator(f"#{form_id} input[name=email]")
        expect(email).to_have_css("border-top-color", "rgb(176, 0, 32)")
        kept = page.locator(f"#{form_id} input[name={KEPT[kind]}]")
        expect(kept).not_to_have_css("border-top-color", "rgb(176, 0, 32)")
        page.screenshot(path=str(artifacts_dir / f"errors-{kind}-{javascript}.png"))
        # The first link takes the reader to its field.
        summary.locator("a").first.click()
        target = summary.locator("a").first.get_attribute("href")
        assert page.url.endswith(target)
    finally:
        context.close()
