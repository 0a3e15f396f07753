from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from ..pageforms import bound_form
from .forms import PhotoSubmissionForm
from .views import SENT_PARAMETER


class PhotoSubmissionFormBlock(blocks.StructBlock):
    """A campaign's photo form, placed on any page."""

    campaign = SnippetChooserBlock("wagtail_iln.PhotoCampaign", label=_("campaign"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Photo submission form")
        template = "wagtail_iln/blocks/photo_submission_form.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        campaign = value["campaign"]
        if campaign is not None:
            campaign = campaign.localized
        form = None
        sent = False
        if campaign is not None and request is not None:
            form = bound_form(request, "photo", campaign.pk)
            sent = request.GET.get(SENT_PARAMETER) == str(campaign.pk)
        if campaign is not None and form is None:
            form = PhotoSubmissionForm(campaign)
        context.update(campaign=campaign, form=form, sent=sent)
        return context
