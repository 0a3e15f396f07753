"""A topic's link shared on a social network shows a card: title, description, image, locales."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from wagtail_iln.conf import get_setting


def card(client, page):
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    meta = {}
    for tag in html.head.select("meta[property], meta[name]"):
        key = tag.get("property") or tag.get("name")
        meta.setdefault(key, []).append(tag["content"])
    return meta


@pytest.fixture
def translated_topic(topic_page, site_root):
    topic_page.intro = "Tell your partner about <your> library & its best corner."
    topic_page.save_revision().publish()
    for code in ("fr", "es"):
        locale = Locale.objects.create(language_code=code)
        for page in (site_root, topic_page.get_parent()):
            page.copy_for_translation(locale).save_revision().publish()
    topic_page.copy_for_translation(
        Locale.objects.get(language_code="fr")
    ).save_revision().publish()
    # A draft translation is not an alternate.
    topic_page.copy_for_translation(Locale.objects.get(language_code="es")).save_revision()
    return topic_page


def test_a_topic_page_carries_open_graph_and_twitter_meta(client, translated_topic):
    meta = card(client, translated_topic)
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == meta["twitter:title"] == [translated_topic.title]
    description = "Tell your partner about <your> library & its best corner."
    assert meta["og:description"] == meta["twitter:description"] == [description]
    assert meta["og:url"] == [f"http://localhost{translated_topic.url}"]
    assert meta["og:locale"] == ["en_GB"]
    assert meta["og:locale:alternate"] == ["fr_FR"]
    rendition = translated_topic.hero_image.get_rendition(get_setting("HERO_IMAGE_FILTER"))
    [image] = meta["og:image"]
    assert image.startswith("http://") and image.endswith(rendition.url)
    assert meta["twitter:image"] == [image]
    assert meta["og:image:width"] == [str(rendition.width)]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["og:image:alt"][0]


def test_the_translation_names_its_own_locale_and_the_original_as_alternate(
    client, translated_topic
):
    french = translated_topic.get_translation(Locale.objects.get(language_code="fr"))
    meta = card(client, french)
    assert meta["og:locale"] == ["fr_FR"]
    assert meta["og:locale:alternate"] == ["en_GB"]
    assert meta["og:url"][0].endswith(french.url)


def test_without_a_hero_image_the_card_is_a_summary_without_image(client, topic_page):
    topic_page.hero_image = None
    topic_page.save_revision().publish()
    meta = card(client, topic_page)
    assert meta["twitter:card"] == ["summary"]
    assert "og:image" not in meta and "twitter:image" not in meta


def test_other_pages_carry_no_card(client, index_page):
    assert "og:title" not in card(client, index_page)


def test_the_card_follows_its_hero_images_description_and_credit(client, topic_page):
    image = topic_page.hero_image
    image.description = ""
    image.save()
    assert card(client, topic_page)["og:image:alt"] == ["Start"]  # the credit's title
    credit = image.iln_credit
    credit.title = "The reading room at dawn"
    credit.save()
    assert card(client, topic_page)["og:image:alt"] == ["The reading room at dawn"]
    image.description = "Shelves under a glass roof"
    image.save()
    assert card(client, topic_page)["og:image:alt"] == ["Shelves under a glass roof"]


def test_another_image_and_its_credit_leave_the_card_and_the_pager_in_the_cache(client, topic_page):
    from tests.factories import ImageCreditFactory

    client.get(topic_page.url)
    with CaptureQueriesContext(connection) as warm:
        client.get(topic_page.url)
    other = ImageCreditFactory(title="A photo approved for a gallery")  # image and credit
    other.image.title = "Renamed"
    other.image.save()
    with CaptureQueriesContext(connection) as after:
        meta = card(client, topic_page)
    assert meta["og:image:alt"] == ["Start"]
    assert len(after) == len(warm), [q["sql"][:80] for q in after.captured_queries]


def test_the_locales_are_named_with_their_territory_as_open_graph_wants(
    client, translated_topic, settings
):
    spanish = translated_topic.get_translation(Locale.objects.get(language_code="es"))
    spanish.save_revision().publish()
    assert card(client, spanish)["og:locale"] == ["es_ES"]
    assert card(client, spanish)["og:locale:alternate"] == ["en_GB", "fr_FR"]
    # A site whose English is American says so.
    settings.WAGTAIL_ILN = {"OPEN_GRAPH_LOCALES": {"en": "en_US"}, "FRAGMENT_CACHE_TIMEOUT": 0}
    assert card(client, translated_topic)["og:locale"] == ["en_US"]
    assert card(client, spanish)["og:locale:alternate"] == ["en_US", "fr_FR"]


def test_the_card_is_the_same_under_every_host_name_of_the_site(client, translated_topic):
    bare = card(client, translated_topic)
    with CaptureQueriesContext(connection) as queries:
        www = card(Client(HTTP_HOST="www.localhost"), translated_topic)

    # Its addresses are the site's own, whichever name the reader used: one card, kept once.
    assert www == bare
    assert bare["og:image"][0].startswith("http://localhost/")
    assert not any(
        "og:locale" in query["sql"] or "locale__language_code" in query["sql"] for query in queries
    )
