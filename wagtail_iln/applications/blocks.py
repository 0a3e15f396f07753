from django.utils.translation import gettext_lazy as _

from ..fragments import CachedRenderMixin
from ..programme.blocks import RoundBlock
from .forms import application_window, window_context
from .views import ApplyView


class RoundApplicationBlock(CachedRenderMixin, RoundBlock):
    """A round's call for applications, placed on any page: the round, its window and a button.

    The button leads to the application's own page (``ApplyView``); outside
    the round's application window the block says when applications open or
    that they have closed, instead.
    """

    class Meta:
        icon = "user"
        label = _("Round application form")
        template = "wagtail_iln/applications/block.html"

    def fragment_state(self, value, context):
        # A round's dates are the same in all its translations.
        return [application_window(value["round"]) if value["round"] else None]

    def chosen_context(self, round, value, context):
        return {
            **window_context(round),
            "apply_url": ApplyView.page_url(round, context.get("page")),
        }
