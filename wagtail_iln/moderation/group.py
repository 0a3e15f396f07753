"""The "Moderation" menu of the admin: the queues and viewsets the areas register in it."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu
from wagtail.admin.viewsets.base import ViewSetGroup

from ..compat import menu_item_order, register_permission_policy
from .menu import QueuesMenuItem
from .permissions import ModerationPermissionPolicy

#: The hook whose functions are the viewsets of the "Moderation" menu (classes or instances).
VIEWSETS_HOOK = "register_iln_moderation_viewset"


def register_queue(viewset_class, order=0):
    """Make a ``ModerationQueueViewSet`` a queue of the "Moderation" menu.

    Its model gets the moderation permission policy and its actions their bulk
    actions. Call it at the top of a ``wagtail_hooks.py``: Wagtail wants a
    model's permission policy before anything asks for it. ``order`` places it
    in the menu among the others (in the order registered when equal).
    """
    model = viewset_class.model
    register_permission_policy(model, ModerationPermissionPolicy(model))
    for bulk_action in viewset_class.get_bulk_action_classes():
        hooks.register("register_bulk_action", bulk_action)
    register_in_menu(viewset_class, order=order)
    return viewset_class


def register_in_menu(viewset, order=0):
    """Show another viewset in the "Moderation" menu (the photo campaigns, say)."""
    hooks.register(VIEWSETS_HOOK, viewset, order=order)
    return viewset


class ModerationViewSetGroup(ViewSetGroup):
    """The "Moderation" menu, labelled with how many items wait in the queues a user sees.

    It holds the viewsets given to ``register_queue`` and ``register_in_menu``;
    a ``MenuItem`` (a ``QueueMenuItem`` to show a count) returned from the
    ``register_iln_moderation_menu_item`` hook is added to it too.
    """

    menu_label = _("Moderation")
    menu_name = "iln-moderation"
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_iln_moderation_menu_item"

    def __init__(self):
        self.items = hooks.get_hooks(VIEWSETS_HOOK)
        super().__init__()

    def get_menu_item(self, order=None):
        return QueuesMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=menu_item_order(self, order),
        )
