"""Forms placed in pages: what the app's public forms share.

The page a form was posted from is found, and shown again with a bound form
and its errors; the visitor is sent back to it with a thank-you; fields hold
one line of text; a form sent twice is recognised.
"""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.models import Page


def source_page(request):
    """The live, public page a form was posted from (its ``page`` field), or None."""
    page_id = request.POST.get("page", "")
    # isdigit() alone lets "²" through, which the database lookup cannot turn into an id.
    if not (page_id.isascii() and page_id.isdigit()):
        return None
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page.specific if page else None


def bound_form(request, kind, key):
    """The form a view handed back for the block showing ``kind`` ``key``, if any."""
    return getattr(request, "wagtail_iln_forms", {}).get((kind, key))


def handed_back(request):
    """Whether this response shows a form a view handed back (a post with errors)."""
    return bool(getattr(request, "wagtail_iln_forms", None))


def render_page_with_form(request, page, kind, key, form, status):
    """Serve ``page`` with ``form`` (bound, with its errors) where its block shows it."""
    request.wagtail_iln_forms = {(kind, key): form}
    return TemplateResponse(
        request, page.get_template(request), page.get_context(request), status=status
    )


def return_url(request, page, parameter, value, anchor):
    """Where a form sends the visitor back: its page, with a query parameter and an anchor.

    Without a page, the ``next`` field of the post, when it is a URL of this site.
    """
    url = page.get_url(request) if page else request.POST.get("next", "/")
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = "/"
    return f"{url}?{parameter}={value}#{anchor}"


ONE_LINE = re.compile(r"\s+")
# Unicode's direction embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069):
# in a name they turn the text shown after it around ("Ana\u202egro.elpmaxe" reads
# "Ana example.org"), so that a name can pass for something else.
DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_direction_controls(text):
    """``text`` without Unicode direction controls."""
    return text.translate(DIRECTION_CONTROLS)


class OneLineField(forms.CharField):
    """Text on one line: line breaks and runs of spaces become one space.

    Unicode direction controls are removed: a name or a title cannot reorder
    what is shown around it.
    """

    def to_python(self, value):
        return ONE_LINE.sub(" ", strip_direction_controls(super().to_python(value))).strip()


def _count_choices(choices):
    return sum(
        len(value) if isinstance(value, (list, tuple)) else 1  # a group of choices, or one
        for _key, value in choices
    )


class DistinctChoicesMixin:
    """For a multiple-choice field: each value counts once, and no more values than choices.

    A value sent twice is kept once; a post with more (distinct) values than
    the field has choices is refused before any value is looked at.
    """

    too_many_message = ngettext_lazy(
        "Choose at most %(limit)d option.", "Choose at most %(limit)d options.", "limit"
    )

    def to_python(self, value):
        return list(dict.fromkeys(super().to_python(value)))

    def validate(self, value):
        limit = _count_choices(self.choices)
        if len(value) > limit:
            raise ValidationError(self.too_many_message, code="too_many", params={"limit": limit})
        super().validate(value)


class DistinctMultipleChoiceField(DistinctChoicesMixin, forms.MultipleChoiceField):
    """Several choices from a list, each once."""


class FormKeyField(forms.UUIDField):
    """The hidden one-time key of a public form; a new one each time the form is shown."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _(
            "This form is incomplete or out of date. Please reload the page and send it again."
        ),
        "invalid": _(
            "This form is incomplete or out of date. Please reload the page and send it again."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


class PublicFormMixin:
    """What every public form does: ids of its own, and no error hidden with its field.

    ``id_prefix`` (e.g. ``"iln-photo-3"``) makes the form's element ids, so two
    forms on one page never share one and each label points at its own field;
    the posted field names do not change. Nobody can see or fix a hidden field:
    its errors are shown as errors of the whole form.
    """

    id_prefix = "iln-form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.get_id_prefix()}-%s")
        super().__init__(*args, **kwargs)

    def get_id_prefix(self):
        return self.id_prefix

    def full_clean(self):
        super().full_clean()
        for field in self.hidden_fields():
            errors = self._errors.pop(field.name, None) if self._errors else None
            if errors:
                self.add_error(None, errors.as_data())


class DuplicatePost(Exception):
    """The form was already sent: a double click or a replayed post."""
