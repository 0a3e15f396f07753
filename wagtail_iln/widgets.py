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
"""

from collections import OrderedDict
from threading import Lock

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import get_language, gettext

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
        choices = tuple((str(key), str(label)) for key, label in self.choices)
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


class SelectMultiple(RenderOnceMixin, forms.SelectMultiple):
    pass


# A label ending in one of these gets no suffix; Django's own catalogs translate them.
LABEL_PUNCTUATION = ":?.!"


def _label(field):
    """``field.label_tag()``'s HTML, made without rendering Django's label template."""
    contents = field.label
    suffix = field.field.label_suffix
    if suffix is None:
        suffix = field.form.label_suffix
    if suffix and contents and contents[-1] not in gettext(LABEL_PUNCTUATION):
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
            field.label,
            widget,
            help_html,
            error_html,
        )
    if kind == "checkbox":
        classes += " iln-field--checkbox"
        parts = format_html("{} {}", widget, _label(field))
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
