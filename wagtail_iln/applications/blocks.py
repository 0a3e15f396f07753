from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..fragments import CachedRenderMixin, fragment_form_key
from ..pageforms import bound_form
from ..per_request import SharedSnippetChooserBlock
from .forms import RoundApplicationForm, application_window, window_context
from .views import APPLIED_PARAMETER, FORM_KIND, ApplyView


class RoundApplicationBlock(CachedRenderMixin, blocks.StructBlock):
    """A round's application form, placed on any page.

    Outside the round's application window the block says when applications
    open or that they have closed, instead of the form.
    """

    round = SharedSnippetChooserBlock("wagtail_iln.Round", label=_("round"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)

    class Meta:
        icon = "user"
        label = _("Round application form")
        template = "wagtail_iln/applications/block.html"

    fragment_models = ["wagtail_iln.Round"]

    def fragment_state(self, value, context):
        # The unfilled form in its window is the same for everyone; the
        # thank-you is this reader's own.
        if APPLIED_PARAMETER in context["request"].GET:
            return None
        # A round's dates are the same in all its translations.
        return [application_window(value["round"]) if value["round"] else None]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        round = value["round"]
        if round is not None:
            round = round.localized
        form = None
        sent = False
        if round is not None and request is not None:
            form = bound_form(request, FORM_KIND, round.pk)
            sent = request.GET.get(APPLIED_PARAMETER) == str(round.pk)
        if round is not None:
            if form is None:
                form = fragment_form_key(RoundApplicationForm(round), context)
            context.update(ApplyView.form_context(round, context.get("page")))
        context.update(round=round, form=form, sent=sent)
        if round is not None:
            context.update(window_context(round))
        return context
