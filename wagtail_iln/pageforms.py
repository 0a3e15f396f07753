"""Forms placed in pages: what the app's public forms share.

``PageFormView`` answers every public form: the page a form was posted from
is found, and shown again with the bound form, an error summary and the
errors; the visitor is sent back to it with a thank-you. Fields hold one line
of text (``OneLineField``); a form sent twice is recognised (``DuplicatePost``).
"""

import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.models import Page

from .conf import get_setting
from .mail import after_response
from .navigation import links_to, live_translations
from .ratelimit import SENT, count_accepted, count_mistake, refusal, uncount
from .widgets import PublicFormRenderer


def source_page(request):
    """The live, public page a form was posted from, or None.

    Its ``page`` field in a post; the ``page`` query parameter of the form's
    action otherwise (a GET of the URL the form posts to).
    """
    data = request.POST if request.method == "POST" else request.GET
    page_id = data.get("page", "")
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


def email_errors(required):
    """The messages of a public form's e-mail field: what to type, in the reader's words."""
    return {
        "required": required,
        # Translators: under an e-mail field whose address is not one.
        "invalid": _("Enter an e-mail address such as name@example.org."),
    }


class PublicFormMixin:
    """What every public form does: ids of its own, and no error hidden with its field.

    ``id_prefix`` (e.g. ``"iln-photo-3"``) makes the form's element ids, so two
    forms on one page never share one and each label points at its own field;
    the posted field names do not change. Nobody can see or fix a hidden field:
    its errors are shown as errors of the whole form. The top of the form
    (``includes/_form_notices.html``) shows why it was handed back.
    """

    id_prefix = "iln-form"
    #: ``{field name: label}`` the error summary names a field by, where its own label
    #: is long (a consent's whole sentence).
    summary_labels = {}
    #: The site's renderer, with plain inputs made in Python (``widgets.PublicFormRenderer``).
    default_renderer = PublicFormRenderer
    #: Shown at the top of the form when the visitor has posted too often (``rate_limited``).
    rate_limited_message = _("You have sent many requests in a short time. Please try again later.")
    #: Shown instead when this form came back with errors too often (``INVALID_POST_RATE_LIMIT``).
    too_many_errors_message = _(
        "This form was sent with mistakes many times from your network in a short time. "
        "Please try again later."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.get_id_prefix()}-%s")
        super().__init__(*args, **kwargs)

    def get_id_prefix(self):
        return self.id_prefix

    def refuse(self, message):
        """Hand the form back unread, with ``message`` at its top: the client posted too often.

        What was typed is shown again; the post is not validated, so a refused
        post costs no checking and shows no errors.
        """
        self.rate_limited = True
        self.rate_limited_message = message
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def full_clean(self):
        super().full_clean()
        for field in self.hidden_fields():
            errors = self._errors.pop(field.name, None) if self._errors else None
            if errors:
                self.add_error(None, errors.as_data())


class DuplicatePost(Exception):
    """The form was already sent: a double click or a replayed post."""


def field_anchor(field):
    """The id of a bound field's input, the first of them for a list of radios or boxes."""
    if field.id_for_label:
        return field.id_for_label
    return next((widget.id_for_label for widget in field.subwidgets), field.auto_id)


def error_summary(form):
    """``(anchor, label, error)`` for each error of ``form``; no anchor for hidden fields.

    Errors that belong to no field come first, then the fields' in the form's order.
    """
    items = [("", "", error) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            if field.is_hidden:
                items.append(("", "", error))
            else:
                label = getattr(form, "summary_labels", {}).get(field.name, field.label)
                items.append((field_anchor(field), label, error))
    return items


class PageFormView(View):
    """The URL a form placed in pages posts to: one for every public form of the app.

    A post is answered in the language of the page it came from:

    - the object the form is for is found (``get_target``), or 404;
    - closed (``is_open``): the page again, saying so, 403;
    - too many posts accepted from the client (``rate_limit_scope``,
      ``rate_limit_setting``), or too many handed back with errors
      (``INVALID_POST_RATE_LIMIT``, a much higher ceiling): the page with the
      form and a notice, 429, before the form is validated;
    - a form sent before (``is_replay``, or ``save`` raising ``DuplicatePost``):
      the thank-you again;
    - not valid, or ``save`` returned None: the page with the form, an error
      summary at its top and each field's errors, 400;
    - saved: a redirect to the thank-you (``thank_you_url``).

    Only a saved post counts toward the form's limit: someone who corrects
    their mistakes, or colleagues sharing one address, are never refused for
    the posts handed back to them.

    The page is shown by ``render_form``, the one place that decides how a
    form handed back looks: its block finds the bound form with
    ``bound_form``, and the fragment cache leaves the page's blocks uncached
    (``fragments.cacheable``). A form posted from no page is shown on a page
    of its own, ``own_template``.

    The form's action (``form_context``) carries the page in its query string
    and the form's id as its fragment: the browser shows the answer to an
    invalid post scrolled to the form, and a GET of the URL (a reload, a
    shared link) is sent to the page the form is on.
    """

    #: The name the form's block looks a handed-back form up by (``bound_form``).
    form_kind = ""
    form_class = None
    #: The rate limit: its counter, and the ``WAGTAIL_ILN`` setting of (posts, seconds).
    rate_limit_scope = ""
    rate_limit_setting = ""
    #: The query parameter of the thank-you URL.
    thank_you_parameter = ""
    #: The page shown when the form was posted from no page, and the URL's name.
    own_template = None
    url_name = ""
    #: The model of what the form is for, found by the URL's ``pk`` (``get_target_queryset``),
    #: and the start of the id of the element around the form (``anchor``).
    target_model = None
    anchor_prefix = ""

    # Where the form lives: class methods, so blocks can ask too.

    @classmethod
    def anchor(cls, target):
        """The id of the element around the form: where the thank-you and a GET land."""
        return f"{cls.anchor_prefix}-{target.pk}"

    @classmethod
    def form_id(cls, target):
        """The id of the ``<form>``: where the answer to an invalid post is scrolled to."""
        return f"{cls.anchor(target)}-form"

    @classmethod
    def action(cls, target, page):
        """The form's action: this view's URL, the page in its query, the form's id as fragment."""
        url = reverse(cls.url_name, args=[target.pk])
        if page is not None:
            url += f"?page={page.pk}"
        return f"{url}#{cls.form_id(target)}"

    @classmethod
    def form_context(cls, target, page):
        """What the form's template needs to post to this view: ``form_id``, ``form_action``."""
        return {"form_id": cls.form_id(target), "form_action": cls.action(target, page)}

    # Answering a request

    @method_decorator(never_cache)  # a form handed back shows what the visitor typed
    @method_decorator(after_response)  # the answer takes as long whatever the e-mails do
    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_target(**kwargs)
        self.page = self.get_page()
        # Errors and e-mails speak the language of the page the form was on.
        with translation.override(self.get_language()):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, TemplateResponse):
                response.context_data.setdefault("iln_language_links", self.language_links())
                response.render()
        return response

    def language_links(self):
        """The language switcher's links on this view's own page (``navigation.links_to``).

        The page speaks the language of the page it was reached from, not of its
        URL: each language links to this page reached from that language's
        translation of it (``?page=``), or, without one, to this page in that
        language's URLs, which then speaks it.
        """
        match = self.request.resolver_match
        translations = live_translations(self.page) if self.page is not None else {}
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            query = self.request.GET.copy()
            if code in translations:
                query["page"] = translations[code].pk
            else:
                query.pop("page", None)
            urls[code] = f"{path}?{query.urlencode()}" if query else path
        return links_to(urls)

    def get(self, request, *args, **kwargs):
        """Send the visitor to the page the form is on; without one, show the form's own page."""
        url = self.page.get_url(request) if self.page is not None else None
        if url:
            return HttpResponseRedirect(f"{url}#{self.anchor(self.target)}")
        return self.render_form(self.get_form() if self.is_open() else None, status=200)

    def post(self, request, *args, **kwargs):
        if not self.is_open():
            return self.render_form(None, status=403)
        form = self.get_form(request.POST, request.FILES)
        scope, limit = self.rate_limit_scope, get_setting(self.rate_limit_setting)
        why = refusal(request, scope, limit)
        if why is not None:
            sent = why == SENT
            return self.refuse(
                form, form.rate_limited_message if sent else form.too_many_errors_message
            )
        if self.is_replay(form):
            return HttpResponseRedirect(self.thank_you_url(None))
        if form.is_valid():
            if count_accepted(request, scope, limit):
                return self.refuse(form, form.rate_limited_message)
            saved = None
            try:
                saved = self.save(form)
            except DuplicatePost:
                return HttpResponseRedirect(self.thank_you_url(None))
            finally:
                if saved is None:  # nothing was accepted: the post does not count
                    uncount(request, scope)
            if saved is not None:
                return HttpResponseRedirect(self.thank_you_url(saved))
        count_mistake(request, scope)
        return self.render_form(form, status=400)

    def refuse(self, form, message):
        """The page with ``form`` handed back unread and ``message`` at its top, 429."""
        form.refuse(message)
        return self.render_form(form, status=429)

    # Hooks

    def get_target(self, pk):
        """The object the form is for, from the URL's ``pk``; ``Http404`` if there is none."""
        return get_object_or_404(self.get_target_queryset(), pk=pk)

    def get_target_queryset(self):
        return self.target_model._default_manager.all()

    def get_page(self):
        """The page the form was on (``source_page``), or None."""
        return source_page(self.request)

    def source_url(self):
        """The full URL of the page the form was on, or "" (stored with what was sent)."""
        return (self.page.get_full_url(self.request) or "") if self.page else ""

    def get_language(self):
        return self.page.locale.language_code if self.page else translation.get_language()

    def is_open(self):
        """Whether the form takes posts now."""
        return True

    def get_form(self, data=None, files=None):
        return self.form_class(self.target, data, files)

    def is_replay(self, form):
        """Whether this very form was sent before, checked before it is validated."""
        return form.is_replay()

    def save(self, form):
        """Act on a valid form: the object saved, None when ``form`` now has errors.

        Raise ``DuplicatePost`` when the form was already sent.
        """
        raise NotImplementedError

    def thank_you_url(self, saved):
        """Where a sent form goes: ``saved`` is what ``save`` returned, None for a replay."""
        return return_url(
            self.request,
            self.page,
            self.thank_you_parameter,
            self.target.pk,
            self.anchor(self.target),
        )

    def block_key(self):
        """The key the page's block finds the handed-back form under, with ``form_kind``."""
        return self.target.pk

    def get_own_page_context(self, form):
        """The context of ``own_template`` beyond the form."""
        return {}

    def render_form(self, form, status):
        """The page the form was sent from, with ``form`` (bound, with its errors) in place."""
        if self.page is not None:
            return render_page_with_form(
                self.request, self.page, self.form_kind, self.block_key(), form, status
            )
        context = {
            **self.get_own_page_context(form),
            **self.form_context(self.target, None),
            "form": form,
            "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        }
        return TemplateResponse(self.request, self.own_template, context, status=status)
