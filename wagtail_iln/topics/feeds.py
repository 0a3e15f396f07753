"""RSS and Atom feeds of a discussion index."""

import mimetypes

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from ..conf import get_setting
from .models import DiscussionIndexPage


class TopicFeed(Feed):
    """The newest topics of one index; ``?tag=`` narrows it to one hashtag."""

    feed_type = Rss201rev2Feed

    def __init__(self, request, index_id):
        super().__init__()
        self.request = request
        self.index = get_object_or_404(DiscussionIndexPage.objects.live().public(), pk=index_id)
        self.index.feed_tag = request.GET.get("tag", "").strip() or None

    @classmethod
    def view(cls, request, index_id):
        feed = cls(request, index_id)
        # Interface strings of the feed follow the index page's language.
        with translation.override(feed.index.locale.language_code):
            return feed(request)

    def get_object(self, request):
        return self.index

    def title(self, index):
        return f"{index.title} #{index.feed_tag}" if index.feed_tag else index.title

    def link(self, index):
        return index.get_full_url(self.request)

    def description(self, index):
        return index.search_description or index.title

    def items(self, index):
        topics = index.with_list_data(index.get_topics(tag=index.feed_tag))
        return topics[: get_setting("FEED_SIZE")]

    def item_title(self, topic):
        return topic.title

    def item_link(self, topic):
        return topic.get_full_url(self.request)

    def item_description(self, topic):
        return topic.intro

    def item_pubdate(self, topic):
        return topic.first_published_at

    def item_updateddate(self, topic):
        return topic.last_published_at

    def item_categories(self, topic):
        return [tag.name for tag in topic.tags.all()]

    def item_enclosures(self, topic):
        if topic.hero_image is None:
            return []
        rendition = topic.hero_image.get_rendition(get_setting("CARD_IMAGE_FILTER"))
        url = self.request.build_absolute_uri(rendition.url)
        mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        try:
            length = str(rendition.file.size)
        except OSError:
            length = "0"
        return [Enclosure(url, length, mime_type)]


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed
    subtitle = TopicFeed.description
