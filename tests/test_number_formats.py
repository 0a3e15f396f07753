"""Numbers a browser or a script reads are written plainly, whatever the site's number format.

A site with ``USE_THOUSAND_SEPARATOR = True`` has every number its templates
print grouped the way of the reader's language: 4321 is "4,321" in English,
"4.321" in German, "4 321" (a non-breaking space) in French and Spanish. Ids,
links, hidden fields and image sizes must still say 4321, or the page's labels
point nowhere, a browser ignores ``width="1,280"`` and a form posted from page
4321 loses its page. What people read, a count of comments or of likes, stays
grouped.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import number_format
from wagtail.models import Page

from tests.factories import (
    DiscussionIndexPageFactory,
    DiscussionTopicPageFactory,
    ImageCreditFactory,
)
from tests.helpers import (
    announcement_body,
    application_form_data,
    approved_comment,
    approved_photo,
    open_round,
    photo_form_data,
)
from wagtail_iln.models import Application, Comment, Like, PhotoCampaign, PhotoSubmission

PAGE, INDEX, ROUND, CAMPAIGN, PHOTO, COMMENT, REPLY = 4321, 1234, 2345, 3456, 5678, 6789, 6790

# English groups with a comma, French and Spanish with a space, German with a full stop.
LANGUAGES = ["en", "fr", "es", "de"]

# A digit, a grouping separator, three digits: what no number read by a machine holds.
# ("by/4.0/" in a licence's address is no grouped number.)
GROUPED = re.compile(r"\d[,.'\s\u00a0\u202f\u2009]\d{3}(?!\d)")

# The attributes browsers and scripts read; every ``data-*`` one too, and hidden values.
MACHINE_READ = {"id", "for", "aria-labelledby", "aria-describedby", "href", "width", "height"}


@pytest.fixture(autouse=True)
def grouping_site(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    # German, for its full stop (its pages are served at /de/, in the default locale's content).
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    # The gallery's one width is above a thousand pixels.
    settings.WAGTAIL_ILN = {**getattr(settings, "WAGTAIL_ILN", {}), "GALLERY_IMAGE_WIDTHS": [1200]}


def next_page_id(number):
    """The next page saved takes the id ``number``, as on a site that has had thousands.

    Wagtail saves a page given an id as one already stored, so the database is
    told to count on from ``number`` instead.
    """
    table, last = Page._meta.db_table, number - 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])


@pytest.fixture
def index(site_root):
    next_page_id(INDEX)
    index = DiscussionIndexPageFactory(parent=site_root, slug="discussion")
    assert index.pk == INDEX
    return index


@pytest.fixture
def campaign(db):
    return PhotoCampaign.objects.create(
        id=CAMPAIGN, name="#favouritefeature", hashtags="#favouritefeature"
    )


@pytest.fixture
def topic(index, campaign):
    """A topic with every block; its page, round, campaign, photo and comments above 1000."""
    round = open_round(id=ROUND)
    approved_photo(campaign, width=1600, height=1200, id=PHOTO, title="Reading corner")
    hero = ImageCreditFactory(image__file__width=1600, image__file__height=900).image
    body_image = ImageCreditFactory(image__file__width=1600, image__file__height=1200).image
    next_page_id(PAGE)
    topic = DiscussionTopicPageFactory(
        parent=index,
        slug="announcement",
        hero_image=hero,
        round=round,
        body=[
            *announcement_body(round, campaign, body_image),
            ("topic_calendar", {"round": round, "heading": ""}),
        ],
    )
    assert topic.pk == PAGE
    comment = approved_comment(topic, id=COMMENT)
    approved_comment(topic, id=REPLY, parent=comment, body="So has ours.")
    return topic


def in_language(language, url):
    return url if language == "en" else f"/{language}{url}"


def machine_read(soup):
    """``(tag, attribute, value)`` of every attribute of ``soup`` a browser or a script reads."""
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            if attribute in MACHINE_READ or attribute.startswith("data-"):
                yield element.name, attribute, " ".join(value) if isinstance(value, list) else value
        if element.name == "input" and element.get("type") == "hidden":
            yield element.name, "value", element.get("value", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ids_links_hidden_fields_and_sizes_hold_plain_numbers(client, topic, index, language):
    with translation.override(language):
        assert GROUPED.fullmatch(number_format(PAGE))  # the language groups 4321

    responses = [client.get(in_language(language, page.url)) for page in (topic, index)]

    assert [response.status_code for response in responses] == [200, 200]
    topic_soup, index_soup = (BeautifulSoup(r.content, "html.parser") for r in responses)
    for soup in (topic_soup, index_soup):
        assert soup.html["lang"] == language
        assert [found for found in machine_read(soup) if GROUPED.search(found[2])] == []
    # What they name is there, by its plain number.
    for id in [
        f"iln-round-{ROUND}",
        f"iln-topics-{ROUND}-heading",
        f"iln-campaign-{CAMPAIGN}",
        f"iln-photo-{PHOTO}",
        f"comment-{COMMENT}",
        f"comment-{REPLY}",
    ]:
        assert topic_soup.find(id=id) is not None, id
    like = topic_soup.select_one(f"#iln-photo-{PHOTO} .iln-like__button")
    assert topic_soup.find(id=like["aria-describedby"]).get_text() == "Reading corner"
    assert topic_soup.select_one(f"a[href='?reply_to={COMMENT}#comment-form']") is not None
    photo_form = topic_soup.select_one("form[data-iln-photo-form]")
    assert photo_form.select_one("input[name=page]")["value"] == str(PAGE)
    assert int(photo_form["data-max-bytes"]) > 1000
    # Each image's size, in pixels above a thousand: the hero, the body's image, the photo.
    images = topic_soup.select(".iln-hero img, .iln-topic__body .iln-figure img, .iln-photo img")
    sizes = [(img["width"], img["height"]) for img in images]
    assert sizes == [("1280", "640"), ("1024", "768"), ("1200", "900")]
    assert index_soup.find(id=f"iln-follow-{INDEX}") is not None
    assert index_soup.select_one("form[data-iln-follow-form] [name=page]")["value"] == str(INDEX)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_count_people_read_stays_grouped(client, topic, index, language):
    # With the comment and its reply, a thousand.
    Comment.objects.bulk_create(
        Comment(
            thread_key=topic.translation_key,
            page=topic,
            language="en",
            name="Ana",
            body=f"Comment {number}",
            status=Comment.Status.APPROVED,
            created_at=timezone.now(),
        )
        for number in range(998)
    )
    # A thousand readers like the topic.
    Like.objects.bulk_create(
        Like(kind=Like.Kind.TOPIC, target=str(topic.translation_key), browser=f"browser-{number}")
        for number in range(1000)
    )
    response = client.get(in_language(language, index.url))
    topic_page = client.get(in_language(language, topic.url))

    card = BeautifulSoup(response.content, "html.parser").select_one(".iln-card__comments")
    with translation.override(language):
        thousand = number_format(1000)
    assert thousand != "1000"
    assert card.get_text().startswith(f"{thousand} ")
    soup = BeautifulSoup(topic_page.content, "html.parser")
    assert soup.select_one("#comments-heading").get_text().startswith(f"{thousand} ")
    likes = soup.select_one(f"form[action$='/iln/likes/topic/{PAGE}/'] [data-iln-like-count]")
    assert f"{thousand} " in likes.get_text() and "1000" not in likes.get_text(), likes


def test_the_photo_form_posted_from_the_page_goes_back_to_it(
    client, topic, django_capture_on_commit_callbacks
):
    action, data = photo_form_data(topic, client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)

    assert response.status_code == 302
    assert response["Location"] == f"{topic.url}?iln-photo-sent={CAMPAIGN}#iln-campaign-{CAMPAIGN}"
    sent = PhotoSubmission.objects.exclude(pk=PHOTO).get()
    assert sent.source_url == f"http://localhost{topic.url}"


def test_the_application_form_posted_from_the_page_goes_back_to_it(client, topic):
    action, data = application_form_data(topic, client)
    response = client.post(action, data)

    assert response.status_code == 302
    assert response["Location"] == (
        f"/iln/rounds/{ROUND}/apply/?page={PAGE}&iln-applied={ROUND}#iln-round-{ROUND}"
    )
    assert Application.objects.get().source_url == f"http://localhost{topic.url}"
