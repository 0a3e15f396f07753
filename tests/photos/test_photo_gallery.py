"""The photo gallery block: approved photos only, newest first, in every language."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import approved_photo, pending_photo, picture
from wagtail_iln.conf import DEFAULTS
from wagtail_iln.models import Like, PhotoCampaign, PhotoSubmission
from wagtail_iln.photos import moderation
from wagtail_iln.photos.gallery import approved_photos, story_fold

GPS_TAG = 0x8825


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_user("moderator", "moderator@example.org", "x")


def gallery(campaign, per_page=12, layout="grid", heading="Your favourite features"):
    return (
        "photo_gallery",
        {"campaign": campaign, "heading": heading, "per_page": per_page, "layout": layout},
    )


@pytest.fixture
def gallery_page(index_page, campaign):
    return DiscussionTopicPageFactory(
        parent=index_page, slug="gallery", body=[gallery(campaign, per_page=200)]
    )


def figures(client, url):
    html = client.get(url).content.decode()
    return BeautifulSoup(html, "html.parser").select(".iln-gallery figure"), html


def titles(client, url):
    return [f.select_one(".iln-photo__title").get_text() for f in figures(client, url)[0]]


def test_approved_photos_show_newest_first_with_story_country_and_credit(
    client, gallery_page, campaign
):
    now = timezone.now()
    approved_photo(campaign, title="Old window", moderated_at=now - datetime.timedelta(days=2))
    approved_photo(
        campaign,
        width=1600,
        height=1200,
        title="Reading nook",
        story="Soft chairs.\nAnd a lamp.",
        credit_name="Ana Souza",
        country="BR",
        moderated_at=now,
    )
    approved_photo(campaign, title="Mural", country="KE", moderated_at=now - datetime.timedelta(1))

    found, html = figures(client, gallery_page.url)
    assert [f.select_one(".iln-photo__title").get_text() for f in found] == [
        "Reading nook",
        "Mural",
        "Old window",
    ]
    newest = found[0]
    assert (
        newest.select_one(".iln-photo__story").decode_contents() == "Soft chairs.<br/>And a lamp."
    )
    assert newest.select_one(".iln-photo__country").get_text() == "Brazil"
    assert found[1].select_one(".iln-photo__country").get_text() == "Kenya"
    assert newest.select_one(".iln-credit").get_text() == (
        "Photo: 'Reading nook' by Ana Souza, CC BY 4.0"
    )
    # What the submitter wrote is isolated: written right to left, it reorders nothing else.
    credit_names = [bdi.get_text() for bdi in newest.select(".iln-credit bdi")]
    assert credit_names == ["Reading nook", "Ana Souza"]
    assert newest.select_one(".iln-photo__title")["dir"] == "auto"
    assert newest.select_one(".iln-photo__story")["dir"] == "auto"
    img = newest.select_one("img")
    assert img["loading"] == "lazy"
    assert img["alt"] == "Reading nook"
    assert img["sizes"]
    assert (img["width"], img["height"]) == ("400", "300")
    assert [entry.split()[1] for entry in img["srcset"].split(", ")] == ["400w", "800w", "1200w"]
    # A picture narrower than the widths is offered once, not enlarged.
    assert found[1].select_one("img")["srcset"].endswith(" 64w")
    assert "," not in found[1].select_one("img")["srcset"]
    assert 'class="iln-gallery iln-gallery--grid"' in html
    assert "<h2" in html and "Your favourite features" in html


LONG_STORY = (
    "When the library moved into the old customs house, nobody knew what to do with the "
    "space under the grand staircase.\n"
    "Then a retired teacher read there with her grandson after school, and others followed.\n"
    "Ask at the desk for the key: it opens on the best seat in town."
)


def test_a_long_story_is_there_whole_with_a_button_to_read_it_and_a_short_one_has_none(
    client, gallery_page, campaign
):
    now = timezone.now()
    approved_photo(campaign, title='The "staircase" <corner>', story=LONG_STORY, moderated_at=now)
    approved_photo(
        campaign,
        title="Reading nook",
        story="Soft chairs.\nAnd a lamp.",
        moderated_at=now - datetime.timedelta(days=1),
    )

    (long, short), html = figures(client, gallery_page.url)
    # The whole story is in the page, for screen readers and for the button to show.
    story = long.select_one(".iln-photo__story")
    assert story.get_text("\n") == LONG_STORY
    assert story["dir"] == "auto"
    # The button comes right after the story, whose start the CSS shows until it is opened.
    more = story.find_next_sibling()
    assert more.name == "details"
    assert more["class"] == ["iln-photo__more", "iln-photo__more--always"]
    assert not more.has_attr("open")
    summary = more.select_one("summary")
    assert summary.get_text() == "Read the whole story"
    assert summary["aria-label"] == 'Read the whole story of “The "staircase" <corner>”'
    assert "<corner>" not in html
    assert len(more.find_all(recursive=False)) == 1
    # A story that fits in the preview shows whole, without a button.
    assert short.select_one(".iln-photo__story").get_text("\n") == "Soft chairs.\nAnd a lamp."
    assert short.select("details, summary") == []


@pytest.mark.parametrize(
    ("story", "fold"),
    [
        ("The best corner of the library.", ""),
        ("Soft chairs.\nAnd a lamp.", ""),
        # Four lines of a narrow card, fewer of a phone's: shortened in narrow cards only.
        (
            "Our returns chute plays a little tune when a book slides down it, and children queue.",
            "narrow",
        ),
        (LONG_STORY, "always"),
        ("Yes.\n" * 5, "always"),
        ("x" * 2000, "always"),
    ],
)
def test_a_story_is_shortened_where_it_would_not_fit_in_four_lines(story, fold):
    assert story_fold(story) == fold


def test_pending_rejected_and_withdrawn_photos_never_appear(
    client, gallery_page, campaign, moderator
):
    Image = get_image_model()
    images_before = Image.objects.count()
    pending = pending_photo(campaign, title="Pending photo")
    # A pending photo is a private file, not an image of the library.
    assert Image.objects.count() == images_before
    rejected = pending_photo(campaign, content=picture(640, 480, fmt="JPEG"), title="Rejected")
    moderation.reject(rejected, moderator, "Not a library.")
    withdrawn = pending_photo(campaign, content=picture(700, 500, fmt="JPEG"), title="Withdrawn")
    moderation.approve(withdrawn, moderator)
    moderation.withdraw(withdrawn)
    approved_photo(campaign, title="Approved photo")

    assert titles(client, gallery_page.url) == ["Approved photo"]
    assert [p.title for p in approved_photos(campaign)] == ["Approved photo"]
    assert Image.objects.count() == images_before + 1
    html = client.get(gallery_page.url).content.decode()
    for title in ("Pending photo", "Rejected", "Withdrawn"):
        assert title not in html
    pending.refresh_from_db()
    assert pending.status == PhotoSubmission.Status.PENDING and pending.image is None


def test_a_photo_approved_in_the_french_campaign_shows_in_the_english_gallery(
    client, gallery_page, campaign, moderator
):
    french = Locale.objects.create(language_code="fr")
    french_campaign = campaign.copy_for_translation(french)
    french_campaign.name = "#favouritefeature (fr)"
    french_campaign.save()
    submission = pending_photo(french_campaign, title="La fenêtre", language="fr")
    moderation.approve(submission, moderator)
    approved_photo(campaign, title="The window")

    assert titles(client, gallery_page.url) == ["The window", "La fenêtre"]
    # Screen readers read the French story with a French voice on the English page.
    page = BeautifulSoup(client.get(gallery_page.url).content, "html.parser")
    french_card, english_card = (
        page.find("h3", string="La fenêtre").find_parent("figure"),
        page.find("h3", string="The window").find_parent("figure"),
    )
    assert french_card.select_one(".iln-photo__title")["lang"] == "fr"
    assert french_card.select_one(".iln-photo__story")["lang"] == "fr"
    assert not english_card.select(".iln-photo__title[lang], .iln-photo__story[lang]")


def test_galleries_paginate_each_with_its_own_parameter(client, index_page, campaign):
    other = PhotoCampaign.objects.create(name="#readingroom")
    page = DiscussionTopicPageFactory(
        parent=index_page,
        slug="two-galleries",
        body=[gallery(campaign, per_page=2), gallery(other, per_page=1, layout="list")],
    )
    start = timezone.now()
    for n in range(5):
        approved_photo(campaign, title=f"Feature {n}", moderated_at=start + datetime.timedelta(n))
    for n in range(2):
        approved_photo(other, title=f"Room {n}", moderated_at=start + datetime.timedelta(n))

    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    first, second = soup.select(".iln-gallery")
    assert first["id"] != second["id"]
    assert [h.get_text() for h in first.select("h3")] == ["Feature 4", "Feature 3"]
    assert [h.get_text() for h in second.select("h3")] == ["Room 1"]
    assert "Page 1 of 3" in first.select_one(".iln-pagination").get_text()
    assert first.select_one("a[rel=prev]") is None

    next_url = first.select_one("a[rel=next]")["href"]
    assert next_url == f"?{first['id']}=2#{first['id']}"
    soup = BeautifulSoup(client.get(page.url + next_url).content, "html.parser")
    first, second = soup.select(".iln-gallery")
    assert [h.get_text() for h in first.select("h3")] == ["Feature 2", "Feature 1"]
    assert [h.get_text() for h in second.select("h3")] == ["Room 1"]

    # The second gallery moves on; the first keeps its page.
    next_url = second.select_one("a[rel=next]")["href"]
    assert next_url == f"?{first['id']}=2&{second['id']}=2#{second['id']}"
    soup = BeautifulSoup(client.get(page.url + next_url).content, "html.parser")
    first, second = soup.select(".iln-gallery")
    assert [h.get_text() for h in first.select("h3")] == ["Feature 2", "Feature 1"]
    assert [h.get_text() for h in second.select("h3")] == ["Room 0"]
    assert second.select_one("a[rel=prev]")["href"].endswith(f"{second['id']}=1#{second['id']}")

    # A page number past the end shows the last page; nonsense shows the first.
    assert titles(client, f"{page.url}?{first['id']}=99")[:2] == ["Feature 0", "Room 1"]
    assert titles(client, f"{page.url}?{first['id']}=x")[:2] == ["Feature 4", "Feature 3"]


@override_settings(WAGTAIL_ILN={"FRAGMENT_CACHE_TIMEOUT": 0})
@pytest.mark.parametrize(("photos", "counted"), [(3, False), (4, True)])
def test_a_gallery_of_one_page_is_not_counted_apart(client, index_page, campaign, photos, counted):
    page = DiscussionTopicPageFactory(
        parent=index_page, slug="small", body=[gallery(campaign, per_page=3)]
    )
    for n in range(photos):
        approved_photo(campaign, title=f"Feature {n}", width=32, height=24)
    client.get(page.url)  # the renditions

    with CaptureQueriesContext(connection) as queries:
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")

    assert len(soup.select(".iln-gallery figure")) == 3
    pagination = soup.select_one(".iln-pagination")
    assert (pagination.get_text(" ", strip=True) if pagination else None) == (
        "Page 1 of 2 Older photos" if counted else None
    )
    sql = [query["sql"] for query in queries.captured_queries]
    assert any("COUNT(*)" in each and "wagtail_iln_photosubmission" in each for each in sql) is (
        counted
    )


def test_an_empty_gallery_says_so(client, gallery_page):
    soup = BeautifulSoup(client.get(gallery_page.url).content, "html.parser")
    assert soup.select_one(".iln-gallery__empty").get_text() == (
        "No photos have been shown here yet."
    )
    assert soup.select(".iln-gallery figure") == []


def test_title_and_story_are_escaped(client, gallery_page, campaign):
    approved_photo(
        campaign,
        title='<script>alert("t")</script>',
        story='<img src=x onerror="alert(1)">\n<b>bold</b>',
        credit_name="<i>Eve</i>",
    )
    found, html = figures(client, gallery_page.url)
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>bold" not in html and "<i>Eve" not in html
    assert "&lt;script&gt;" in html
    story = found[0].select_one(".iln-photo__story")
    assert [tag.name for tag in story.find_all()] == ["br"]
    assert story.get_text("|") == '<img src=x onerror="alert(1)">|<b>bold</b>'


def render_count(client, url):
    client.get(url)  # the first visit makes the renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode().count('<figure class="iln-photo"')


# Room for the 600 cached renditions: once Django's default of 300 entries is full,
# culling also drops Wagtail's cached site root paths, which costs queries of its own.
# The gallery is rendered on every view, not served from the fragment cache.
@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    },
    WAGTAIL_ILN={"FRAGMENT_CACHE_TIMEOUT": 0},
)
def test_a_page_of_10_or_200_photos_costs_the_same_queries(client, gallery_page, campaign):
    """Likes included: each photo shows how many people like it, counted for the whole page."""
    photos = [approved_photo(campaign, width=32, height=24) for _ in range(10)]
    like(photos[:3], "browser-a")
    ten, shown = render_count(client, gallery_page.url)
    assert shown == 10
    photos += [approved_photo(campaign, width=32, height=24) for _ in range(190)]
    like(photos, "browser-b")
    two_hundred, shown = render_count(client, gallery_page.url)
    assert shown == 200
    assert two_hundred == ten
    html = client.get(gallery_page.url).content.decode()
    assert html.count("2 people like this") == 3
    assert html.count("1 person likes this") == 197


def like(photos, browser):
    Like.objects.bulk_create(
        Like(kind=Like.Kind.PHOTO, target=str(photo.pk), browser=browser) for photo in photos
    )


def test_renditions_of_an_approved_photo_carry_no_gps_or_exif(
    client, gallery_page, campaign, moderator
):
    submission = pending_photo(campaign, title="Harbour window")
    moderation.approve(submission, moderator)
    submission.refresh_from_db()
    assert titles(client, gallery_page.url) == ["Harbour window"]

    image = submission.image
    renditions = list(image.renditions.all())
    assert sorted(r.filter_spec for r in renditions) == sorted(
        f"width-{w}" for w in DEFAULTS["GALLERY_IMAGE_WIDTHS"]
    )
    for stored in [image.file, *(r.file for r in renditions)]:
        with stored.open("rb") as f, PILImage.open(f) as photo:
            assert len(photo.getexif()) == 0, stored.name
            assert GPS_TAG not in photo.getexif()
            assert "exif" not in photo.info
