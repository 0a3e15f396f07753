"""The public gallery of a photo campaign: approved photos only, in every language."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found

from ..fragments import FOR_CACHE, CachedRenderMixin
from ..likes.rendering import photo_like_buttons
from ..per_request import ChosenSnippetBlockMixin, SharedSnippetChooserBlock
from ..renditions import gallery_filter_specs
from .models import PhotoSubmission, campaign_photos_scope


def approved_photos(campaign):
    """The approved photos of a campaign and all its translations, newest first.

    Each photo's image, credit and gallery renditions are fetched with it, so a
    page of photos costs the same few queries however many it holds.
    """
    # The image and its credit come in the photos' own query; the renditions in one more,
    # where Wagtail's prefetch_renditions() puts them.
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec__in=gallery_filter_specs())
    )
    return (
        PhotoSubmission.objects.filter(
            campaign__translation_key=campaign.translation_key,
            status=PhotoSubmission.Status.APPROVED,
            image__isnull=False,
        )
        .order_by("-moderated_at", "-pk")
        .select_related("image__iln_credit")
        .prefetch_related(
            Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
        )
    )


@dataclass(frozen=True)
class ResponsiveImage:
    """What an ``<img>`` with ``srcset`` needs: the smallest rendition and all widths."""

    url: str
    width: int
    height: int
    srcset: str


def gallery_filters():
    """The gallery's rendition filters, to be shared by every photo of one render.

    A ``Filter`` parses its spec once; reusing the same ones for a page of
    photos saves parsing them again for each photo.
    """
    return [Filter(spec=spec) for spec in gallery_filter_specs()]


def responsive_image(image, filters=None):
    """The gallery renditions of an image (made when missing), one per distinct width."""
    renditions = get_renditions_or_not_found(image, filters or gallery_filters()).values()
    by_width = {}
    for rendition in renditions:
        # An image narrower than a width is not enlarged: keep one entry per width.
        by_width.setdefault(rendition.width, (rendition, rendition.url))
    ordered = [by_width[width] for width in sorted(by_width)]
    smallest, smallest_url = ordered[0]
    return ResponsiveImage(
        url=smallest_url,
        width=smallest.width,
        height=smallest.height,
        srcset=", ".join(f"{url} {rendition.width}w" for rendition, url in ordered),
    )


# Gallery pages kept in the cache: the first ones, which nearly every reader sees,
# asked for as the gallery's own links write their numbers.
CACHED_GALLERY_PAGES = frozenset(str(number) for number in range(1, 21))


class PhotoGalleryBlock(CachedRenderMixin, ChosenSnippetBlockMixin, blocks.StructBlock):
    """A campaign's approved photos with their stories and credits, placed on any page."""

    chosen = "campaign"

    campaign = SharedSnippetChooserBlock("wagtail_iln.PhotoCampaign", label=_("campaign"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    per_page = blocks.IntegerBlock(
        label=_("photos per page"), default=12, min_value=1, max_value=60
    )
    layout = blocks.ChoiceBlock(
        label=_("layout"),
        choices=[("grid", _("Grid")), ("list", _("List"))],
        default="grid",
    )

    class Meta:
        icon = "image"
        label = _("Photo gallery")
        template = "wagtail_iln/blocks/photo_gallery.html"

    # Extend these when get_photos reads other models.
    fragment_models = [
        "wagtail_iln.PhotoCampaign",
        "wagtail_iln.PhotoSubmission",
        "wagtail_iln.ImageCredit",
        "wagtail_iln.Like",
        get_image_model,
    ]

    def get_fragment_dependencies(self, value, context):
        # The gallery shows approved photos: other submissions leave it as it is.
        dependencies = super().get_fragment_dependencies(value, context)
        campaign = value["campaign"]
        if campaign is None:
            return dependencies
        scope = campaign_photos_scope(campaign.translation_key, PhotoSubmission.Status.APPROVED)
        return [(model, scope) if model is PhotoSubmission else model for model in dependencies]

    def fragment_state(self, value, context):
        # One of the first pages, reached by this gallery's own page links alone;
        # any other query string is rendered for the reader who sent it.
        if value["campaign"] is None:
            return ()
        request = context["request"]
        # The campaign names the parameter only when the block has no id.
        campaign = value["campaign"] if context.get("id") else value["campaign"].localized
        parameter = self.page_parameter(campaign, context)
        number = request.GET.get(parameter)
        if set(request.GET) - {parameter}:
            return None
        if number is not None and number not in CACHED_GALLERY_PAGES:
            return None
        return [number]

    def get_photos(self, campaign):
        """The photos shown; override to filter or reorder them (keep them approved)."""
        return approved_photos(campaign)

    def page_parameter(self, campaign, parent_context):
        """The query parameter of this gallery's page number, unique on its page."""
        block_id = (parent_context or {}).get("id")
        suffix = str(block_id)[:8] if block_id else campaign.pk
        return f"iln-gallery-{suffix}"

    def chosen_context(self, campaign, value, context):
        request = context.get("request")
        parameter = self.page_parameter(campaign, context)
        paginator = Paginator(self.get_photos(campaign), max(int(value["per_page"] or 12), 1))
        photos = paginator.get_page(request.GET.get(parameter) if request else None)
        filters = gallery_filters()
        for photo in photos:
            photo.responsive_image = responsive_image(photo.image, filters)
        photo_like_buttons(request, photos, bool(context.get(FOR_CACHE)))
        return {
            "photos": photos,
            "gallery_id": parameter,
            "layout": value["layout"] or "grid",
            "previous_url": self._page_url(request, parameter, photos, "previous"),
            "next_url": self._page_url(request, parameter, photos, "next"),
        }

    def _page_url(self, request, parameter, photos, direction):
        if not getattr(photos, f"has_{direction}")():
            return None
        # The other parameters stay, so each gallery on a page keeps its own page.
        query = request.GET.copy() if request is not None else QueryDict(mutable=True)
        query[parameter] = getattr(photos, f"{direction}_page_number")()
        return f"?{query.urlencode()}#{parameter}"
