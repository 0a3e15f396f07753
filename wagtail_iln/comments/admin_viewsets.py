"""The comment queue of the admin's "Moderation" menu."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import DateColumn, StatusTagColumn

from ..moderation.viewsets import ModerationQueueViewSet
from . import admin_views
from .filters import CommentFilterSet
from .models import Comment

Status = Comment.Status


class CommentViewSet(ModerationQueueViewSet):
    """The queue of comments to moderate: list, inspect, approve, reject, mark as spam."""

    model = Comment
    name = admin_views.VIEWSET_NAME
    url_prefix = "iln/moderation/comments"
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "iln-moderation-comments"

    index_view_class = admin_views.CommentIndexView
    inspect_view_class = admin_views.CommentInspectView
    item_view_classes = {
        "approve": admin_views.ApproveView,
        "reject": admin_views.RejectView,
        "spam": admin_views.SpamView,
    }
    inspect_template_name = "wagtail_iln/comments/admin/inspect.html"
    pending_status = Status.PENDING

    list_display = [
        "body",
        "name",
        admin_views.PageColumn("page", label=capfirst(_("page"))),
        admin_views.LanguageColumn("language", label=capfirst(_("language")), sort_key="language"),
        "held_reason",
        StatusTagColumn(
            "get_status_display",
            label=capfirst(_("status")),
            sort_key="status",
            primary=lambda comment: comment.status == Status.PENDING,
        ),
        DateColumn("created_at", label=capfirst(_("written at")), sort_key="created_at"),
    ]
    ordering = ["-created_at", "-pk"]
    filterset_class = CommentFilterSet
    search_fields = admin_views.SEARCH_FIELDS
    inspect_view_fields = [
        "body",
        "name",
        "page",
        "parent",
        "language",
        "held_reason",
        "status",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
