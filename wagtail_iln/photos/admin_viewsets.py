"""The photo areas of the admin: the moderation queue and the campaigns."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, LocaleColumn, StatusTagColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..moderation.viewsets import ModerationQueueViewSet
from . import admin_views
from .filters import PhotoSubmissionFilterSet
from .models import PhotoCampaign, PhotoSubmission

Status = PhotoSubmission.Status


class PhotoSubmissionViewSet(ModerationQueueViewSet):
    """The queue of photos to moderate: list, inspect, approve, reject, and the private photo."""

    model = PhotoSubmission
    name = admin_views.VIEWSET_NAME
    url_prefix = "iln/moderation/photos"
    icon = "image"
    menu_label = _("Photos")
    menu_name = "iln-moderation-photos"

    index_view_class = admin_views.PhotoSubmissionIndexView
    inspect_view_class = admin_views.PhotoSubmissionInspectView
    item_view_classes = {
        "photo": admin_views.PhotoFileView,
        "approve": admin_views.ApproveView,
        "reject": admin_views.RejectView,
    }
    inspect_template_name = "wagtail_iln/photos/admin/inspect.html"
    pending_status = Status.PENDING

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
    ordering = ["-submitted_at", "-pk"]
    filterset_class = PhotoSubmissionFilterSet
    search_fields = admin_views.SEARCH_FIELDS
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
