"""The #favouritefeature flow in a real browser: a visitor sends a photo, a moderator
approves it in the Wagtail admin, and the gallery shows it with its credit."""

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in, phone_photo

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"
PHOTO_TITLE = "The lending library cart"


def test_a_photo_goes_from_the_form_through_moderation_to_the_gallery(
    page, demo_server, artifacts_dir
):
    page.goto(demo_server + TOPIC_PATH)
    # The form is folded behind its button until the reader opens it.
    page.locator("[data-iln-photo-form-open]").click()
    form = page.locator("form[data-iln-photo-form]")
    form.locator("input[name=photo]").set_input_files(
        {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": phone_photo()}
    )
    # With JavaScript, the form previews the chosen photo before it is sent.
    expect(form.locator(".iln-photo-form__preview img")).to_have_count(1)
    form.locator("input[name=title]").fill(PHOTO_TITLE)
    form.locator("textarea[name=story]").fill("It brings books to every floor, every morning.")
    form.locator("input[name=credit_name]").fill("Aroha Ngata")
    form.locator("input[name=email]").fill("aroha@example.org")
    form.locator("select[name=country]").select_option("NZ")
    form.locator("input[name=workplace]").fill("Te Pātaka Library")
    form.locator("select[name=licence]").select_option("cc-by-4.0")
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="Send my photo").click()

    notice = page.locator(".iln-photo-form .iln-notice--success")
    assert "Thank you! Your photo has been sent." in notice.inner_text()
    page.screenshot(path=str(artifacts_dir / "photo-sent.png"))
    # Pending: nowhere on the public page.
    assert page.locator(".iln-gallery", has_text=PHOTO_TITLE).count() == 0

    log_in(page, demo_server)
    page.goto(demo_server + "/admin/iln/moderation/photos/")
    row = page.locator("tbody tr", has_text=PHOTO_TITLE)
    expect(row).to_have_count(1)
    # The thumbnail comes from the private photo view, which only moderators reach.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=row.locator("img").element_handle(),
    )
    row.get_by_role("link", name=PHOTO_TITLE).click()
    page.wait_for_url("**/inspect/*/")
    expect(page.locator("main").get_by_text("It brings books to every floor")).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "photo-moderation.png"), full_page=True)
    # The photo and the buttons to approve and reject it are in view together: no scrolling.
    window = page.viewport_size
    for element in ("img[alt='The lending library cart']", "form[data-iln-approve-form] button"):
        box = page.locator(f"main {element}").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= window["height"], element
    reject = page.locator("form[data-iln-reject-form] button").bounding_box()
    assert reject["y"] + reject["height"] <= window["height"]
    page.locator("form[data-iln-approve-form] button").click()
    expect(page.locator(".messages")).not_to_be_empty()

    page.goto(demo_server + TOPIC_PATH)
    photo = page.locator(".iln-gallery figure", has_text=PHOTO_TITLE)
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    assert "Photo: 'The lending library cart' by Aroha Ngata, CC BY 4.0" in photo.inner_text()
    assert "New Zealand" in photo.inner_text()
    page.screenshot(path=str(artifacts_dir / "photo-in-gallery.png"), full_page=True)
