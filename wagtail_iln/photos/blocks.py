from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..fragments import CachedRenderMixin, fragment_form_key
from ..pageforms import bound_form
from ..per_request import SharedSnippetChooserBlock
from .forms import PhotoSubmissionForm
from .views import SENT_PARAMETER, PhotoSubmitView


class PhotoSubmissionFormBlock(CachedRenderMixin, blocks.StructBlock):
    """A campaign's photo form, placed on any page."""

    campaign = SharedSnippetChooserBlock("wagtail_iln.PhotoCampaign", label=_("campaign"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Photo submission form")
        template = "wagtail_iln/blocks/photo_submission_form.html"

    fragment_models = ["wagtail_iln.PhotoCampaign"]

    def fragment_state(self, value, context):
        # As for the application form: the thank-you is this reader's own.
        if SENT_PARAMETER in context["request"].GET:
            return None
        campaign = value["campaign"]
        return [campaign.localized.is_open if campaign else None]

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
        if campaign is not None:
            if form is None:
                form = fragment_form_key(PhotoSubmissionForm(campaign), context)
            context.update(PhotoSubmitView.form_context(campaign, context.get("page")))
        context.update(campaign=campaign, form=form, sent=sent)
        return context
