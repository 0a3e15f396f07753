"""Pages of the test site that show the app's blocks outside its own page types."""

from wagtail.fields import StreamField
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
