from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

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


class ModerationQueueViewSet(ModelViewSet):
    """A queue of contributions to moderate: the list, one item, and its moderation actions.

    There is no add, edit, delete or history view: what is moderated comes
    from the public. ``item_view_classes`` maps a name to a view of one item,
    served at ``<name>/<pk>/`` as ``<viewset name>:<name>``; the views receive
    the URL names as ``<name>_url_name`` and together as ``item_url_names``.
    The menu item counts the items whose ``status`` is ``pending_status``.
    """

    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_per_page = 30
    index_view_class = views.QueueIndexView
    inspect_view_class = views.QueueInspectView
    item_view_classes = {}
    pending_status = "pending"

    @cached_property
    def item_url_names(self):
        return {name: self.get_url_name(name) for name in self.item_view_classes}

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
                **{f"{name}_url_name": url_name for name, url_name in self.item_url_names.items()},
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *(
                path(f"{name}/<int:pk>/", self.construct_view(view_class), name=name)
                for name, view_class in self.item_view_classes.items()
            ),
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
            codename=policy_registry.get_by_type(self.model).codename,
        )
