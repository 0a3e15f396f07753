"""The app's models, each defined in the module of its area."""

from .credits.models import ImageCredit
from .topics.models import DiscussionIndexPage, DiscussionTopicPage, TopicTag

__all__ = ["DiscussionIndexPage", "DiscussionTopicPage", "ImageCredit", "TopicTag"]
