from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from ..pageforms import bound_form
from .application_forms import RoundApplicationForm, application_window
from .application_views import APPLIED_PARAMETER, FORM_KIND


class RoundApplicationBlock(blocks.StructBlock):
    """A round's application form, placed on any page.

    Outside the round's application window the block says when applications
    open or that they have closed, instead of the form.
    """

    round = SnippetChooserBlock("wagtail_iln.Round", label=_("round"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)

    class Meta:
        icon = "user"
        label = _("Round application form")
        template = "wagtail_iln/people/apply/block.html"

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
        if round is not None and form is None:
            form = RoundApplicationForm(round)
        context.update(
            round=round,
            form=form,
            sent=sent,
            window=application_window(round) if round is not None else None,
        )
        return context
