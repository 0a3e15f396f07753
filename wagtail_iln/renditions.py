"""Every rendition a public page shows, named in one place and made before a reader asks.

A rendition is made the first time a page asks for it, inside that reader's
request, which then waits for the image to be decoded, resized and stored. The
templates and the task below take the filters from here, so the renditions the
task makes are the ones the pages show:

- ``GALLERY``: a photo in a gallery, one rendition per ``GALLERY_IMAGE_WIDTHS``;
- ``HERO``: a topic's hero image, on its page (``HERO_IMAGE_FILTER``) and on its
  card in lists and feeds (``CARD_IMAGE_FILTER``);
- ``BODY``: an image in a topic's body (``BODY_IMAGE_FILTER``).

``make_renditions_after_commit`` queues the task that makes them: when a photo
is approved, and when a topic is published.
"""

import logging

from django.db import transaction
from django_tasks import task
from wagtail.images import get_image_model

from .conf import get_setting

logger = logging.getLogger(__name__)

GALLERY = "gallery"
HERO = "hero"
BODY = "body"


def gallery_filter_specs():
    """The rendition filters of a gallery photo, one per ``GALLERY_IMAGE_WIDTHS``."""
    return [f"width-{width}" for width in sorted(set(get_setting("GALLERY_IMAGE_WIDTHS")))]


def filter_specs(use):
    """The rendition filters an image shown as ``use`` (``GALLERY``, ``HERO``, ``BODY``) needs."""
    if use == GALLERY:
        return gallery_filter_specs()
    if use == HERO:
        return [get_setting("HERO_IMAGE_FILTER"), get_setting("CARD_IMAGE_FILTER")]
    if use == BODY:
        return [get_setting("BODY_IMAGE_FILTER")]
    raise ValueError(f"Unknown use of an image: {use!r}")


@task()
def make_renditions(image_ids_by_use):
    """Make the missing renditions of the images ``{use: [image id, ...]}`` will be shown at."""
    for use, image_ids in image_ids_by_use.items():
        specs = filter_specs(use)
        images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*specs)
        for image in images:
            try:
                image.get_renditions(*specs)
            except Exception:  # noqa: BLE001 - a broken file must not stop the others
                # The first reader's request tries again, as it would without this task.
                logger.exception("Could not make the renditions of image %s", image.pk)


def make_renditions_after_commit(image_ids_by_use, using=None):
    """Queue ``make_renditions`` once the current transaction commits (at once outside one).

    A queue that cannot take it is logged; what the transaction stored stays
    stored, and the first reader makes the renditions.
    """
    wanted = {use: sorted(set(ids)) for use, ids in image_ids_by_use.items() if ids}

    # A function, not functools.partial: Django logs a failed robust hook by its __qualname__.
    def enqueue_renditions():
        make_renditions.enqueue(wanted)

    if wanted:
        transaction.on_commit(enqueue_renditions, using=using, robust=True)
