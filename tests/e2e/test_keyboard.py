"""A participant who uses only the keyboard sends the photo, comment and application forms.

Tab and Shift+Tab move the focus, Enter and Space press, arrow keys and typing
choose; the file of the photo is set on the focused file input, as a file
chooser would. At every stop the focused element shows a focus ring (an
outline or a box shadow, read from its computed style), and a form sent with
mistakes puts the focus on its error summary, whose links move it to the field.
"""

import pytest
from playwright.sync_api import expect

from tests.helpers import phone_photo

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"
MOST_TAB_STOPS = 400

FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
    const box = element.getBoundingClientRect();
    return {
        element: element.outerHTML.slice(0, 120),
        visible: (outline || shadow) && box.width > 0 && box.height > 0,
        style: `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`,
    };
}"""


def assert_focus_visible(page):
    focus = page.evaluate(FOCUS)
    assert focus is not None, "nothing has the focus"
    assert focus["visible"], f"no visible focus on {focus['element']} ({focus['style']})"
    return focus


def tab_to(page, selector, backwards=False):
    """Press Tab (Shift+Tab backwards) until ``selector`` has the focus, each stop visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _stop in range(MOST_TAB_STOPS):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(selector)
    raise AssertionError(f"{key} never reached {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def send_with_enter(page):
    """Press Enter on the focused submit button and wait for the answer to have loaded."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")


def follow_the_first_error(page, form_id):
    """After a post with mistakes: the summary has the focus; its first link moves it on."""
    summary = page.locator(f"#{form_id} .iln-error-summary")
    expect(summary).to_be_focused()
    assert_focus_visible(page)
    link = summary.locator("a").first
    field_id = link.get_attribute("href").lstrip("#")
    tab_to(page, f"#{form_id} .iln-error-summary a")
    page.keyboard.press("Enter")
    page.wait_for_function("id => document.activeElement.id === id", arg=field_id)
    assert_focus_visible(page)
    return field_id


@pytest.fixture
def keyboard_page(browser, demo_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_the_photo_form_with_the_keyboard_only(keyboard_page, demo_server, artifacts_dir):
    page = keyboard_page
    page.goto(demo_server + TOPIC_PATH)
    tab_to(page, "[data-iln-photo-form-open]")
    page.keyboard.press("Enter")
    form = page.locator("form[data-iln-photo-form]")
    expect(form).to_be_visible()
    form_id = form.get_attribute("id")
    # Sent without a photo or a title.
    type_into(page, "form[data-iln-photo-form] input[name=email]", "not an address")
    tab_to(page, "form[data-iln-photo-form] button[type=submit]")
    send_with_enter(page)
    assert follow_the_first_error(page, form_id).endswith("-photo")
    page.screenshot(path=str(artifacts_dir / "keyboard-photo-errors.png"))

    # Back up to the form's top, then down through it.
    tab_to(page, f"#{form_id} .iln-error-summary a", backwards=True)
    file_input = tab_to(page, f"#{form_id} input[name=photo]")
    file_input.set_input_files(
        {"name": "IMG_0002.JPG", "mimeType": "image/jpeg", "buffer": phone_photo((60, 140, 90))}
    )
    expect(form.locator(".iln-photo-form__preview img")).to_have_count(1)
    type_into(page, f"#{form_id} input[name=title]", "The reading garden")
    type_into(page, f"#{form_id} textarea[name=story]", "Readers take their books outside.")
    type_into(page, f"#{form_id} input[name=credit_name]", "Mele Tupou")
    email = tab_to(page, f"#{form_id} input[name=email]")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("mele@example.org")
    assert email.input_value() == "mele@example.org"
    type_into(page, f"#{form_id} select[name=country]", "Tonga")
    assert form.locator("select[name=country]").input_value() == "TO"
    type_into(page, f"#{form_id} input[name=workplace]", "Nuku'alofa Public Library")
    tab_to(page, f"#{form_id} select[name=licence]")
    page.keyboard.press("ArrowDown")
    assert form.locator("select[name=licence]").input_value() != ""
    tab_to(page, f"#{form_id} input[name=consent]")
    page.keyboard.press("Space")
    expect(form.locator("input[name=consent]")).to_be_checked()
    tab_to(page, f"#{form_id} button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**iln-photo-sent=*")
    notice = page.locator(".iln-photo-form .iln-notice--success")
    expect(notice).to_contain_text("Thank you! Your photo has been sent.")


def test_the_comment_form_with_the_keyboard_only(keyboard_page, demo_server):
    page = keyboard_page
    page.goto(demo_server + TOPIC_PATH)
    tab_to(page, "[data-iln-comment-form-open]")
    page.keyboard.press("Space")
    form = page.locator("#comment-form")
    expect(form).to_be_visible()
    type_into(page, "#comment-form input[name=name]", "Tevita")
    type_into(page, "#comment-form input[name=email]", "tevita@example")
    tab_to(page, "#comment-form button[type=submit]")
    send_with_enter(page)
    field_id = follow_the_first_error(page, "comment-form")
    # The address is wrong and there is no comment: the address comes first.
    assert field_id.endswith("email")

    email = page.locator("#comment-form input[name=email]")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("tevita@example.org")
    assert email.input_value() == "tevita@example.org"
    type_into(page, "#comment-form textarea[name=body]", "Our mobile library reaches 30 villages.")
    tab_to(page, "#comment-form button[type=submit]")
    page.keyboard.press("Enter")
    notice = page.locator(".iln-comments .iln-notice--success")
    expect(notice).to_contain_text("will appear once a moderator has approved it")


def test_the_application_form_with_the_keyboard_only(keyboard_page, demo_server):
    page = keyboard_page
    page.goto(demo_server + TOPIC_PATH)
    tab_to(page, "a[data-iln-apply-link]")
    page.keyboard.press("Enter")
    form = page.locator("form[data-iln-application-form]")
    expect(form).to_be_visible()
    form_id = form.get_attribute("id")
    type_into(page, f"#{form_id} input[name=name]", "Losa")
    tab_to(page, f"#{form_id} button[type=submit]")
    send_with_enter(page)
    assert follow_the_first_error(page, form_id).endswith("-email")

    # The focus is on the address: on through the form from there.
    page.keyboard.type("losa@example.org")
    type_into(page, f"#{form_id} select[name=country]", "Samoa")
    assert form.locator("select[name=country]").input_value() == "WS"
    tab_to(page, f"#{form_id} select[name=time_zone]")
    page.keyboard.type("Samoa")
    assert form.locator("select[name=time_zone]").input_value() == "Pacific/Apia"
    tab_to(page, f"#{form_id} select[name=languages]")
    page.keyboard.press("ArrowDown")
    assert (
        form.locator("select[name=languages]").evaluate(
            "select => Array.from(select.selectedOptions).length"
        )
        >= 1
    )
    tab_to(page, f"#{form_id} select[name=workplace_kind]")
    page.keyboard.press("ArrowDown")
    assert form.locator("select[name=workplace_kind]").input_value() != ""
    type_into(page, f"#{form_id} textarea[name=hopes_partnership]", "A partner far away.")
    tab_to(page, f"#{form_id} input[name=contact_frequency]")
    page.keyboard.press("ArrowDown")
    assert form.locator("input[name=contact_frequency]:checked").count() == 1
    tab_to(page, f"#{form_id} input[name=consent]")
    page.keyboard.press("Space")
    expect(form.locator("input[name=consent]")).to_be_checked()
    tab_to(page, f"#{form_id} button[type=submit]")
    page.keyboard.press("Enter")
    notice = page.locator(".iln-application-form .iln-notice--success")
    expect(notice).to_contain_text("We have sent you an e-mail with a link.")
