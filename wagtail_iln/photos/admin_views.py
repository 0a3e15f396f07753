"""The moderators' views of photo submissions: the queue, one photo, approving and rejecting.

Every view checks the ``moderate`` action of the submissions' permission policy
(``wagtail_iln.moderate_photosubmission``, see ``wagtail_iln.moderation``); the
pending photo itself is only ever served by ``PhotoFileView``, never by a public URL.
"""

import mimetypes
from io import BytesIO

from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.admin import messages
from wagtail.admin.ui.tables import BaseColumn
from wagtail.images import get_image_model

from ..moderation.views import (
    ModerationActionView,
    ModerationBulkAction,
    ModerationPermissionMixin,
    QueueIndexView,
    QueueInspectView,
    paragraphs,
)
from .filters import PhotoSubmissionFilterSet
from .models import PhotoSubmission
from .moderation import ModerationError, approve, reject

Status = PhotoSubmission.Status

# The URL namespace of the queue: ``wagtail_iln_photos:index``, ``:inspect``...
VIEWSET_NAME = "wagtail_iln_photos"

SEARCH_FIELDS = ["title", "credit_name", "workplace", "story"]

# Keep in step with wagtail_iln/photos/admin/_thumbnail_cell.html.
THUMBNAIL_FILTER = "max-160x160"
THUMBNAIL_SIZE = (160, 160)
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}

REJECTION_REASONS = [
    ("not-a-workplace", _("Not a photo of a workplace")),
    ("not-clear", _("The photo is not clear enough")),
    ("people-recognisable", _("People can be recognised without their consent")),
    ("not-their-photo", _("Appears to be someone else's photo")),
    ("other", _("Other")),
]


class RejectionForm(forms.Form):
    """Why a photo is rejected: a usual reason, a note to the submitter, or both."""

    reason = forms.ChoiceField(label=_("Reason"), choices=REJECTION_REASONS)
    note = forms.CharField(
        label=_("Note to the submitter"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, unless the reason is “Other”. The submitter reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Tell the submitter why the photo is rejected."))
        return cleaned

    def reason_for(self, submission):
        """The reason as the submitter reads it: in the language they sent the photo in."""
        parts = []
        code = self.cleaned_data["reason"]
        if code != "other":
            with translation.override(submission.language):
                parts.append(str(dict(REJECTION_REASONS)[code]))
        if note := self.cleaned_data["note"].strip():
            parts.append(note)
        return "\n\n".join(parts)


def _images_with_thumbnails():
    return get_image_model().objects.prefetch_renditions(THUMBNAIL_FILTER)


class ThumbnailColumn(BaseColumn):
    """The pending photo through the private view, or the approved image's rendition."""

    cell_template_name = "wagtail_iln/photos/admin/_thumbnail_cell.html"

    def __init__(self, name, photo_url_name, **kwargs):
        super().__init__(name, **kwargs)
        self.photo_url_name = photo_url_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.file:
            url = reverse(self.photo_url_name, args=[quote(instance.pk)])
            context["thumbnail_url"] = f"{url}?size=thumb"
        return context


class PhotoSubmissionIndexView(QueueIndexView):
    """The queue: the pending photos by default, newest first; any status through the filter."""

    photo_url_name = None
    bulk_obj_type = "photo"
    select_all_text = _("Select all pending photos in listing")

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("campaign")
            .prefetch_related(Prefetch("image", queryset=_images_with_thumbnails()))
        )

    @cached_property
    def columns(self):
        checkbox, *columns = super().columns
        thumbnail = ThumbnailColumn("thumbnail", self.photo_url_name, label=capfirst(_("photo")))
        return [checkbox, thumbnail, *columns]


class PhotoSubmissionInspectView(QueueInspectView):
    """One photo, everything the submitter sent, and the approve and reject forms."""

    def get_object(self, queryset=None):
        submissions = PhotoSubmission.objects.select_related("campaign", "image", "moderated_by")
        return get_object_or_404(submissions, pk=self.pk)

    def get_page_title(self):
        return gettext("Photo")

    def get_story_display_value(self):
        return paragraphs(self.object.story)

    def get_email_display_value(self):
        return format_html('<a href="mailto:{0}">{0}</a>', self.object.email)

    def get_source_url_display_value(self):
        url = self.object.source_url
        if not url:
            return None
        return format_html('<a href="{0}" target="_blank" rel="noreferrer">{0}</a>', url)

    def get_rejection_reason_display_value(self):
        return paragraphs(self.object.rejection_reason) if self.object.rejection_reason else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        is_pending = self.object.status == Status.PENDING
        context.update(
            {
                "submission": self.object,
                "is_pending": is_pending,
                "rejection_form": RejectionForm(prefix="reject") if is_pending else None,
            }
        )
        if not self.object.file:
            context["photo_url"] = ""
        return context


class ModerateView(ModerationActionView):
    """Base of the approve and reject views: POST only, then back to the queue."""

    model = PhotoSubmission
    error_classes = (ModerationError,)


class ApproveView(ModerateView):
    def moderate(self, submission):
        return approve(submission, self.request.user, approved_url=submission.source_url)

    def get_success_message(self, submission):
        message = gettext("Photo “%(title)s” approved; it is now in the image library.")
        return message % {"title": submission.title}

    def get_success_buttons(self, submission):
        if not submission.image_id:
            return []
        url = reverse("wagtailimages:edit", args=[submission.image_id])
        return [messages.button(url, gettext("Edit image"))]

    def get_unchanged_message(self, submission):
        return gettext("This photo was already approved.")


class RejectView(ModerateView):
    def moderate(self, submission):
        form = RejectionForm(self.request.POST, prefix="reject")
        if not form.is_valid():
            errors = "; ".join(error for errors in form.errors.values() for error in errors)
            messages.error(self.request, gettext("The photo was not rejected: %s") % errors)
            return None
        return reject(submission, self.request.user, form.reason_for(submission))

    def get_success_message(self, submission):
        message = gettext("Photo “%(title)s” rejected; the submitter has been told why.")
        return message % {"title": submission.title}

    def get_unchanged_message(self, submission):
        return gettext("This photo was already rejected.")


class PhotoFileView(ModerationPermissionMixin, View):
    """The pending photo, or with ``?size=thumb`` a small JPEG of it, for moderators only."""

    model = PhotoSubmission
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        submission = get_object_or_404(PhotoSubmission, pk=pk)
        if not submission.file:
            raise Http404
        try:
            if request.GET.get("size") == "thumb":
                response = HttpResponse(self.thumbnail(submission), content_type="image/jpeg")
            else:
                extension = submission.file.name.rsplit(".", 1)[-1].lower()
                content_type = (
                    CONTENT_TYPES.get(extension) or mimetypes.guess_type(submission.file.name)[0]
                )
                response = FileResponse(
                    submission.file.open("rb"),
                    content_type=content_type or "application/octet-stream",
                )
        except (OSError, UnidentifiedImageError) as error:
            raise Http404 from error
        patch_cache_control(response, private=True, no_store=True)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def thumbnail(self, submission):
        with submission.file.open("rb") as photo, Image.open(photo) as image:
            image.draft("RGB", THUMBNAIL_SIZE)
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_SIZE)
            out = BytesIO()
            small.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


class PhotoSubmissionBulkAction(ModerationBulkAction):
    """Approve or reject several pending photos picked in the queue."""

    models = [PhotoSubmission]
    actionable_statuses = (Status.PENDING,)
    filterset_class = PhotoSubmissionFilterSet
    search_fields = SEARCH_FIELDS
    inspect_url_name = f"{VIEWSET_NAME}:inspect"
    header_icon = "image"
    error_classes = (ModerationError,)
    items_template_name = "wagtail_iln/photos/admin/_bulk_items.html"
    skipped_template_name = "wagtail_iln/photos/admin/_bulk_items_not_pending.html"

    @classmethod
    def error_message(cls, submission, error):
        message = gettext("Photo “%(title)s”: %(error)s")
        return message % {"title": submission.title, "error": error}


class ApproveBulkAction(PhotoSubmissionBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected photos")
    page_title = _("Approve photos")
    action_button_text = _("Yes, approve")
    action_priority = 10

    @classmethod
    def moderate(cls, submission, user, form):
        return approve(submission, user, approved_url=submission.source_url)

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return ngettext(
                "%(count)d photo approved.", "%(count)d photos approved.", num_parent_objects
            ) % {"count": num_parent_objects}


class RejectBulkAction(PhotoSubmissionBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected photos")
    page_title = _("Reject photos")
    action_button_text = _("Reject")
    action_priority = 20
    classes = {"serious"}
    form_class = RejectionForm

    @classmethod
    def moderate(cls, submission, user, form):
        return reject(submission, user, form.reason_for(submission))

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return ngettext(
                "%(count)d photo rejected.", "%(count)d photos rejected.", num_parent_objects
            ) % {"count": num_parent_objects}
