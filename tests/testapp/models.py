"""The test site: pages that show the app's blocks, and a model of the site's own."""

from django.db import models
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from wagtail_iln.applications.blocks import RoundApplicationBlock
from wagtail_iln.comments.blocks import CommentThreadBlock


class BlocksPage(Page):
    """Any page of a site, with the app's blocks in its body."""

    body = StreamField(
        [
            ("round_application", RoundApplicationBlock()),
            ("comment_thread", CommentThreadBlock()),
        ],
        blank=True,
    )

    template = "testapp/blocks_page.html"


class BarePage(Page):
    """A plain Wagtail page of images and nothing else, to compare a topic page with.

    As the example site's ``home.BarePage``: a hero image, body images and gallery images.
    """

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(
        [
            ("image", ImageChooserBlock(template="testapp/blocks/bare_image.html")),
            ("gallery_image", ImageChooserBlock(template="testapp/blocks/bare_gallery_image.html")),
        ],
        blank=True,
    )

    template = "testapp/bare_page.html"


class WorkshopBooking(models.Model):
    """A site's own model with personal data: a place booked at a workshop."""

    workshop = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    booked_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name}: {self.workshop}"
