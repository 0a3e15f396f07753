"""Liking in a real browser: with JavaScript the count changes in place; without, the
form posts and the reader comes back to the same place with the new count."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"

# The contrast ratio (WCAG 2) of an element's text against the first opaque background
# behind it, with the element's opacity applied to its text.
CONTRAST = """element => {
    const rgba = value => value.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
        const [R, G, B] = [r, g, b].map(c => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    let back = null;
    for (let node = element; node && !back; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour.length < 4 || colour[3] === 1) back = colour.slice(0, 3);
    }
    back = back || [255, 255, 255];
    const style = getComputedStyle(element);
    const [r, g, b, a = 1] = rgba(style.color);
    const alpha = a * Number(style.opacity);
    const text = [r, g, b].map((c, i) => c * alpha + back[i] * (1 - alpha));
    const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
}"""


def contrast(locator):
    return locator.evaluate(CONTRAST)


def test_liking_a_topic_changes_the_count_without_reloading_the_page(page, demo_server):
    page.goto(demo_server + TOPIC_PATH)
    page.evaluate("window.ilnNotReloaded = true")
    like = page.locator("#iln-like-topic form")
    like.get_by_role("button", name="Like this topic", exact=True).click()

    expect(like.locator(".iln-like__count")).to_have_text("1 person likes this")
    liked = like.get_by_role("button", name="You like this topic", exact=True)
    expect(liked).to_be_disabled()
    assert page.evaluate("window.ilnNotReloaded") is True
    # A disabled button is greyed out by the browser: this one stays as readable as text.
    assert contrast(liked) >= 4.5

    # The same browser, on a fresh visit: still one like, and it says so.
    page.reload()
    like = page.locator("#iln-like-topic form")
    expect(like.locator(".iln-like__count")).to_have_text("1 person likes this")
    expect(like.get_by_role("button", name="You like this topic", exact=True)).to_be_disabled()


def test_liking_works_without_javascript(browser, demo_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(demo_server + TOPIC_PATH)
        before = page.locator("#iln-like-topic .iln-like__count").inner_text()
        page.locator("#iln-like-topic").get_by_role("button", name="Like this topic").click()
        page.wait_for_url(f"**{TOPIC_PATH}?iln-liked=iln-like-topic#iln-like-topic")
        after = page.locator("#iln-like-topic .iln-like__count").inner_text()
        assert after != before
        assert after.endswith("like this") or after.endswith("likes this")
        expect(page.locator("#iln-like-topic button")).to_have_text("You like this topic")
    finally:
        context.close()


def test_a_photo_liked_here_says_so_on_later_visits_to_the_cached_gallery(
    page, demo_server, artifacts_dir
):
    page.goto(demo_server + TOPIC_PATH)
    photo = page.locator(".iln-photo").first
    photo_id = photo.get_attribute("id")
    like = photo.locator("form[data-iln-like]")
    before = like.locator(".iln-like__count").inner_text()
    like.get_by_role("button", name="Like").click()
    expect(like.get_by_role("button", name="You like this")).to_be_disabled()
    after = like.locator(".iln-like__count").inner_text()
    assert after != before

    # The gallery is the same for every reader; this browser remembers its like.
    page.reload()
    like = page.locator(f"#{photo_id} form[data-iln-like]")
    expect(like.locator(".iln-like__count")).to_have_text(after)
    expect(like.get_by_role("button", name="You like this")).to_be_disabled()
    expect(like).to_have_count(1)
    like.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "gallery-liked-on-a-later-visit.png"))
    others = page.locator(f".iln-photo:not(#{photo_id}) form[data-iln-like] button")
    for index in range(others.count()):
        expect(others.nth(index)).to_have_text("Like")

    # Another browser sees the count, not someone else's like as its own.
    other = page.context.browser.new_context(locale="en-GB")
    try:
        stranger = other.new_page()
        stranger.goto(demo_server + TOPIC_PATH)
        like = stranger.locator(f"#{photo_id} form[data-iln-like]")
        expect(like.locator(".iln-like__count")).to_have_text(after)
        expect(like.get_by_role("button", name="Like")).to_be_enabled()
    finally:
        other.close()
