"""The app's models, each defined in the module of its area."""

from .applications.models import Application
from .comments.models import Comment, CommentSubscription
from .credits.models import ImageCredit
from .fragments import RenderedPart
from .health.models import CheckIn, PartnershipEmail
from .likes.models import Like
from .mailin.models import InboundMessage, MailedPhoto
from .mailings.models import (
    Follower,
    TopicDelivery,
    TopicMailing,
    TopicOptOut,
    UndeliverableAddress,
)
from .matching.models import MatchingRun
from .photos.models import PhotoCampaign, PhotoSubmission
from .privacy.models import DataLink
from .programme.models import Enrolment, Participant, Partnership, PartnershipMember, Round
from .topics.models import DiscussionIndexPage, DiscussionTopicPage, TopicTag
from .tracking import Generation

__all__ = [
    "Application",
    "CheckIn",
    "Comment",
    "CommentSubscription",
    "DataLink",
    "DiscussionIndexPage",
    "DiscussionTopicPage",
    "Enrolment",
    "Follower",
    "Generation",
    "ImageCredit",
    "InboundMessage",
    "Like",
    "MailedPhoto",
    "MatchingRun",
    "Participant",
    "Partnership",
    "PartnershipEmail",
    "PartnershipMember",
    "PhotoCampaign",
    "PhotoSubmission",
    "RenderedPart",
    "Round",
    "TopicDelivery",
    "TopicMailing",
    "TopicOptOut",
    "TopicTag",
    "UndeliverableAddress",
]
