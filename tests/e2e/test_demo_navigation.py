"""Finding one's way around the demo: menu, search, next and previous topic, error pages."""

import json
import subprocess
import sys

import pytest

from .conftest import EXAMPLE_DIR

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"


def test_menu_search_and_the_next_topic_in_french(page, demo_server):
    page.goto(demo_server + "/fr/")
    menu = page.locator(".site-menu a")
    assert menu.first.get_attribute("href") == "/fr/discussions/"
    search = page.get_by_role("searchbox", name="Chercher dans les sujets")
    search.fill("connaissance")
    search.press("Enter")
    page.wait_for_url("**/fr/iln/search/?q=connaissance")
    assert page.locator("html").get_attribute("lang") == "fr"
    results = page.locator("[data-iln-search-results] .iln-card__title")
    assert results.all_inner_texts() == ["Faisons connaissance : votre #favouritefeature"]
    results.first.get_by_role("link").click()
    page.wait_for_url("**/fr/discussions/faisons-connaissance/")
    # The only topic translated into French has no French neighbour.
    assert page.locator(".iln-topic-pager a").count() == 0


def test_an_untranslated_topic_offers_the_home_page_of_each_other_language(page, demo_server):
    page.goto(demo_server + "/discussion/professional-development/")
    french = page.locator(".iln-language-switcher a[hreflang=fr]")
    assert french.get_attribute("href") == "/fr/"
    assert "pas encore traduite" in french.inner_text()
    neighbours = page.get_by_role("navigation", name="More topics").get_by_role("link")
    hrefs = [neighbours.nth(i).get_attribute("href") for i in range(neighbours.count())]
    assert hrefs
    assert all(href.startswith("/discussion/") for href in hrefs)
    assert "/discussion/professional-development/" not in hrefs


def test_the_application_page_changes_language_from_the_switcher(page, demo_server):
    page.goto(demo_server + TOPIC_PATH)
    page.locator("a[data-iln-apply-link]").first.click()
    page.wait_for_load_state()
    switcher = page.locator(".iln-language-switcher")
    for name, code in [("Français", "fr"), ("Español", "es"), ("English", "en")]:
        switcher.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == code, page.url
        assert switcher.locator("[aria-current=true]").get_attribute("lang") == code
        assert page.locator("form[data-iln-application-form]").count() == 1, page.url


ERROR_PAGES = """
import json
from django.test import Client
from django.test.client import RequestFactory
from django.utils import translation
from django.views.defaults import server_error
from bs4 import BeautifulSoup

answers = {}
client = Client()
for prefix in ("", "/fr", "/es"):
    response = client.get(prefix + "/no-such-page/")
    html = BeautifulSoup(response.content, "html.parser")
    answers["404" + prefix] = [response.status_code, html.html["lang"], html.h1.get_text()]
    with translation.override(prefix.strip("/") or "en"):
        response = server_error(RequestFactory().get(prefix + "/"))
    html = BeautifulSoup(response.content, "html.parser")
    answers["500" + prefix] = [response.status_code, html.html["lang"], html.h1.get_text()]
print(json.dumps(answers))
"""


def answers_of(script, env):
    """What ``script``, run by the demo's ``manage.py shell``, prints last, as JSON."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_error_pages_speak_the_language_of_the_address(demo_env):
    answers = answers_of(ERROR_PAGES, {**demo_env, "ILN_DEBUG": "0"})
    assert answers == {
        "404": [404, "en", "Page not found"],
        "404/fr": [404, "fr", "Page introuvable"],
        "404/es": [404, "es", "Página no encontrada"],
        "500": [500, "en", "Something went wrong"],
        "500/fr": [500, "fr", "Une erreur s’est produite"],
        "500/es": [500, "es", "Algo ha fallado"],
    }


CHROME_QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from home.models import PrivacyPage

answers = {}
client = Client()
for notice in PrivacyPage.objects.live().select_related("locale"):
    client.get(notice.url)  # Wagtail's site root paths into the cache
    with CaptureQueriesContext(connection) as queries:
        html = client.get(notice.url).content.decode()
    answers[notice.locale.language_code] = {
        "queries": len(queries),
        "menu": html.count('class="site-menu"'),
        "privacy link": html.count("data-site-privacy"),
        "hreflang": html.count('rel="alternate" hreflang='),
    }
print(json.dumps(answers))
"""


def test_the_header_and_footer_find_the_home_page_its_menu_and_translations_once(demo_env):
    # The plainest page of the demo: what it costs is nearly all header and footer (the
    # site's name linking to the home page of the reader's language, the menu, the
    # language switcher, the hreflang links, the privacy notice's link). Each used to look
    # up the home page, its children or the page's translations for itself: 21 queries.
    answers = answers_of(CHROME_QUERIES, demo_env)
    assert set(answers) == {"en", "fr", "es"}
    for language, answer in answers.items():
        assert answer["menu"] == 1, language
        assert answer["privacy link"] == 1, language
        assert answer["hreflang"] == 3, language
        assert answer["queries"] <= 15, (language, answer["queries"])


def test_the_header_is_one_row_at_desktop_width_in_every_language(browser, demo_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    heights = {}
    try:
        for language, path in {
            "en": TOPIC_PATH,
            "fr": "/fr/discussions/faisons-connaissance/",
            "es": "/es/debates/conozcamonos/",
        }.items():
            page.goto(demo_server + path)
            header = page.locator(".site-header__inner")
            heights[language] = header.bounding_box()["height"]
            # One row: every part of the header shares the first one's top.
            tops = header.evaluate(
                "inner => Array.from(inner.children).map(child => child.getBoundingClientRect())"
                ".map(box => [box.top, box.bottom])"
            )
            assert max(top for top, _ in tops) < min(bottom for _, bottom in tops), language
    finally:
        context.close()
    assert heights["fr"] == heights["en"] == heights["es"]
