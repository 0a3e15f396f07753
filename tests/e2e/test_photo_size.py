"""A photo too big to send, or a file that is no photo, is stopped in the browser, before
its upload, on a phone.

Its error is shown as the server shows one: at the field, and in the error
summary at the top of the form, which is focused and read out. Without
JavaScript the server refuses it (tests/photos).
"""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.helpers import phone_photo

from .test_accessibility import TOPICS, WIDTHS, axe_source, axe_violations  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

MESSAGES = {
    "en": "This photo is larger than 20.0 MB, the largest we accept.",
    "fr": "20,0 Mio",  # the size in French; the sentence once translated
}


@pytest.fixture(scope="module")
def too_big(tmp_path_factory):
    """A JPEG of 21 MB: a real photo, padded after its end."""
    path = tmp_path_factory.mktemp("photos") / "IMG_0042.JPG"
    path.write_bytes(phone_photo() + b"\0" * (21 * 1024 * 1024))
    return path


@contextmanager
def photo_form(browser, demo_server, language):
    """The topic's photo form, opened on a phone in ``language``: ``(page, form)``."""
    context = browser.new_context(viewport=WIDTHS["phone"], locale=language)
    page = context.new_page()
    try:
        page.goto(demo_server + TOPICS[language])
        page.locator("[data-iln-photo-form-open]").click()
        yield page, page.locator("form[data-iln-photo-form]")
    finally:
        context.close()


def send(page, form):
    """Press Send: ``(the error summary, once focused; the posts the page made)``."""
    # The form's post, not the gallery's lazy images that focusing the summary may bring in.
    sent = []
    page.on(
        "request",
        lambda request: sent.append(request.url) if request.method == "POST" else None,
    )
    form.locator("button[type=submit]").click()
    summary = form.locator(".iln-error-summary")
    expect(summary).to_be_focused()
    page.wait_for_timeout(500)  # time for an upload to have started
    return summary, sent


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_photo_too_big_is_not_uploaded_and_its_error_is_shown_and_read_out(
    browser,
    demo_server,
    artifacts_dir,
    axe_source,  # noqa: F811 - a fixture
    too_big,
    language,
):
    with photo_form(browser, demo_server, language) as (page, form):
        photo = form.locator("input[name=photo]")
        photo.set_input_files(str(too_big))
        field = form.locator(".iln-field--photo")
        expect(field).to_have_class("iln-field iln-field--photo iln-field--error")
        error = field.locator(".iln-field__errors .iln-field__error")
        expect(error).to_contain_text(MESSAGES[language])
        expect(photo).to_have_attribute("aria-invalid", "true")
        error_id = field.locator(".iln-field__errors").get_attribute("id")
        assert error_id in photo.get_attribute("aria-describedby").split()

        summary, sent = send(page, form)
        assert sent == []
        assert summary.get_attribute("role") == "alert"
        link = summary.locator("a")
        expect(link).to_have_count(1)
        expect(link).to_contain_text(MESSAGES[language])
        assert link.get_attribute("href") == "#" + photo.get_attribute("id")
        expect(summary).to_be_in_viewport()
        page.screenshot(path=str(artifacts_dir / f"photo-too-big-{language}.png"))
        assert axe_violations(page, axe_source) == []

        # The summary's link leads to the field, to choose another photo.
        link.click()
        expect(photo).to_be_focused()
        # A photo of the right size clears the error.
        photo.set_input_files(
            {"name": "IMG_0043.JPG", "mimeType": "image/jpeg", "buffer": phone_photo()}
        )
        expect(field.locator(".iln-field__errors")).to_have_count(0)
        expect(form.locator(".iln-error-summary")).to_have_count(0)
        expect(field).to_have_class("iln-field iln-field--photo")
        assert photo.get_attribute("aria-invalid") is None
        assert error_id not in (photo.get_attribute("aria-describedby") or "")
        expect(form.locator(".iln-photo-form__preview img")).to_have_count(1)


FORMAT_MESSAGES = {
    "en": "This file is not a JPEG, PNG, WebP or HEIC photo.",
    "es": "Este archivo no es una foto JPEG, PNG, WebP o HEIC.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_file_that_is_no_photo_is_not_uploaded_and_a_photo_of_unknown_type_goes(
    browser, demo_server, artifacts_dir, language
):
    with photo_form(browser, demo_server, language) as (page, form):
        photo = form.locator("input[name=photo]")
        field = form.locator(".iln-field--photo")
        # A short video chosen from the phone's gallery: small enough, but no photo.
        video = {"name": "IMG_0050.MOV", "mimeType": "video/quicktime", "buffer": b"\0" * 4096}
        photo.set_input_files(video)
        error = field.locator(".iln-field__errors .iln-field__error")
        expect(error).to_contain_text(FORMAT_MESSAGES[language])
        expect(photo).to_have_attribute("aria-invalid", "true")
        expect(form.locator(".iln-photo-form__preview img")).to_have_count(0)

        summary, sent = send(page, form)
        assert sent == []
        expect(summary.locator("a")).to_have_count(1)
        expect(summary.locator("a")).to_contain_text(FORMAT_MESSAGES[language])
        expect(field.locator(".iln-field__error")).to_have_count(1)
        page.screenshot(path=str(artifacts_dir / f"photo-not-a-photo-{language}.png"))

        # A photo whose type the browser does not know is the server's to judge: no error.
        for unknown in ["", "application/octet-stream"]:
            photo.set_input_files(
                {"name": "IMG_0052", "mimeType": unknown, "buffer": phone_photo()}
            )
            expect(field.locator(".iln-field__errors")).to_have_count(0)
            expect(form.locator(".iln-error-summary")).to_have_count(0)
            assert photo.get_attribute("aria-invalid") is None
            photo.set_input_files(video)
            expect(error).to_contain_text(FORMAT_MESSAGES[language])
