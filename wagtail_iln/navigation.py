"""Ways around a site the app ships: which languages a page is read in."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site


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
    """
    current = translation.get_language()
    if isinstance(page, Page):
        by_code = {
            translated.locale.language_code: translated
            for translated in page.get_translations(inclusive=True)
            .live()
            .public()
            .select_related("locale")
        }
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
    links = []
    for code, _name in settings.LANGUAGES:
        link = {
            "code": code,
            "name": capfirst(translation.get_language_info(code)["name_local"]),
            "current": code == current,
            "translated": True,
        }
        if not isinstance(page, Page):
            link["url"] = translate_url(request.get_full_path(), code) if request else None
        elif code in by_code:
            link["url"] = by_code[code].get_url(request)
        else:
            link["translated"] = False
            locale = locales.get(code)
            link["url"] = _home_in(request, locale) if locale else None
            with translation.override(code):
                link["note"] = gettext("not translated yet: home page")
        links.append(link)
    return links
