from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..conf import get_setting
from ..credits.rendering import alt_text, credit_html, get_credit

register = template.Library()


@register.simple_tag
def image_credit(image):
    """Render the credit line of an image, or nothing when it has no credit.

    ``{% image_credit page.hero_image %}``; the markup comes from
    ``wagtail_iln/includes/_image_credit.html``, which a site may override.
    """
    credit = get_credit(image)
    if credit is None:
        return ""
    html = render_to_string(
        "wagtail_iln/includes/_image_credit.html",
        {"credit": credit, "credit_line": credit_html(credit)},
    )
    return mark_safe(html.strip())


@register.filter
def iln_alt(image):
    """Alternative text for an image: its description, its credit's title or its title."""
    return alt_text(image)


@register.simple_tag
def iln_rendition(image, setting_name):
    """The rendition of an image for the filter a ``WAGTAIL_ILN`` setting names.

    ``{% iln_rendition page.hero_image "HERO_IMAGE_FILTER" as hero %}``
    """
    if image is None:
        return None
    return image.get_rendition(get_setting(setting_name))
