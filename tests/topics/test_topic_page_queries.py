"""A topic page costs a reader few more queries than a bare Wagtail page with the same images."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import DiscussionTopicPageFactory, EnrolmentFactory, ImageCreditFactory
from tests.helpers import announcement_body, approved_comment, approved_photo, open_round
from tests.testapp.models import BarePage, BlocksPage
from wagtail_iln.models import PhotoCampaign


def queries_of_a_warm_view(url):
    Client().get(url)  # the first reader makes the renditions and fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def announcement(index_page):
    """A topic like the demo's announcement: stats, forms, a gallery and comments."""
    round = open_round()
    for country in ["AU", "BR", "FR", "IN", "KE"]:
        EnrolmentFactory(round=round, status="accepted", participant__country=country)
    campaign = PhotoCampaign.objects.create(name="#favouritefeature", hashtags="#favouritefeature")
    photos = [approved_photo(campaign, title=f"Reading corner {n}") for n in range(12)]
    body_image = ImageCreditFactory().image
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        slug="announcement",
        hero_image=ImageCreditFactory().image,
        body=announcement_body(round, campaign, body_image),
    )
    topic.tags.add("favouritefeature", "ILNround")
    topic.save_revision().publish()
    for n in range(3):
        approved_comment(topic, body=f"Comment {n}")
    return topic, body_image, [photo.image for photo in photos]


def test_a_topic_page_makes_at_most_3_queries_more_than_a_bare_page(index_page, site_root):
    topic, body_image, gallery_images = announcement(index_page)
    # The bare page sits as deep in the tree as the topic and shows the same images.
    section = site_root.add_child(instance=BlocksPage(title="Section", slug="section"))
    bare = section.add_child(
        instance=BarePage(
            title="The same images, bare",
            slug="bare",
            hero_image=topic.hero_image,
            body=[("image", body_image)] + [("gallery_image", image) for image in gallery_images],
        )
    )

    bare_queries, _ = queries_of_a_warm_view(bare.url)
    topic_queries, html = queries_of_a_warm_view(topic.url)

    assert "5 participants from 5 countries" in html
    assert html.count("Reading corner") >= 12
    assert "Comment 2" in html
    # The bare page fetches its images; the topic its hero image, its tags, the round and
    # the campaign its blocks choose, its likes and the site's sign-in providers. The
    # pager, the sharing card, the stats, the forms, the gallery and the thread come
    # from the cache.
    assert topic_queries <= bare_queries + 3, (topic_queries, bare_queries)


def test_blocks_rendered_for_one_reader_look_up_the_active_locale_once(index_page):
    topic, _, _ = announcement(index_page)
    campaign = PhotoCampaign.objects.get()
    Client().get(topic.url)

    with CaptureQueriesContext(connection) as queries:
        # The thank-you: the photo form and the gallery are rendered for this reader.
        response = Client().get(topic.url, {"iln-photo-sent": campaign.pk})

    assert "Reading corner 11" in response.content.decode()

    locale_lookups = [
        q for q in queries.captured_queries if 'FROM "wagtailcore_locale"' in q["sql"]
    ]
    assert len(locale_lookups) <= 1
