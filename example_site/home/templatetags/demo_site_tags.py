from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def page_translations(context, page):
    """The live translations of ``page`` in the order of ``LANGUAGES``.

    Each is a dict with ``code``, ``name``, ``url``, ``full_url`` and ``current``.
    """
    if not isinstance(page, Page):
        return []
    request = context.get("request")
    by_code = {
        translated.locale.language_code: translated
        for translated in page.get_translations(inclusive=True)
        .live()
        .public()
        .select_related("locale")
    }
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        translated = by_code.get(code)
        if translated is not None:
            url = translated.get_url(request)
            links.append(
                {
                    "code": code,
                    "name": name,
                    "url": url,
                    "full_url": request.build_absolute_uri(url) if request else url,
                    "current": code == current,
                }
            )
    return links if len(links) > 1 else []


@register.simple_tag(takes_context=True)
def site_menu(context):
    """The live pages under the home page of the active language marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    home = site.root_page.localized
    return list(home.get_children().live().public().in_menu().specific())


@register.simple_tag(takes_context=True)
def privacy_page(context):
    """The live privacy notice under the home page of the active language, or None."""
    from home.models import PrivacyPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return PrivacyPage.objects.child_of(site.root_page.localized).live().public().first()
