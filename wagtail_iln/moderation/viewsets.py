from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.functional import cached_property, classproperty
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ..compat import permission_policy_for
from . import views
from .menu import QueueMenuItem
from .permissions import user_can_moderate


class ModerationURLFinder(ModelAdminURLFinder):
    """An item's admin page is its inspect view, for moderators."""

    model = None

    def get_edit_url(self, instance):
        if self.user and not user_can_moderate(self.user, self.model):
            return None
        return self.construct_edit_url(instance)


def status_column():
    """The item's status as a tag, highlighted while it waits."""
    return StatusTagColumn(
        "get_status_display",
        label=capfirst(_("status")),
        sort_key="status",
        primary=lambda item: item.status == item.Status.PENDING,
    )


class ModerationQueueViewSet(ModelViewSet):
    """A queue of contributions to moderate: the list, one item, and its moderation actions.

    A queue declares its ``model`` (a ``ModeratedModel``), its ``moderation``
    (a ``service.Moderation``) and its ``actions`` (``actions.QueueAction``
    rows, in the order of their buttons); each action is served one item at a
    time at ``<name>/<pk>/`` as ``<viewset name>:<name>`` and in bulk as the
    bulk action ``<name>`` of the model. There is no add, edit, delete or
    history view: what is moderated comes from the public.

    ``item_view_classes`` maps a name to another view of one item (the
    private photo...), served the same way; the views receive the URL names as
    ``<name>_url_name`` and together as ``item_url_names``. The menu item
    counts the items whose ``status`` is ``pending_status``.
    """

    #: The queue's short name: its URL namespace is ``wagtail_iln_<queue>``, its
    #: URLs are under ``iln/moderation/<queue>/``, its menu item is ``iln-moderation-<queue>``.
    queue = ""

    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_per_page = 30
    index_view_class = views.QueueIndexView
    inspect_view_class = views.QueueInspectView
    action_view_class = views.ModerationActionView
    bulk_action_class = views.ModerationBulkAction
    item_view_classes = {}
    #: The ``service.Moderation`` the actions call.
    moderation = None
    #: The ``actions.QueueAction`` rows of the queue.
    actions = ()
    #: The bulk confirmation page's headings over the items acted on and those left
    #: alone (``ngettext_lazy``, with ``%(counter)s`` and ``%(new_status)s``); each item
    #: is listed as its ``bulk_item_label`` and ``bulk_item_detail``.
    bulk_items_heading = None
    bulk_skipped_heading = None
    #: Said of an item a bulk action could not change, with ``%(error)s``.
    error_message_format = None

    @classproperty
    def name(cls):
        return f"wagtail_iln_{cls.queue}"

    @classproperty
    def url_prefix(cls):
        return f"iln/moderation/{cls.queue}"

    @classproperty
    def menu_name(cls):
        return f"iln-moderation-{cls.queue}"

    @classmethod
    def message_params(cls, item):
        """The values the actions' messages name: ``{"title": item.title}``."""
        return {}

    @classmethod
    def bulk_item_label(cls, item):
        """An item as the bulk confirmation page names it."""
        return str(item)

    @classmethod
    def bulk_item_detail(cls, item):
        """What the bulk confirmation page says after an item's name: who sent it, say."""
        return ""

    @classmethod
    def error_message(cls, item, error):
        if cls.error_message_format is None:
            return str(error)
        return str(cls.error_message_format) % {**cls.message_params(item), "error": error}

    @classmethod
    def get_bulk_action_classes(cls):
        """One bulk action per action, in the table's order."""
        return [
            cls.bulk_action_class.for_queue(cls, action, priority=10 * number)
            for number, action in enumerate(cls.actions, start=1)
        ]

    def get_success_buttons(self, action, item):
        """Buttons shown with the message after one item, made with ``messages.button()``."""
        return []

    @property
    def pending_status(self):
        return self.model.Status.PENDING

    @cached_property
    def permission_policy(self):
        # Wagtail 8.0 does the same; 7.4 would make a policy of its own.
        return permission_policy_for(self.model)

    @cached_property
    def item_url_names(self):
        names = [*self.item_view_classes, *(action.name for action in self.actions)]
        return {name: self.get_url_name(name) for name in names}

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                "inspect_url_name": self.get_url_name("inspect"),
                "item_url_names": self.item_url_names,
                "queue": self,
                **{f"{name}_url_name": url_name for name, url_name in self.item_url_names.items()},
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        item_views = [
            *((name, self.construct_view(cls)) for name, cls in self.item_view_classes.items()),
            *(
                (action.name, self.construct_view(self.action_view_class, action=action))
                for action in self.actions
            ),
        ]
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *(path(f"{name}/<int:pk>/", view, name=name) for name, view in item_views),
        ]

    def get_pending_count(self, request):
        return self.model._default_manager.filter(status=self.pending_status).count()

    @cached_property
    def menu_item_class(self):
        viewset = self

        class ModerationQueueMenuItem(QueueMenuItem):
            def is_shown(self, request):
                return user_can_moderate(request.user, viewset.model)

            def get_count(self, request):
                return viewset.get_pending_count(request)

        return ModerationQueueMenuItem

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder",
            (ModerationURLFinder,),
            {"edit_url_name": self.get_url_name("inspect"), "model": self.model},
        )

    def get_permissions_to_register(self):
        """Only the moderation permission is offered in the group permissions."""
        return Permission.objects.filter(
            content_type__app_label=self.app_label,
            codename=permission_policy_for(self.model).codename,
        )
