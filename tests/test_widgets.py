"""The public forms' widgets render as Django's do.

The long lists once per state, the plain inputs in Python.
"""

import uuid

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django_countries import countries

from wagtail_iln import widgets
from wagtail_iln.photos.forms import PhotoSubmissionForm


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


TRICKY = 'Caf\u00e9 "quoted" <b>&amp;</b>'


def each_field_both_ways(form):
    """Each field's widget HTML through the public renderer and through the site's renderer."""
    assert isinstance(form.renderer, widgets.PublicFormRenderer)
    ours = {field.name: str(field) for field in form}
    form.renderer = get_default_renderer()
    djangos = {field.name: str(field) for field in form}
    return ours, djangos


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True], ids=["unfilled", "sent back"])
def test_the_public_forms_render_every_widget_as_django_does(bound):
    from tests.helpers import open_round
    from wagtail_iln.applications.forms import RoundApplicationForm
    from wagtail_iln.comments.forms import CommentForm
    from wagtail_iln.models import PhotoCampaign

    data = {
        "name": TRICKY,
        "email": "not an address <x>",
        "body": TRICKY + "\n\nsecond paragraph",
        "title": TRICKY,
        "caption": TRICKY,
        "library": TRICKY,
        "country": "FR",
        "consent": "on",
        "languages": ["fr", "es"],
    }
    campaign = PhotoCampaign.objects.create(name="#favouritefeature")
    forms_ = [
        PhotoSubmissionForm(campaign, data if bound else None),
        CommentForm(data if bound else None),
        RoundApplicationForm(open_round(), data if bound else None),
    ]
    for form in forms_:
        if bound:
            form.is_valid()
        ours, djangos = each_field_both_ways(form)
        assert ours == djangos, type(form).__name__


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 200}), TRICKY),
        (forms.TextInput(attrs={"placeholder": mark_safe("<i>safe</i>")}), None),
        (forms.EmailInput(attrs={"aria-describedby": gettext_lazy("Name")}), "a@b.org"),
        (forms.NumberInput(), 3),
        (forms.HiddenInput(), uuid.UUID(int=7)),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 4}), TRICKY),
        (forms.Textarea(), ""),
        (forms.ClearableFileInput(attrs={"accept": "image/*"}), None),
        (forms.PasswordInput(), "secret"),
        (forms.Select(choices=[("", "---"), ("by", "CC BY"), ("by-sa", TRICKY)]), "by-sa"),
        (
            forms.SelectMultiple(choices=[("Europe", [("fr", "French")]), ("mi", "Māori")]),
            ["fr", "mi"],
        ),
        (forms.RadioSelect(choices=[("by", "CC BY"), ("by-sa", TRICKY)]), "by-sa"),
        (forms.RadioSelect(choices=[("", "None"), ("x", "X")], attrs={"class": "a"}), None),
        (
            forms.CheckboxSelectMultiple(
                choices=[("Europe", [("fr", "French"), ("es", "Spanish")]), ("mi", "Māori")]
            ),
            ["es", "mi"],
        ),
    ],
    ids=lambda item: type(item).__name__ if isinstance(item, forms.Widget) else None,
)
def test_each_plain_widget_is_made_as_djangos_template_makes_it(widget, value, settings):
    settings.FORM_RENDERER = "tests.test_widgets.CountingRenderer"
    attrs = {"id": "iln-x", "class": 'a "b"'}
    ours = widget.render("field<", value, attrs, widgets.PublicFormRenderer())
    assert get_default_renderer().renders == 0  # made in Python, no template rendered
    assert ours == widget.render("field<", value, attrs, get_default_renderer())


def test_a_site_that_overrides_a_widget_template_sees_its_own(tmp_path, settings):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "input.html").write_text('<input class="site-own" name="{{ widget.name }}">')
    settings.FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path), str(widgets.DJANGO_FORM_TEMPLATES)]}
    ]
    html = forms.TextInput().render("title", "x", {}, widgets.PublicFormRenderer())
    assert html == '<input class="site-own" name="title">'
    # A textarea, whose template the site left alone, is still made as Django makes it.
    html = forms.Textarea().render("body", "x", {}, widgets.PublicFormRenderer())
    assert html == forms.Textarea().render("body", "x", {}, get_default_renderer())
