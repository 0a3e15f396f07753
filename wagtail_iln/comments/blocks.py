from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CommentThreadBlock(blocks.StaticBlock):
    """The open discussion of the page it is placed on: its comments and the form."""

    class Meta:
        icon = "comment"
        label = _("Comment thread")
        admin_text = _("Shows the page's approved comments and the comment form.")
        template = "wagtail_iln/blocks/comment_thread.html"
