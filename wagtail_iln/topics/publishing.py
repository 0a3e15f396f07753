"""What happens when a topic is published: its renditions are made, then its page rendered."""

from ..renditions import BODY, HERO, make_renditions_after_commit
from ..warming import warm_pages_after_commit


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
