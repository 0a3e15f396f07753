from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
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


class BarePage(Page):
    """A plain Wagtail page of images and nothing else.

    The load benchmark compares a discussion topic with this page showing the
    same images at the same renditions (``manage.py prepare_load`` makes it).
    """

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(
        [
            ("image", ImageChooserBlock(template="home/blocks/bare_image.html")),
            ("gallery_image", ImageChooserBlock(template="home/blocks/bare_gallery_image.html")),
        ],
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("hero_image"), FieldPanel("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []


class PrivacyPage(Page):
    """The demo's privacy notice: what the programme keeps, why, and for how long.

    The footer links to it in the reader's language; the app's forms and My
    data link to it through the ``PRIVACY_POLICY_URL`` setting.
    """

    intro = models.TextField(blank=True)
    body = RichTextField(features=["h2", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
