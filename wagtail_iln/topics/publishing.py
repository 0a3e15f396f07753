"""What happens when a topic is published: its renditions are made, then its page rendered.

And which topics the task worker renders for the cache when it is cold.
"""

from ..renditions import BODY, HERO, make_renditions_after_commit
from ..warming import warm_pages_after_commit, warm_pages_for_cold_cache
from .models import DiscussionTopicPage


def topic_image_ids(topic):
    """``{use: [image id, ...]}`` of the images a topic's page shows: its hero and body images."""
    body_ids = [
        block["value"]["image"]
        for block in topic.body.raw_data
        if block.get("type") == "image"
        and isinstance(block.get("value"), dict)
        and block["value"].get("image")
    ]
    return {HERO: [topic.hero_image_id] if topic.hero_image_id else [], BODY: body_ids}


def topic_published(sender, instance, **kwargs):
    """Queue a published topic's renditions, then its page (``page_published``)."""
    make_renditions_after_commit(topic_image_ids(instance))
    warm_pages_after_commit([instance.pk])


def live_topic_ids(since=None):
    """The live, public topics (first published since ``since``), newest first."""
    topics = DiscussionTopicPage.objects.live().public()
    if since is not None:
        topics = topics.filter(first_published_at__gte=since)
    return list(topics.order_by("-first_published_at").values_list("pk", flat=True))


def warm_topics_for_cold_cache(request):
    """``fragments.on_cold_cache``: every live topic is rendered in the task worker."""
    warm_pages_for_cold_cache(request, live_topic_ids)
