"""How the public forms' fields are rendered: each field, and the long lists.

``render_field`` (``{% iln_field %}``) makes a field's label, help and errors
without Django's templates, which a topic page's first reader would otherwise
wait for, field by field, in two forms.

Django renders every ``<option>`` of a select through a template include, so
one select of the ~600 time zones costs more than the rest of a topic page.
The widgets for the long lists (countries, time zones, languages)
render each distinct state of the list (its name, attributes, choices, the
selected values and the language) once per process and reuse the HTML, which
is the same for every visitor of an unfilled form.

``PublicFormRenderer`` makes the plainest widgets (``<input>``,
``<textarea>``, ``<select>``, lists of radio buttons and checkboxes) in Python as Django's
own templates would, about ten times faster, as long as those templates are
Django's own.
"""

import functools
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

MAX_ENTRIES = 256  # distinct renderings kept per process (a few languages × a few forms)

_rendered = OrderedDict()
_lock = Lock()


class Listed(BaseChoiceIterator):
    """The choices ``function()`` lists when they are read, as it lists them.

    For a field's ``choices`` in place of ``function`` itself: Django reads a
    callable's choices anew and normalises each of them every time they are
    read (the field's widget reads them twice to render, ~250 countries), where
    ``function`` here already lists ``(value, label)`` pairs, made once per
    language.
    """

    def __init__(self, function):
        self.function = function

    def __iter__(self):
        return iter(self.function())


class RenderOnceMixin:
    def _render_key(self, name, value, attrs, renderer):
        choices = tuple(self.choices)
        try:
            hash(choices)
        except TypeError:  # groups of choices, in lists
            choices = repr(choices)
        return (
            type(self),
            name,
            repr(self.format_value(value)),
            repr(sorted(self.build_attrs(self.attrs, attrs).items())),
            choices,
            get_language(),
            renderer.__class__ if renderer is not None else None,
        )

    def render(self, name, value, attrs=None, renderer=None):
        key = self._render_key(name, value, attrs, renderer)
        with _lock:
            html = _rendered.get(key)
            if html is not None:
                _rendered.move_to_end(key)
                return html
        html = super().render(name, value, attrs, renderer)
        with _lock:
            _rendered[key] = html
            while len(_rendered) > MAX_ENTRIES:
                _rendered.popitem(last=False)
        return html


class Select(RenderOnceMixin, forms.Select):
    pass


# A list of languages shows what is chosen in it, scrolled out of sight or not (chosen.js).
LANGUAGE_LIST_ATTRS = {
    "size": 8,
    "data-iln-chosen": gettext_lazy("Chosen: %(choices)s."),
    "data-iln-none-chosen": gettext_lazy("None chosen yet."),
}


class SelectMultiple(RenderOnceMixin, forms.SelectMultiple):
    pass


# A label ending in one of these gets no suffix; Django's own catalogs translate them.
LABEL_PUNCTUATION = ":?.!"


def optional_marked(field, label):
    """``label``, followed by "(optional)" when the field may be left empty.

    Most fields of the public forms are required: the few that are not say so,
    and people need not find out by sending the form.
    """
    if field.field.required or field.name == "website":
        return label
    return format_html(
        '{} <span class="iln-field__optional">{}</span>',
        label,
        # Translators: after the label of a form field that may be left empty.
        gettext("(optional)"),
    )


def _label(field, suffixed=True):
    """``field.label_tag()``'s HTML, made without rendering Django's label template.

    Without ``suffixed``, no colon: a checkbox's label follows the box, as a sentence.
    """
    contents = field.label
    suffix = field.field.label_suffix if suffixed else ""
    if suffix is None:
        suffix = field.form.label_suffix
    ends_sentence = contents and contents[-1] in gettext(LABEL_PUNCTUATION)
    if suffixed:  # a checkbox is optional by nature
        contents = optional_marked(field, contents)
    if suffix and contents and not ends_sentence:
        contents = format_html("{}{}", contents, suffix)
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return conditional_escape(contents)
    attrs = {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if field.field.required and getattr(field.form, "required_css_class", None):
        attrs["class"] = field.form.required_css_class
    return format_html("<label{}>{}</label>", flatatt(attrs), contents)


def render_field(field):
    """One field of a public form (a ``BoundField``): its label, widget, help and errors.

    ``{% iln_field field %}``. Choices of several (radio buttons, checkboxes)
    are a fieldset; the honeypot (``website``) is hidden from people and
    assistive technology. The widget is rendered by its own template; the rest
    is made here, for a topic page shows two forms' fields to its first reader.
    """
    widget = str(field)
    if field.name == "website":
        return format_html(
            '<div class="iln-hp" aria-hidden="true">{} {}</div>', _label(field), widget
        )
    errors = field.errors
    help_html = error_html = ""
    if field.help_text:
        help_html = format_html(
            '<p class="iln-field__help" id="{}_helptext">{}</p>', field.auto_id, field.help_text
        )
    if errors:
        error_html = format_html(
            '<div class="iln-field__errors" id="{}_error">{}</div>',
            field.auto_id,
            format_html_join("", '<p class="iln-field__error">{}</p>', ((e,) for e in errors)),
        )
    classes = f"iln-field iln-field--{field.name}"
    kind = field.widget_type
    if kind in ("radioselect", "checkboxselectmultiple"):
        return format_html(
            '<fieldset class="{}{}"><legend>{}</legend>{}{}{}</fieldset>',
            classes,
            " iln-field--error" if errors else "",
            optional_marked(field, field.label),
            widget,
            help_html,
            error_html,
        )
    if kind == "checkbox":
        classes += " iln-field--checkbox"
        parts = format_html("{} {}", widget, _label(field, suffixed=False))
    else:
        parts = format_html("{} {}", _label(field), widget)
    return format_html(
        '<div class="{}{}">{}{}{}</div>',
        classes,
        " iln-field--error" if errors else "",
        parts,
        help_html,
        error_html,
    )


# Django's own widget templates, which PublicFormRenderer knows by heart.
DJANGO_FORM_TEMPLATES = Path(forms.__file__).resolve().parent / "templates"
INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        *("input", "text", "email", "url", "number", "password", "hidden", "search", "tel"),
        *("checkbox", "file", "color", "date", "datetime", "time"),
    )
}
INPUT_TEMPLATE = "django/forms/widgets/input.html"
ATTRS_TEMPLATE = "django/forms/widgets/attrs.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
CLEARABLE_FILE_TEMPLATE = "django/forms/widgets/clearable_file_input.html"
# Radio buttons and checkboxes: the list, then each choice.
CHOICES_TEMPLATES = {
    "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
}
MULTIPLE_INPUT_TEMPLATE = "django/forms/widgets/multiple_input.html"
SELECT_TEMPLATES = {
    "django/forms/widgets/select.html": "django/forms/widgets/select_option.html",
}
INPUT_OPTION_TEMPLATE = "django/forms/widgets/input_option.html"


def _text(value):
    # As the templates' ``stringformat:'s'`` then autoescape: safe strings stay as they are.
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs):
    """As ``django/forms/widgets/attrs.html``: `` name="value"``, `` name`` for True."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget, with_value=True):
    value = widget["value"]
    value_html = f' value="{_text(value)}"' if with_value and value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_html}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


def _option(option):
    """A choice, as its template through ``input_option.html`` and ``input.html`` (each
    ending with a new line) makes it."""
    html = _input(option) + "\n"
    if option["wrap_label"]:
        id_ = option["attrs"].get("id")
        label_for = f' for="{_text(id_)}"' if id_ else ""
        html = f"<label{label_for}>{html} {conditional_escape(option['label'])}</label>"
    return html + "\n\n"


def _choices(widget):
    """As ``django/forms/widgets/multiple_input.html``: each choice in a ``<div>``."""
    attrs = widget["attrs"]
    id_html = f' id="{_text(attrs["id"])}"' if attrs.get("id") else ""
    class_html = f' class="{_text(attrs["class"])}"' if attrs.get("class") else ""
    parts = [f"<div{id_html}{class_html}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _select(widget):
    """As ``django/forms/widgets/select.html`` and ``select_option.html``."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        parts.extend(
            f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _options_are(widget, template_name):
    return all(
        option["template_name"] == template_name
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _in_python(template_name, widget):
    """``(make, templates)``: a function making ``template_name`` for ``widget`` in Python,
    and the templates (with those it includes) it stands for; ``(None, ())`` for none.
    """
    if template_name in INPUT_TEMPLATES:
        return _input, (template_name, INPUT_TEMPLATE, ATTRS_TEMPLATE)
    if template_name == TEXTAREA_TEMPLATE and isinstance(widget["value"], (str, type(None))):
        return _textarea, (template_name, ATTRS_TEMPLATE)
    if template_name == CLEARABLE_FILE_TEMPLATE and not widget.get("is_initial"):
        return functools.partial(_input, with_value=False), (template_name, ATTRS_TEMPLATE)
    option_template = SELECT_TEMPLATES.get(template_name)
    if option_template and _options_are(widget, option_template):
        return _select, (template_name, option_template, ATTRS_TEMPLATE)
    option_template = CHOICES_TEMPLATES.get(template_name)
    if option_template and _options_are(widget, option_template):
        return _choices, (
            *(template_name, MULTIPLE_INPUT_TEMPLATE, option_template),
            *(INPUT_OPTION_TEMPLATE, INPUT_TEMPLATE, ATTRS_TEMPLATE),
        )
    return None, ()


def _are_djangos(renderer, template_names):
    """Whether ``renderer`` finds each of ``template_names`` in Django's own templates."""
    for template_name in template_names:
        try:
            template = renderer.get_template(template_name)
        except Exception:  # noqa: BLE001 - a renderer that cannot say renders it itself
            return False
        origin = getattr(getattr(template, "template", template), "origin", None)
        name = getattr(origin, "name", None)
        if not name or not Path(name).resolve().is_relative_to(DJANGO_FORM_TEMPLATES):
            return False
    return True


_are_djangos_kept = functools.lru_cache(maxsize=64)(_are_djangos)


class PublicFormRenderer:
    """The site's form renderer (``FORM_RENDERER``), with the plainest widgets made in Python.

    The public forms' ``default_renderer``. ``<input>``, ``<textarea>``,
    ``<select>`` and the lists of radio buttons and checkboxes are made here exactly as
    Django's templates make them, when the site's
    renderer finds Django's own templates for them (the answer is kept per
    process, except with ``DEBUG`` on); anything else, and any widget template
    a site overrides, is rendered by the site's renderer.
    """

    def __getattr__(self, name):
        return getattr(get_default_renderer(), name)

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        renderer = get_default_renderer()
        widget = context.get("widget") if isinstance(context, dict) else None
        make, templates = (
            _in_python(template_name, widget) if isinstance(widget, dict) else (None, ())
        )
        if make is not None:
            check = _are_djangos if settings.DEBUG else _are_djangos_kept
            if check(renderer, templates):
                return mark_safe(make(widget))  # noqa: S308 - every value escaped above
        return renderer.render(template_name, context, request)
