import copy

from bs4 import BeautifulSoup
from django.conf import settings
from django.test import override_settings

from tests.settings import TESTS_DIR


def site_templates():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [TESTS_DIR / "site_templates", *templates[0]["DIRS"]]
    return templates


def test_a_site_overrides_a_template_by_placing_one_at_the_same_path(client, topic_page):
    with override_settings(TEMPLATES=site_templates()):
        page = BeautifulSoup(client.get(topic_page.url).content, "html.parser")
    assert page.select_one(".site-hero").get_text() == f"Our own hero for {topic_page.title}"
    assert page.select_one(".iln-hero") is None
    # The rest of the app's template still renders around the overridden block.
    assert page.h1.get_text() == topic_page.title
    assert page.select(".iln-prompt")


@override_settings(WAGTAIL_ILN={"BASE_TEMPLATE": "other_base.html"})
def test_pages_extend_the_configured_base_template(client, topic_page, index_page):
    for url in (topic_page.url, index_page.url):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        assert page.body["class"] == ["other-base"]
        assert page.header.get_text() == "Programme site"
        assert page.find("main", id="main")


def test_pages_use_the_sites_base_html_by_default(client, topic_page):
    page = BeautifulSoup(client.get(topic_page.url).content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.title.get_text() == topic_page.title


def test_every_image_has_alt_text_and_the_page_one_h1(client, topic_page, index_page):
    for url in (topic_page.url, index_page.url):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        assert len(page.find_all("h1")) == 1
        assert len(page.find_all("main")) == 1
        for img in page.find_all("img"):
            assert img.get("alt"), img
            assert img.get("width") and img.get("height")
