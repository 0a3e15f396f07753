"""The "Moderation" menu of the admin: a queue per kind of contribution, and the photo campaigns."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu
from wagtail.admin.viewsets.base import ViewSetGroup

from ..comments.admin_viewsets import CommentViewSet
from ..photos.admin_viewsets import PhotoCampaignViewSet, PhotoSubmissionViewSet
from .menu import QueuesMenuItem


class ModerationViewSetGroup(ViewSetGroup):
    """The "Moderation" menu, labelled with how many items wait in the queues a user sees.

    Another app adds a queue by listing its ``ModerationQueueViewSet`` in
    ``items`` of a subclass, or by returning a ``MenuItem`` (a ``QueueMenuItem``
    to show a count) from the ``register_iln_moderation_menu_item`` hook.
    """

    menu_label = _("Moderation")
    menu_name = "iln-moderation"
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_iln_moderation_menu_item"
    items = (PhotoSubmissionViewSet, CommentViewSet, PhotoCampaignViewSet)

    def get_menu_item(self, order=None):
        return QueuesMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
