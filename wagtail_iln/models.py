"""The app's models, each defined in the module of its area."""

from .comments.models import Comment, CommentSubscription
from .credits.models import ImageCredit
from .people.models import (
    Application,
    Enrolment,
    Participant,
    Partnership,
    PartnershipMember,
    Round,
)
from .photos.models import PhotoCampaign, PhotoSubmission
from .topics.models import DiscussionIndexPage, DiscussionTopicPage, TopicTag

__all__ = [
    "Application",
    "Comment",
    "CommentSubscription",
    "DiscussionIndexPage",
    "DiscussionTopicPage",
    "Enrolment",
    "ImageCredit",
    "Participant",
    "Partnership",
    "PartnershipMember",
    "PhotoCampaign",
    "PhotoSubmission",
    "Round",
    "TopicTag",
]
