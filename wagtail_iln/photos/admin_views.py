"""The moderators' views of photo submissions: the queue, one photo, the private photo.

Every view checks the ``moderate`` action of the submissions' permission policy
(``wagtail_iln.moderate_photosubmission``, see ``wagtail_iln.moderation``); the
pending photo itself is only ever served by ``PhotoFileView``, never by a public URL.
Approving and rejecting are the queue's actions (``admin_viewsets.py``).
"""

import mimetypes
from io import BytesIO

from django.contrib.admin.utils import quote
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.admin.ui.tables import BaseColumn
from wagtail.images import get_image_model

from ..moderation.views import (
    ModerationPermissionMixin,
    QueueIndexView,
    QueueInspectView,
    paragraphs,
)
from .models import PhotoSubmission

# Keep in step with wagtail_iln/photos/admin/_thumbnail_cell.html.
THUMBNAIL_FILTER = "max-160x160"
THUMBNAIL_SIZE = (160, 160)
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


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
        context["submission"] = self.object
        if not self.object.file:
            context["photo_url"] = ""
        return context


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
