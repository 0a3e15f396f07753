"""The photo areas of the admin: the moderation queue and the campaigns, in a "Moderation" menu."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.urls import path
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem, SubMenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, LocaleColumn, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .filters import PhotoSubmissionFilterSet
from .models import PhotoCampaign, PhotoSubmission

Status = PhotoSubmission.Status


class PhotoModerationPermissionPolicy(ModelPermissionPolicy):
    """Seeing and moderating submissions both need ``moderate_photosubmission``.

    Submissions come from the public form: nobody adds, edits or deletes them
    in the admin, superusers included.
    """

    permission_action = "moderate"
    allowed_actions = frozenset({"view", "moderate"})

    def _get_permission_codename(self, action):
        return super()._get_permission_codename(self.permission_action)

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if not self.allowed_actions.intersection(actions):
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


class QueueMenuItem(MenuItem):
    """A moderation queue in the menu, its label ending with how many items wait: "Photos (3)"."""

    def get_count(self, request):
        """How many items wait; override. Counted once per request."""
        return 0

    def count_for(self, request):
        counts = request.__dict__.setdefault("_wagtail_iln_queue_counts", {})
        if self.name not in counts:
            counts[self.name] = self.get_count(request)
        return counts[self.name]

    def render_component(self, request):
        return LinkMenuItem(
            self.name,
            label_with_count(self.label, self.count_for(request)),
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class QueuesMenuItem(SubmenuMenuItem):
    """The "Moderation" submenu, labelled with what waits in the queues this user sees."""

    def render_component(self, request):
        shown = self.menu.menu_items_for_request(request)
        count = sum(item.count_for(request) for item in shown if isinstance(item, QueueMenuItem))
        return SubMenuItem(
            self.name,
            label_with_count(self.label, count),
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def label_with_count(label, count):
    if not count:
        return label
    return gettext("%(label)s (%(count)s)") % {"label": label, "count": count}


class PhotoSubmissionURLFinder(ModelAdminURLFinder):
    """A submission's admin page is its inspect view, for moderators."""

    edit_url_name = f"{admin_views.VIEWSET_NAME}:inspect"

    def get_edit_url(self, instance):
        if self.user and not admin_views.user_can_moderate(self.user):
            return None
        return self.construct_edit_url(instance)


class PhotoSubmissionViewSet(ModelViewSet):
    """The queue of photos to moderate: list, inspect, approve, reject, and the private photo."""

    model = PhotoSubmission
    name = admin_views.VIEWSET_NAME
    url_prefix = "iln/moderation/photos"
    icon = "image"
    menu_label = _("Photos")
    menu_name = "iln-moderation-photos"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    index_view_class = admin_views.PhotoSubmissionIndexView
    inspect_view_class = admin_views.PhotoSubmissionInspectView
    approve_view_class = admin_views.ApproveView
    reject_view_class = admin_views.RejectView
    photo_view_class = admin_views.PhotoFileView
    index_template_name = "wagtail_iln/photos/admin/index.html"
    inspect_template_name = "wagtail_iln/photos/admin/inspect.html"

    list_display = [
        "title",
        "credit_name",
        "country",
        "campaign",
        StatusTagColumn(
            "get_status_display",
            label=capfirst(_("status")),
            sort_key="status",
            primary=lambda submission: submission.status == Status.PENDING,
        ),
        "submitted_at",
    ]
    list_per_page = 30
    ordering = ["-submitted_at", "-pk"]
    filterset_class = PhotoSubmissionFilterSet
    search_fields = admin_views.SEARCH_FIELDS
    search_backend_name = None
    inspect_view_fields = [
        "title",
        "story",
        "credit_name",
        "email",
        "country",
        "workplace",
        "licence",
        "campaign",
        "status",
        "submitted_at",
        "source_url",
        "moderated_at",
        "moderated_by",
        "rejection_reason",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views: a submission is only moderated.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                "inspect_url_name": self.get_url_name("inspect"),
                "photo_url_name": self.get_url_name("photo"),
                "approve_url_name": self.get_url_name("approve"),
                "reject_url_name": self.get_url_name("reject"),
                **kwargs,
            }
        )

    @property
    def approve_view(self):
        return self.construct_view(self.approve_view_class)

    @property
    def reject_view(self):
        return self.construct_view(self.reject_view_class)

    @property
    def photo_view(self):
        return self.construct_view(self.photo_view_class)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("photo/<int:pk>/", self.photo_view, name="photo"),
            path("approve/<int:pk>/", self.approve_view, name="approve"),
            path("reject/<int:pk>/", self.reject_view, name="reject"),
        ]

    @cached_property
    def menu_item_class(self):
        class PhotosMenuItem(QueueMenuItem):
            def is_shown(self, request):
                return admin_views.user_can_moderate(request.user)

            def get_count(self, request):
                return admin_views.pending_count()

        return PhotosMenuItem

    @property
    def url_finder_class(self):
        return PhotoSubmissionURLFinder

    def get_permissions_to_register(self):
        """Only ``moderate_photosubmission`` is offered in the group permissions."""
        return Permission.objects.filter(
            content_type__app_label=self.app_label, codename="moderate_photosubmission"
        )


class PhotoCampaignViewSet(SnippetViewSet):
    """Photo campaigns, with how many photos wait and how many were approved."""

    model = PhotoCampaign
    icon = "tag"
    menu_label = _("Photo campaigns")
    menu_name = "iln-photo-campaigns"
    # Shown in the "Moderation" menu, so the "Snippets" menu need not list it.
    menu_item_is_registered = True
    search_fields = ["name", "hashtags"]
    search_backend_name = None
    ordering = ["name"]

    @cached_property
    def list_display(self):
        columns = [
            "name",
            "hashtags",
            BooleanColumn("is_open", label=capfirst(_("open"))),
            Column("pending_count", label=capfirst(_("pending")), sort_key="pending_count"),
            Column("approved_count", label=capfirst(_("approved")), sort_key="approved_count"),
        ]
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            columns.insert(1, LocaleColumn())
        return columns

    def get_queryset(self, request):
        return PhotoCampaign.objects.annotate(
            pending_count=Count("submissions", filter=Q(submissions__status=Status.PENDING)),
            approved_count=Count("submissions", filter=Q(submissions__status=Status.APPROVED)),
        )


class ModerationViewSetGroup(ViewSetGroup):
    """The "Moderation" menu: a queue per kind of contribution, and the photo campaigns.

    Another app adds a queue by listing its viewset in ``items`` of a subclass,
    or by returning a ``MenuItem`` (a ``QueueMenuItem`` to show a count) from
    the ``register_iln_moderation_menu_item`` hook.
    """

    menu_label = _("Moderation")
    menu_name = "iln-moderation"
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_iln_moderation_menu_item"
    items = (PhotoSubmissionViewSet, PhotoCampaignViewSet)

    def get_menu_item(self, order=None):
        return QueuesMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
