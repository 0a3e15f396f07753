"""The public gallery of a photo campaign: approved photos only, in every language."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found

from ..fragments import FOR_CACHE, CachedRenderMixin
from ..likes.models import Like, photo_likes_scope
from ..likes.rendering import photo_like_buttons, render_like_buttons
from ..per_request import ChosenSnippetBlockMixin, SharedSnippetChooserBlock
from ..renditions import gallery_filter_specs
from .models import PhotoSubmission, campaign_photos_scope


def approved_photos(campaign):
    """The approved photos of a campaign and all its translations, newest first.

    Each photo's image and credit come in the photos' own query; a gallery finds
    the renditions of a page of photos in one more (``gallery_images``).
    """
    return (
        PhotoSubmission.objects.filter(
            campaign__translation_key=campaign.translation_key,
            status=PhotoSubmission.Status.APPROVED,
            image__isnull=False,
        )
        .order_by("-moderated_at", "-pk")
        .select_related("image__iln_credit")
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


def _responsive(renditions):
    """A ``ResponsiveImage`` from ``(url, width, height)`` triples, one kept per width."""
    by_width = {}
    for url, width, height in renditions:
        # An image narrower than a width is not enlarged: keep one entry per width.
        by_width.setdefault(width, (url, width, height))
    ordered = [by_width[width] for width in sorted(by_width)]
    url, width, height = ordered[0]
    return ResponsiveImage(
        url=url,
        width=width,
        height=height,
        srcset=", ".join(f"{url} {width}w" for url, width, _height in ordered),
    )


def responsive_image(image, filters=None):
    """The gallery renditions of an image (made when missing), one per distinct width."""
    renditions = get_renditions_or_not_found(image, filters or gallery_filters()).values()
    return _responsive(
        (rendition.url, rendition.width, rendition.height) for rendition in renditions
    )


def gallery_images(images):
    """``{image pk: ResponsiveImage}`` for ``images``, their renditions read in one query.

    The rows are read as values, not as renditions: a page of photos holds a few
    dozen, and making a model instance of each cost a first reader more than
    the query. An image missing one of its renditions goes through
    ``responsive_image``, which makes it.
    """
    specs = gallery_filter_specs()
    Rendition = get_image_model().get_rendition_model()
    storage = Rendition._meta.get_field("file").storage
    found = defaultdict(list)
    rows = Rendition.objects.filter(
        image__in=[image.pk for image in images],
        filter_spec__in=specs,
        # A width filter does not depend on the focal point: its key is empty.
        focal_point_key="",
    ).values_list("image_id", "file", "width", "height")
    for image_id, name, width, height in rows:
        found[image_id].append((storage.url(name), width, height))
    filters = None
    responsive = {}
    for image in images:
        if len(found[image.pk]) == len(specs):
            responsive[image.pk] = _responsive(found[image.pk])
        else:
            filters = filters or gallery_filters()
            responsive[image.pk] = responsive_image(image, filters)
    return responsive


class GalleryPaginator(Paginator):
    """A paginator whose first page counts its photos itself when they all fit on it.

    The first page reads one photo more than it shows: when there is none, the
    gallery has one page and needs no count query.
    """

    def get_page(self, number):
        if str(number or 1) != "1" or "count" in self.__dict__:
            return super().get_page(number)
        photos = list(self.object_list[: self.per_page + 1])
        if len(photos) <= self.per_page:
            self.__dict__["count"] = len(photos)  # a cached_property, known now
        return self._get_page(photos[: self.per_page], 1, self)


# A gallery among a topic's blocks shows the first PREVIEW_LINES lines of a long story,
# with a button that shows it whole (the line clamp and the container query of the CSS).
# About how many characters a line of a story holds in the narrowest card (a grid's
# column on a wide screen) and in a card 21rem wide (a phone's), counted generously: a
# story that takes a line more than counted shows whole, one counted long for nothing
# would have a button that shows no more.
PREVIEW_LINES = 4
NARROW_LINE = 20
WIDE_LINE = 32


def story_lines(story, line_length):
    """About how many lines ``story`` takes where a line holds ``line_length`` characters."""
    return sum(max(1, -(-len(line) // line_length)) for line in story.splitlines())


def story_fold(story):
    """Where the gallery shows only the start of ``story``, with a button that shows the rest.

    ``""``: nowhere, the story fits in the preview's lines in every card;
    ``"narrow"``: in a narrow card only; ``"always"``: in every card.
    Estimated from the story's length, so that the gallery's HTML is the same
    at every width: a story that fits shows whole, without a button.
    """
    if story_lines(story, WIDE_LINE) > PREVIEW_LINES:
        return "always"
    if story_lines(story, NARROW_LINE) > PREVIEW_LINES:
        return "narrow"
    return ""


def fold_stories(photos):
    """Give each photo its ``story_fold`` and, when it has one, ``story_label``.

    ``story_label`` names the button that shows the whole story, and the photo,
    for screen readers; the button's text is the context's ``read_whole_story``.
    """
    # Translators: the name screen readers give the button under the start of a photo's
    # story; begin it as "Read the whole story" is translated, the text the button shows.
    label = gettext("Read the whole story of “%(title)s”")
    for photo in photos:
        photo.story_fold = story_fold(photo.story)
        if photo.story_fold:
            photo.story_label = label % {"title": photo.title}


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

    # Nothing a gallery shows changes with the day: its renderings outlive midnight.
    fragment_dated = False
    # Extend these when get_photos reads other models.
    fragment_models = [
        "wagtail_iln.PhotoCampaign",
        "wagtail_iln.PhotoSubmission",
        "wagtail_iln.ImageCredit",
        "wagtail_iln.Like",
        get_image_model,
    ]

    def get_fragment_dependencies(self, value, context):
        # The gallery shows approved photos and their likes: other submissions, and likes of
        # topics or of other campaigns' photos, leave it as it is.
        dependencies = super().get_fragment_dependencies(value, context)
        campaign = value["campaign"]
        if campaign is None:
            return dependencies
        scopes = {
            PhotoSubmission: campaign_photos_scope(
                campaign.translation_key, PhotoSubmission.Status.APPROVED
            ),
            Like: photo_likes_scope(campaign.translation_key),
        }
        return [(model, scopes[model]) if model in scopes else model for model in dependencies]

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
        per_page = max(int(value["per_page"] or 12), 1)
        paginator = GalleryPaginator(self.get_photos(campaign), per_page)
        photos = paginator.get_page(request.GET.get(parameter) if request else None)
        responsive = gallery_images([photo.image for photo in photos])
        for photo in photos:
            photo.responsive_image = responsive[photo.image.pk]
        fold_stories(photos)
        photo_like_buttons(request, photos, bool(context.get(FOR_CACHE)))
        render_like_buttons(photos, context)
        return {
            "photos": photos,
            "gallery_id": parameter,
            "layout": value["layout"] or "grid",
            # Translators: the button under the start of a photo's story, which shows it whole.
            "read_whole_story": gettext("Read the whole story"),
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
