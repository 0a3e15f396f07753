"""A form renderer that writes select widgets in Python.

Django renders every ``<option>`` through two template includes; a country
or time-zone list of hundreds of options then costs more than the rest of a
page. This renderer writes the same HTML directly. Other widgets, and options
with a template of their own, render through Django's templates as usual.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def flat_attrs(attrs):
    """As ``django/forms/widgets/attrs.html``: ``True`` alone, ``False`` left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name != SELECT_TEMPLATE:
            return super().render(template_name, context, request=request)
        widget = context["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{flat_attrs(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append("\n  ")
                parts.append(self.option(option, context, request))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def option(self, option, context, request):
        if option["template_name"] != OPTION_TEMPLATE:
            return super().render(option["template_name"], {**context, "widget": option}, request)
        # Ends with a line break, as Django's option template does.
        return (
            f'<option value="{conditional_escape(str(option["value"]))}"'
            f"{flat_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
        )
