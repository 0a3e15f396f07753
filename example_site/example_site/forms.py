"""A form renderer that writes the commonest widgets and labels in Python.

Django renders every widget, every label and every ``<option>`` of a select
through templates and includes; a page with a few forms and long select lists
(countries, time zones) then spends more time there than on everything else.
This renderer writes the same HTML directly for labels, ``<input>`` widgets,
textareas and selects. Any other template, and an option with a template of
its own, renders through Django's templates as usual; so does a template the
site overrides at one of these paths, which this renderer would not see:
drop it from ``FORM_RENDERER`` then.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
# Widget templates that are nothing but ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "hidden",
        "number",
        "url",
        "password",
        "search",
        "tel",
        "color",
        "checkbox",
        "date",
        "datetime",
        "time",
    )
}


def escape(value):
    """``{{ value|stringformat:'s' }}``: as text, escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def flat_attrs(attrs):
    """As ``django/forms/widgets/attrs.html``: ``True`` alone, ``False`` left out."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is True:
            parts.append(f" {escape(name)}")
        elif value is not False:
            parts.append(f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


def write_input(widget):
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{flat_attrs(widget['attrs'])}>"
    )


def write_textarea(widget):
    value = escape(widget["value"]) if widget["value"] else ""
    attrs = flat_attrs(widget["attrs"])
    return f'<textarea name="{escape(widget["name"])}"{attrs}>\n{value}</textarea>'


def write_label(context):
    if not context["use_tag"]:
        return escape(context["label"])
    tag = escape(context["tag"])
    return f"<{tag}{flat_attrs(context['attrs'])}>{escape(context['label'])}</{tag}>"


class FastFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            html = write_input(context["widget"])
        elif template_name == f"{WIDGETS}textarea.html":
            html = write_textarea(context["widget"])
        elif template_name == f"{WIDGETS}select.html":
            html = self.write_select(context, request)
        elif template_name == "django/forms/label.html":
            html = write_label(context)
        else:
            return super().render(template_name, context, request=request)
        # Django strips what a template renders; a label's text may need it.
        return mark_safe(html.strip())

    def write_select(self, context, request):
        widget = context["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flat_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            for option in options:
                parts.append("\n  ")
                parts.append(self.write_option(option, context, request))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)

    def write_option(self, option, context, request):
        if option["template_name"] != OPTION_TEMPLATE:
            return super().render(option["template_name"], {**context, "widget": option}, request)
        # Ends with a line break, as Django's option template does.
        return (
            f'<option value="{escape(option["value"])}"'
            f"{flat_attrs(option['attrs'])}>{escape(option['label'])}</option>\n"
        )
