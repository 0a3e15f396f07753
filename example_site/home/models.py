from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from wagtail_iln.models import DiscussionIndexPage


class HomePage(Page):
    """The demo site's home page: a welcome and the latest discussion topics."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    latest_topics_count = models.PositiveSmallIntegerField(
        default=3, help_text="How many of the latest topics to show."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("latest_topics_count")]

    parent_page_types = ["wagtailcore.Page"]

    def get_discussion_index(self):
        return DiscussionIndexPage.objects.child_of(self).live().public().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = self.get_discussion_index()
        context["discussion_index"] = index
        if index is not None:
            topics = index.get_topics()[: self.latest_topics_count]
            context["latest_topics"] = index.with_list_data(topics)
        return context
