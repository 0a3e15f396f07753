"""The app's models, each defined in the module of its area."""

from .comments.models import Comment, CommentSubscription
from .credits.models import ImageCredit
from .people.models import (
    Application,
    CheckIn,
    Enrolment,
    MatchingRun,
    Participant,
    Partnership,
    PartnershipEmail,
    PartnershipMember,
    Round,
)
from .photos.models import PhotoCampaign, PhotoSubmission
from .topics.models import DiscussionIndexPage, DiscussionTopicPage, TopicTag

__all__ = [
    "Application",
    "CheckIn",
    "Comment",
    "CommentSubscription",
    "DiscussionIndexPage",
    "DiscussionTopicPage",
    "Enrolment",
    "ImageCredit",
    "MatchingRun",
    "Participant",
    "Partnership",
    "PartnershipEmail",
    "PartnershipMember",
    "PhotoCampaign",
    "PhotoSubmission",
    "Round",
    "TopicTag",
]
