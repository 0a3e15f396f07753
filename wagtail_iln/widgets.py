"""Select widgets for the public forms' long lists: countries, time zones, languages.

Django renders every ``<option>`` through a template include, so one select of
the ~600 time zones costs more than the rest of a topic page. These widgets
render each distinct state of the list (its name, attributes, choices, the
selected values and the language) once per process and reuse the HTML, which
is the same for every visitor of an unfilled form.
"""

from collections import OrderedDict
from threading import Lock

from django import forms
from django.utils.translation import get_language

MAX_ENTRIES = 256  # distinct renderings kept per process (a few languages × a few forms)

_rendered = OrderedDict()
_lock = Lock()


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
