"""What may be liked: a live, public topic; an approved photo that is shown in a gallery."""

from dataclasses import dataclass

from ..photos.models import PhotoSubmission
from ..topics.models import DiscussionTopicPage
from .models import Like


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    #: The page to send the reader back to, or None to use the post's ``next``.
    page: object = None
    #: The id of the element the reader is sent back to.
    anchor: str = ""
    #: A photo's campaign, by its translation key (the galleries showing it).
    campaign: str = ""


def find_target(kind, pk):
    """The target of a like, or None when there is no such thing, or it is not shown."""
    if kind == Like.Kind.TOPIC:
        topic = DiscussionTopicPage.objects.live().public().filter(pk=pk).first()
        if topic is None:
            return None
        return Target(kind, str(topic.translation_key), topic, "iln-like-topic")
    if kind == Like.Kind.PHOTO:
        campaign = (
            PhotoSubmission.objects.filter(
                pk=pk, status=PhotoSubmission.Status.APPROVED, image__isnull=False
            )
            .values_list("campaign__translation_key", flat=True)
            .first()
        )
        if campaign is None:
            return None
        return Target(kind, str(pk), None, f"iln-photo-{pk}", str(campaign))
    return None
