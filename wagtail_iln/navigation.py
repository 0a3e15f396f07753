"""Ways around a site the app ships: which languages a page is read in."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from .per_request import once


def _home_in(request, locale):
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    home = site.root_page.get_translation_or_none(locale)
    if home is None or not home.live:
        return None
    return home.get_url(request)


def language_links(request, page=None):
    """One link per language of ``LANGUAGES``: to ``page`` in it, or to that language's home.

    Each is a dict with ``code``, ``name`` (in its own language), ``url``,
    ``current`` and ``translated``; an untranslated language carries ``note``,
    written in that language, saying the link leads to its home page. Without a
    Wagtail page (the app's own pages), each language links to the same URL in
    that language, which ``i18n_patterns`` answers. A language with neither a
    translation nor a live home page gets no ``url``.

    Found once per request for a page and language: a site's base template may
    ask for them twice, for the switcher and for its ``hreflang`` links.
    """
    current = translation.get_language()
    if request is not None and isinstance(page, Page):
        key = ("language links", page.pk, current, request.get_host())
        return [dict(link) for link in once(key, lambda: _language_links(request, page))]
    return _language_links(request, page)


def _language_links(request, page):
    if not isinstance(page, Page):
        path = request.get_full_path() if request else None
        codes = [code for code, _name in settings.LANGUAGES]
        return links_to({code: translate_url(path, code) for code in codes} if path else {})
    by_code = live_translations(page)
    # The locales are needed only to find the home page of a language the page lacks.
    locales = None
    links = links_to({code: found.get_url(request) for code, found in by_code.items()})
    for link in links:
        code = link["code"]
        if code in by_code:
            continue
        link["translated"] = False
        if locales is None:
            locales = {locale.language_code: locale for locale in Locale.objects.all()}
        locale = locales.get(code)
        link["url"] = _home_in(request, locale) if locale else None
        with translation.override(code):
            link["note"] = gettext("not translated yet: home page")
    return links


def live_translations(page):
    """``{language code: page}`` for ``page`` and its live, public translations."""
    found = page.get_translations(inclusive=True).live().public().select_related("locale")
    return {translated.locale.language_code: translated for translated in found}


def links_to(urls):
    """One link per language of ``LANGUAGES``, to ``urls[code]``: the same page in each.

    Shaped as ``language_links``' links; a language missing from ``urls`` gets no ``url``.
    """
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": capfirst(translation.get_language_info(code)["name_local"]),
            "current": code == current,
            "translated": True,
            "url": urls.get(code),
        }
        for code, _name in settings.LANGUAGES
    ]


def breadcrumbs(request, page=None, title=None):
    """The way from the site's home page down to the page read: ``[{"title", "url"}]``.

    ``page`` alone is the page read: its live ancestors from the site's root
    page (in the page's language), then itself. With ``title`` (the app's own
    pages), the page read is ``title``, under ``page`` (the page its link
    was on, with its ancestors) or, without one, under the home page of the
    active language. The last item is the page read, without ``url``.
    """
    site = Site.find_for_request(request) if request else None
    crumbs = []
    if isinstance(page, Page):
        depth = site.root_page.depth if site is not None else 2
        ancestors = page.get_ancestors().filter(depth__gte=depth).live()
        crumbs = [{"title": item.title, "url": item.get_url(request)} for item in ancestors]
        if title is None:
            return [*crumbs, {"title": page.title, "url": None}]
        crumbs.append({"title": page.title, "url": page.get_url(request)})
    elif site is not None:
        home = site.root_page.localized
        if home.live:
            crumbs.append({"title": home.title, "url": home.get_url(request)})
    crumbs.append({"title": title, "url": None})
    return crumbs
