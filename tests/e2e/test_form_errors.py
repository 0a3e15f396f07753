"""A form sent with mistakes comes back at the form, with or without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
@pytest.mark.parametrize(
    "form_selector", ["form[data-iln-photo-form]", "#comment-form"], ids=["photo", "comment"]
)
def test_the_error_summary_is_in_view_after_a_post_with_mistakes(
    browser, demo_server, artifacts_dir, form_selector, javascript
):
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(demo_server + TOPIC_PATH)
        form = page.locator(form_selector)
        form_id = form.get_attribute("id")
        form.locator("input[name=email]").fill("not an address")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

        assert page.url.endswith(f"#{form_id}")
        summary = page.locator(f"#{form_id} .iln-error-summary")
        expect(summary).to_be_in_viewport()
        expect(summary.locator("a").first).to_be_in_viewport()
        page.screenshot(path=str(artifacts_dir / f"errors-{form_id}-{javascript}.png"))
        # The first link takes the reader to its field.
        summary.locator("a").first.click()
        target = summary.locator("a").first.get_attribute("href")
        assert page.url.endswith(target)
    finally:
        context.close()
