"""The long select lists of the public forms render like Django's, once per state."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django_countries import countries

from wagtail_iln import widgets


class CountingRenderer(DjangoTemplates):
    def __init__(self):
        super().__init__()
        self.renders = 0

    def render(self, template_name, context, request=None):
        self.renders += 1
        return super().render(template_name, context, request)


def pair(widget_class, **kwargs):
    return widget_class(**kwargs), getattr(forms, widget_class.__name__)(**kwargs)


def test_a_country_list_renders_like_djangos_in_each_language_and_with_each_value():
    for language in ("en", "fr"):
        with translation.override(language):
            ours, django = pair(widgets.Select, choices=list(countries))
            for value in ("", "BR"):
                attrs = {"id": "id_country", "required": True}
                assert ours.render("country", value, attrs) == django.render(
                    "country", value, attrs
                )
    with translation.override("fr"):
        assert "Brésil" in widgets.Select(choices=list(countries)).render("country", "")


def test_the_same_list_is_rendered_through_templates_once():
    renderer = CountingRenderer()
    widget = widgets.SelectMultiple(choices=[("en", "English"), ("fr", "French")])
    first = widget.render("languages", ["fr"], {"id": "x"}, renderer)
    again = widget.render("languages", ["fr"], {"id": "x"}, renderer)
    assert first == again and 'value="fr" selected' in first
    assert renderer.renders == 1
    other = widget.render("languages", ["en"], {"id": "x"}, renderer)
    assert renderer.renders == 2
    assert 'value="en" selected' in other and 'value="fr" selected' not in other
