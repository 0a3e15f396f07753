from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BaseColumn
from wagtail.images import get_image_model
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ImageCredit

# Keep in step with wagtail_iln/credits/_thumbnail_cell.html.
THUMBNAIL_FILTER = "fill-80x60"


class ThumbnailColumn(BaseColumn):
    cell_template_name = "wagtail_iln/credits/_thumbnail_cell.html"


class ImageCreditViewSet(SnippetViewSet):
    model = ImageCredit
    icon = "image"
    menu_label = _("Image credits")
    menu_name = "iln-image-credits"
    menu_order = 301
    add_to_admin_menu = True
    list_display = [
        "image",
        ThumbnailColumn("thumbnail", label=capfirst(_("thumbnail"))),
        "title",
        "creator",
        "licence",
    ]
    list_filter = ["licence"]
    list_export = ["image", "title", "creator", "licence", "source_url"]
    search_fields = ["title", "creator", "image__title"]
    search_backend_name = None
    ordering = ["image__title"]

    def get_queryset(self, request):
        images = get_image_model().objects.prefetch_renditions(THUMBNAIL_FILTER)
        return ImageCredit.objects.prefetch_related(Prefetch("image", queryset=images))
