from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..fragments import CachedRenderMixin, fragment_form_key
from ..pageforms import bound_form
from ..per_request import ChosenSnippetBlockMixin, SharedSnippetChooserBlock
from .forms import PhotoSubmissionForm
from .views import SENT_PARAMETER, PhotoSubmitView


class PhotoSubmissionFormBlock(CachedRenderMixin, ChosenSnippetBlockMixin, blocks.StructBlock):
    """A campaign's photo form, placed on any page."""

    chosen = "campaign"

    campaign = SharedSnippetChooserBlock("wagtail_iln.PhotoCampaign", label=_("campaign"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Photo submission form")
        template = "wagtail_iln/blocks/photo_submission_form.html"

    def fragment_state(self, value, context):
        # As for the application form: the thank-you is this reader's own.
        if SENT_PARAMETER in context["request"].GET:
            return None
        campaign = value["campaign"]
        return [campaign.localized.is_open if campaign else None]

    def chosen_context(self, campaign, value, context):
        request = context.get("request")
        form = bound_form(request, "photo", campaign.pk) if request is not None else None
        if form is None:
            form = fragment_form_key(PhotoSubmissionForm(campaign), context)
        return {
            **PhotoSubmitView.form_context(campaign, context.get("page")),
            "form": form,
            "sent": request is not None and request.GET.get(SENT_PARAMETER) == str(campaign.pk),
        }
