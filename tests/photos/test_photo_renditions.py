"""The renditions readers see are made when a photo is approved or a topic published.

The task that makes them runs in the task worker (the immediate backend here);
afterwards a reader's view of the page creates no rendition.
"""

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from tests.factories import DiscussionTopicPageFactory, ImageCreditFactory
from tests.helpers import approve_in_the_queue, pending_photo
from wagtail_iln.models import PhotoCampaign
from wagtail_iln.renditions import BODY, GALLERY, HERO, filter_specs

Rendition = get_image_model().get_rendition_model()


def renditions_made_by_a_view(url):
    """The renditions a reader's view of ``url`` made (rows and INSERT queries)."""
    before = Rendition.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    made = [q for q in inserts if Rendition._meta.db_table in q["sql"]]
    return Rendition.objects.count() - before, len(made), response.content.decode()


@override_settings(WAGTAIL_ILN={"FRAGMENT_CACHE_TIMEOUT": 0})  # the gallery renders each time
def test_an_approved_photo_has_its_gallery_renditions_before_anyone_views_it(
    index_page, django_user_model, django_capture_on_commit_callbacks
):
    campaign = PhotoCampaign.objects.create(name="#favouritefeature", hashtags="#favouritefeature")
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        slug="announcement",
        body=[
            (
                "photo_gallery",
                {"campaign": campaign, "heading": "Photos", "per_page": 12, "layout": "grid"},
            )
        ],
    )
    submission = pending_photo(campaign, title="Card catalogue")
    approve_in_the_queue(submission, django_user_model, django_capture_on_commit_callbacks)

    submission.refresh_from_db()
    specs = {rendition.filter_spec for rendition in submission.image.renditions.all()}
    assert specs == set(filter_specs(GALLERY))
    rows, inserts, html = renditions_made_by_a_view(topic.url)
    assert "Card catalogue" in html
    assert (rows, inserts) == (0, 0)


def test_a_published_topic_has_its_hero_and_body_renditions_before_anyone_views_it(
    index_page, django_capture_on_commit_callbacks
):
    hero, body_image = ImageCreditFactory().image, ImageCreditFactory().image
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        slug="announcement",
        hero_image=hero,
        body=[("image", {"image": body_image, "caption": "Our reading room"})],
    )
    assert not Rendition.objects.filter(image__in=[hero, body_image]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()

    assert {r.filter_spec for r in hero.renditions.all()} == set(filter_specs(HERO))
    assert {r.filter_spec for r in body_image.renditions.all()} == set(filter_specs(BODY))
    rows, inserts, html = renditions_made_by_a_view(topic.url)
    assert "Our reading room" in html
    assert (rows, inserts) == (0, 0)
    rows, inserts, _ = renditions_made_by_a_view(index_page.url)  # the topic's card
    assert (rows, inserts) == (0, 0)
