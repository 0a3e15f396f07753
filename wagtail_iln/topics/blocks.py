import copy

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from ..applications.blocks import RoundApplicationBlock
from ..photos.blocks import PhotoSubmissionFormBlock
from ..photos.gallery import PhotoGalleryBlock
from ..programme.blocks import RoundBlock, RoundStatsBlock
from .calendar import calendar_context
from .sharing import share_links


class PromptSectionBlock(blocks.StructBlock):
    """One part of a topic: “Your workplace”, “You”, “Your partnership”…"""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    intro = blocks.TextBlock(label=_("intro"), required=False)
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("question"), max_length=500),
        label=_("questions"),
        min_num=1,
    )

    class Meta:
        icon = "help"
        label = _("Prompt section")
        template = "wagtail_iln/blocks/prompt_section.html"


class ImageWithCreditChooserBlock(ImageChooserBlock):
    """An ``ImageChooserBlock`` that fetches each image's credit with it."""

    # The same block as Wagtail's in migrations.
    canonical_module_path = "wagtail.images.blocks.ImageChooserBlock"

    def bulk_to_python(self, values):
        images = self.model_class.objects.select_related("iln_credit").in_bulk(values)
        seen = set()
        result = []
        for value in values:
            image = images.get(value)
            # As Wagtail's: an image chosen twice gets an instance of its own each time.
            result.append(copy.copy(image) if image is not None and value in seen else image)
            seen.add(value)
        return result


class CreditedImageBlock(blocks.StructBlock):
    """An image shown with its credit line."""

    image = ImageWithCreditChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image with credit")
        template = "wagtail_iln/blocks/credited_image.html"


class CallToActionBlock(blocks.StructBlock):
    """What to do next: post with the hashtags, share the topic."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    hashtags = blocks.ListBlock(
        blocks.RegexBlock(
            regex=r"^#?[\w]+$",
            error_messages={"invalid": _("A hashtag is one word: letters, digits and _.")},
            label=_("hashtag"),
            max_length=60,
        ),
        label=_("hashtags"),
        default=[],
    )
    show_share_links = blocks.BooleanBlock(
        label=_("show share links"), required=False, default=True
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "wagtail_iln/blocks/call_to_action.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["hashtags"] = [tag.lstrip("#") for tag in value["hashtags"]]
        page = (parent_context or {}).get("page")
        request = (parent_context or {}).get("request")
        if value["show_share_links"] and page is not None:
            context["share_links"] = share_links(
                page.get_full_url(request), page.title, context["hashtags"]
            )
        return context


class TopicCalendarBlock(RoundBlock):
    """This fortnight's topic of a round, and its calendar of topics."""

    class Meta:
        icon = "date"
        label = _("Topic calendar")
        template = "wagtail_iln/blocks/topic_calendar.html"

    def chosen_context(self, round, value, context):
        return calendar_context(round)


class TopicBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label=_("Text"))
    prompt_section = PromptSectionBlock()
    image = CreditedImageBlock()
    call_to_action = CallToActionBlock()
    photo_submission_form = PhotoSubmissionFormBlock()
    photo_gallery = PhotoGalleryBlock()
    round_stats = RoundStatsBlock()
    round_application_form = RoundApplicationBlock()
    topic_calendar = TopicCalendarBlock()
