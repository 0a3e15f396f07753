"""The photo areas of the admin: the moderation queue and the campaigns."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column, LocaleColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..moderation.actions import QueueAction
from ..moderation.viewsets import ModerationQueueViewSet, status_column
from . import admin_views
from .admin_forms import RejectionForm
from .filters import PhotoSubmissionFilterSet
from .models import PhotoCampaign, PhotoSubmission
from .moderation import photo_moderation

Status = PhotoSubmission.Status


def approved_where_sent(submission, form):
    """The approval e-mail links to the page the photo was sent from."""
    return {"approved_url": submission.source_url}


def rejection_details(submission, form):
    return {"reason": form.reason_for(submission)}


class PhotoSubmissionViewSet(ModerationQueueViewSet):
    """The queue of photos to moderate: list, inspect, approve, reject, and the private photo."""

    model = PhotoSubmission
    queue = "photos"  # wagtail_iln_photos:index, :inspect...
    icon = "image"
    menu_label = _("Photos")

    moderation = photo_moderation
    actions = [
        QueueAction.approve(
            done=_("Photo “%(title)s” approved; it is now in the image library."),
            unchanged=_("This photo was already approved."),
            bulk_done=ngettext_lazy(
                "%(count)d photo approved.", "%(count)d photos approved.", "count"
            ),
            bulk_title=_("Approve photos"),
            bulk_aria_label=_("Approve the selected photos"),
            details=approved_where_sent,
        ),
        QueueAction.reject(
            form_class=RejectionForm,
            invalid=_("The photo was not rejected: %s"),
            done=_("Photo “%(title)s” rejected; the submitter has been told why."),
            unchanged=_("This photo was already rejected."),
            bulk_done=ngettext_lazy(
                "%(count)d photo rejected.", "%(count)d photos rejected.", "count"
            ),
            bulk_title=_("Reject photos"),
            bulk_aria_label=_("Reject the selected photos"),
            bulk_button=_("Reject"),
            details=rejection_details,
        ),
    ]
    error_message_format = _("Photo “%(title)s”: %(error)s")
    bulk_items_heading = ngettext_lazy(
        "This photo is pending:", "These %(counter)s photos are pending:", "counter"
    )
    bulk_skipped_heading = ngettext_lazy(
        "This photo is no longer pending and is left as it is:",
        "These %(counter)s photos are no longer pending and are left as they are:",
        "counter",
    )

    index_view_class = admin_views.PhotoSubmissionIndexView
    inspect_view_class = admin_views.PhotoSubmissionInspectView
    item_view_classes = {"photo": admin_views.PhotoFileView}
    inspect_template_name = "wagtail_iln/photos/admin/inspect.html"

    list_display = [
        "title",
        "credit_name",
        "country",
        "campaign",
        status_column(),
        "submitted_at",
    ]
    ordering = ["-submitted_at", "-pk"]
    filterset_class = PhotoSubmissionFilterSet
    search_fields = ["title", "credit_name", "workplace", "story"]
    inspect_view_fields = [
        "title",
        "story",
        "credit_name",
        "email",
        "country",
        "workplace",
        "licence",
        "consent_given_at",
        "campaign",
        "status",
        "submitted_at",
        "source_url",
        "moderated_at",
        "moderated_by",
        "rejection_reason",
    ]

    @classmethod
    def message_params(cls, submission):
        return {"title": submission.title}

    @classmethod
    def bulk_item_label(cls, submission):
        return submission.title

    @classmethod
    def bulk_item_detail(cls, submission):
        return f"{submission.credit_name} ({submission.get_status_display()})"

    def get_success_buttons(self, action, submission):
        if action.name != "approve" or not submission.image_id:
            return []
        url = reverse("wagtailimages:edit", args=[submission.image_id])
        return [messages.button(url, gettext("Edit image"))]


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
