"""The demo's header and footer: its home page, menu, privacy notice and translations.

Every page shows them, so each is found once per request: the home page of
the reader's language and its children are kept for the request
(``wagtail_iln.per_request``), where Wagtail's ``.localized`` and ``.public()``
would ask the database again for each part of the page that needs them.
"""

from django import template
from wagtail.models import Page, Site

from wagtail_iln.navigation import language_links
from wagtail_iln.per_request import localized, once

register = template.Library()


def _site(request):
    return Site.find_for_request(request) if request is not None else None


def _home(request):
    """The site's home page in the reader's language (the default one's if untranslated)."""
    site = _site(request)
    if site is None:
        return None
    return once(("demo home", site.pk), lambda: localized(site.root_page))


def _home_children(request):
    """The live, public pages under that home page, in the order of the page tree."""
    home = _home(request)
    if home is None:
        return []
    return once(("demo home children", home.pk), lambda: list(home.get_children().live().public()))


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page of the reader's language, for the site's name in the header."""
    return _home(context.get("request"))


@register.simple_tag(takes_context=True)
def page_translations(context, page):
    """The live translations of ``page``, for its ``hreflang`` links; none for a lone page.

    Each is a dict with ``code``, ``name``, ``url``, ``full_url`` and ``current``:
    the language switcher's links (found once for both) without the languages
    the page lacks.
    """
    if not isinstance(page, Page):
        return []
    request = context.get("request")
    links = [link for link in language_links(request, page) if link["translated"]]
    for link in links:
        url = link["url"]
        link["full_url"] = request.build_absolute_uri(url) if request else url
    return links if len(links) > 1 else []


@register.simple_tag(takes_context=True)
def site_menu(context):
    """The live pages under the home page of the active language marked "show in menus"."""
    return [page for page in _home_children(context.get("request")) if page.show_in_menus]


@register.simple_tag(takes_context=True)
def privacy_page(context):
    """The live privacy notice under the home page of the active language, or None."""
    from home.models import PrivacyPage

    return next(
        (
            page
            for page in _home_children(context.get("request"))
            if page.specific_class is PrivacyPage
        ),
        None,
    )
