"""Credit lines: “Photo: 'Start' by eko, CC BY-NC-SA 2.0”."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def get_credit(image):
    """The ``ImageCredit`` of an image, or ``None``."""
    if image is None:
        return None
    try:
        return image.iln_credit
    except (ObjectDoesNotExist, AttributeError):
        return None


def _sentence(title, creator):
    if title and creator:
        # Translators: %(title)s and %(licence)s may be links; keep them whole.
        return gettext("Photo: '%(title)s' by %(creator)s, %(licence)s")
    if title:
        return gettext("Photo: '%(title)s', %(licence)s")
    if creator:
        return gettext("Photo by %(creator)s, %(licence)s")
    return gettext("Photo: %(licence)s")


def _link(text, url):
    return format_html('<a href="{}">{}</a>', url, text) if url else format_html("{}", text)


def _licence_name(credit):
    licence = credit.licence_info
    return licence.short_name if licence else credit.licence


def credit_html(credit):
    """The credit line as HTML: the title links to the source, the licence to its deed.

    The title and the creator are isolated (``<bdi>``) from the rest of the line.
    """
    licence = credit.licence_info
    # Each name sits in <bdi>: written right to left, or with direction controls,
    # it cannot reorder the rest of the line.
    parts = {
        "title": format_html("<bdi>{}</bdi>", _link(credit.title, credit.source_url)),
        "creator": format_html("<bdi>{}</bdi>", credit.creator),
        "licence": _link(_licence_name(credit), licence.url if licence else ""),
    }
    # The translated sentence is escaped first; its parts are escaped already.
    return mark_safe(escape(_sentence(credit.title, credit.creator)) % parts)


def credit_text(credit):
    """The credit line as plain text."""
    return _sentence(credit.title, credit.creator) % {
        "title": credit.title,
        "creator": credit.creator,
        "licence": _licence_name(credit),
    }


def alt_text(image):
    """Alternative text: the image's own description, else its credit's title, else its title."""
    if image is None:
        return ""
    description = getattr(image, "description", "")
    if description:
        return description
    credit = get_credit(image)
    if credit and credit.title:
        return credit.title
    return image.title
