"""The demo site in a real browser: the topic page, its French translation, hashtags."""

import os
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in

from .conftest import REPO_DIR

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"
TOPIC_TITLE = "Getting to know you and your #favouritefeature"


def foreign_requests(urls):
    """The requested URLs that would leave the machine."""
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob", "about")
        and urlsplit(url).hostname != "127.0.0.1"
    ]


def test_topic_page(page, demo_server, artifacts_dir):
    response = page.goto(demo_server + TOPIC_PATH)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == TOPIC_TITLE

    headings = page.locator(".iln-prompt h2").all_inner_texts()
    assert headings == ["Your workplace", "You", "Your partnership", "Returning participants"]
    assert page.locator(".iln-prompt").first.locator("li").count() == 3

    credit = page.locator(".iln-hero figcaption")
    assert credit.inner_text().strip() == (
        "Photo: 'Reading room at dusk' by wagtail-iln contributors, CC0 1.0"
    )
    assert credit.get_by_role("link", name="CC0 1.0").get_attribute("href") == (
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    hero = page.locator(".iln-hero img")
    assert hero.evaluate("img => img.complete && img.naturalWidth") == 1280

    window = page.locator(".iln-window--open")
    assert window.inner_text().startswith("Discuss until ")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", window.locator("time").get_attribute("datetime"))

    hashtags = page.locator(".iln-cta__hashtags").inner_text()
    assert "#favouritefeature" in hashtags
    assert "#PeersRound12" in hashtags

    # The body image is lazy: bring it into view so it loads, and shows in the screenshot.
    body_image = page.locator(".iln-topic__body .iln-figure img")
    body_image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=body_image.element_handle()
    )
    assert "A wall of books" in page.locator(".iln-topic__body .iln-figure figcaption").inner_text()

    page.wait_for_load_state("networkidle")
    assert page.requested_urls, "the page requested nothing, not even itself"
    assert foreign_requests(page.requested_urls) == []

    page.screenshot(path=str(artifacts_dir / "demo-topic.png"), full_page=True)
    # The application has its own page: the topic stays short enough to read through.
    # Less its comments and its gallery's photos, which other tests of the same demo add to.
    height = page.evaluate(
        "document.documentElement.scrollHeight"
        " - (document.querySelector('.iln-comment-list')?.offsetHeight || 0)"
        " - (document.querySelector('.iln-gallery__photos')?.offsetHeight || 0)"
    )
    print(f"topic page height at 1280 px, less its comments and photos: {height} px")
    assert height < 4400
    if os.environ.get("ILN_DOCS_SCREENSHOT") == "1":
        save_docs_screenshot(page)


def save_docs_screenshot(page):
    """Refresh the README's screenshot: ``ILN_DOCS_SCREENSHOT=1 pytest tests/e2e``."""
    import io

    from PIL import Image

    page.evaluate("window.scrollTo(0, 0)")
    png = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target = REPO_DIR / "docs" / "screenshot-topic.png"
    target.parent.mkdir(exist_ok=True)
    image.save(target, optimize=True)


def test_french_translation(page, demo_server):
    page.goto(demo_server + TOPIC_PATH)
    page.locator(".iln-language-switcher").get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/discussions/faisons-connaissance/")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Faisons connaissance : votre #favouritefeature"
    assert page.locator(".iln-prompt h2").all_inner_texts() == [
        "Votre lieu de travail",
        "Vous",
        "Votre binôme",
        "Anciens participants",
    ]
    assert (
        "Les candidatures à la session 12 sont ouvertes"
        in page.locator(".iln-topic__intro").inner_text()
    )
    assert page.locator(".iln-language-switcher [aria-current]").inner_text() == "Français"
    assert "Une démonstration de wagtail-iln" in page.locator(".site-footer").inner_text()
    # The topic links back to the French index, and its hashtags filter that index.
    index_link = page.locator(".iln-breadcrumbs li:nth-last-child(2) a")
    assert index_link.get_attribute("href") == "/fr/discussions/"
    assert foreign_requests(page.requested_urls) == []


def test_spanish_translation(page, demo_server):
    page.goto(demo_server + "/es/debates/conozcamonos/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Conozcámonos: tu #favouritefeature"
    assert "Participantes que repiten" in page.locator(".iln-prompt h2").all_inner_texts()


def test_index_hashtag_filter(page, demo_server):
    page.goto(demo_server + "/discussion/")
    assert page.locator("h1").inner_text() == "Discussion"
    titles = page.locator(".iln-card__title").all_inner_texts()
    assert titles == [TOPIC_TITLE, "Your partnership: setting goals", "Professional development"]

    newest = page.locator(".iln-card").first
    newest.locator(".iln-hashtags").get_by_role("link", name="#favouritefeature").click()
    page.wait_for_url("**/discussion/?tag=favouritefeature")

    assert page.locator(".iln-card__title").all_inner_texts() == [TOPIC_TITLE]
    assert "#favouritefeature" in page.locator(".iln-index__filter").inner_text()

    page.goto(demo_server + "/discussion/?tag=peersround11")
    assert page.locator(".iln-card__title").all_inner_texts() == [
        "Your partnership: setting goals",
        "Professional development",
    ]


def test_closed_topic(page, demo_server):
    page.goto(demo_server + "/discussion/professional-development/")
    assert page.locator(".iln-window--closed").count() == 1
    assert page.locator(".iln-window--open").count() == 0


def test_home_page(page, demo_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(demo_server + "/")
    page.wait_for_load_state("networkidle")
    assert errors == []  # the site's icon too: no /favicon.ico asked for in vain
    assert page.locator("h1").inner_text() == "Welcome"
    assert page.locator(".iln-card__title").first.inner_text() == TOPIC_TITLE
    assert page.locator(".site-footer").is_visible()
    page.locator(".iln-language-switcher").get_by_role("link", name="Español").click()
    page.wait_for_url(demo_server + "/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".iln-card__title").all_inner_texts() == [
        "Conozcámonos: tu #favouritefeature"
    ]


TRANSLATED_TOPICS = {
    "fr": (
        "/fr/discussions/faisons-connaissance/",
        "Photo : « Salle de lecture au crépuscule » par les contributeurs de wagtail-iln, CC0 1.0",
        "Dessin d'une salle de lecture",
    ),
    "es": (
        "/es/debates/conozcamonos/",
        "Foto: «Sala de lectura al atardecer» de los colaboradores de wagtail-iln, CC0 1.0",
        "Dibujo de una sala de lectura",
    ),
}


@pytest.mark.parametrize("language", TRANSLATED_TOPICS)
def test_a_translated_topic_describes_and_credits_its_images_in_its_language(
    page, demo_server, language
):
    path, credit, alt = TRANSLATED_TOPICS[language]
    page.goto(demo_server + path)
    caption = page.locator(".iln-hero figcaption").inner_text()
    # French puts no-break spaces inside its quotation marks.
    assert caption.replace("\xa0", " ").strip() == credit
    assert page.locator(".iln-hero img").get_attribute("alt").startswith(alt)
    body_alts = page.locator(".iln-topic__body .iln-figure img").evaluate_all(
        "images => images.map(image => image.alt)"
    )
    assert body_alts
    assert all(text.startswith(alt.split()[0]) for text in body_alts)


def test_the_demo_texts_agree_with_the_rounds_dates(page, demo_server):
    page.goto(demo_server + TOPIC_PATH)
    intro = page.locator(".iln-topic__intro").inner_text()
    # Round 12 takes applications: it has not started.
    assert "starts today" not in intro
    assert "Round 12 takes applications now" in intro
    assert page.locator("a[data-iln-apply-link]").count() >= 1
    # The older topics are round 11's, published while it ran, last year; their
    # discussions are closed.
    page.goto(demo_server + "/discussion/?tag=peersround11")
    dates = page.locator(".iln-card__date time").evaluate_all(
        "times => times.map(time => time.getAttribute('datetime'))"
    )
    this_year = page.evaluate("new Date().getFullYear()")
    assert len(dates) == 2
    assert all(int(date[:4]) == this_year - 1 for date in dates)
    page.goto(demo_server + "/discussion/setting-goals/")
    assert page.locator(".iln-window--closed").count() == 1


@pytest.mark.parametrize(
    "home, privacy_path, title",
    [
        ("/", "/privacy/", "Privacy"),
        ("/fr/", "/fr/confidentialite/", "Confidentialité"),
        ("/es/", "/es/privacidad/", "Privacidad"),
    ],
)
def test_the_privacy_notice_is_linked_from_the_footer_the_forms_and_my_data(
    page, demo_server, home, privacy_path, title
):
    page.goto(demo_server + home)
    link = page.locator(".site-footer a[data-site-privacy]")
    assert link.get_attribute("href") == privacy_path
    link.click()
    page.wait_for_url(demo_server + privacy_path)
    assert page.locator("h1").inner_text() == title
    assert page.locator("main nav.iln-breadcrumbs [aria-current=page]").inner_text() == title
    page.goto(demo_server + home.rstrip("/") + "/iln/my-data/")
    assert page.locator("main a[data-iln-privacy-link]").get_attribute("href") == privacy_path
    page.goto(demo_server + home)
    page.locator(".iln-card__title a").first.click()
    page.wait_for_load_state()
    notes = page.locator(".iln-privacy-note a[data-iln-privacy-link]")
    assert notes.count() >= 2  # the photo and the comment forms
    assert set(notes.evaluate_all("links => links.map(link => link.getAttribute('href'))")) == {
        privacy_path
    }


def test_the_demo_coordinator_can_save_their_account_settings(page, demo_server):
    # Wagtail's account page saves the admin's language with their name: the demo's
    # coordinator has one, so choosing French (or any setting) saves at once.
    log_in(page, demo_server)
    page.goto(demo_server + "/admin/account/")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text(
        "Your account settings have been changed successfully!"
    )
