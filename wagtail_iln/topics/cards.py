"""The card a topic shows when its link is shared: Open Graph and Twitter-card meta."""

from urllib.parse import urljoin

from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Site

from ..conf import get_setting
from ..credits.rendering import alt_text
from ..per_request import active_locale

DESCRIPTION_WORDS = 40

# Open Graph names a locale as language_TERRITORY (``fr_FR``): the territory a
# language code without one (Django's ``fr``) stands for, in a card. The
# ``OPEN_GRAPH_LOCALES`` setting maps a site's own codes when they differ.
TERRITORIES = {
    "ar": "SA",
    "ca": "ES",
    "cs": "CZ",
    "cy": "GB",
    "da": "DK",
    "de": "DE",
    "el": "GR",
    "en": "GB",
    "es": "ES",
    "et": "EE",
    "eu": "ES",
    "fa": "IR",
    "fi": "FI",
    "fr": "FR",
    "ga": "IE",
    "gl": "ES",
    "he": "IL",
    "hi": "IN",
    "hr": "HR",
    "hu": "HU",
    "id": "ID",
    "is": "IS",
    "it": "IT",
    "ja": "JP",
    "ko": "KR",
    "lt": "LT",
    "lv": "LV",
    "mi": "NZ",
    "ms": "MY",
    "nb": "NO",
    "nl": "NL",
    "nn": "NO",
    "pl": "PL",
    "pt": "PT",
    "ro": "RO",
    "ru": "RU",
    "sk": "SK",
    "sl": "SI",
    "sr": "RS",
    "sv": "SE",
    "sw": "KE",
    "th": "TH",
    "tr": "TR",
    "uk": "UA",
    "vi": "VN",
    "zh": "CN",
}


def open_graph_locale(language_code):
    """``language_code`` as Open Graph wants it: ``fr`` → ``fr_FR``, ``pt-br`` → ``pt_BR``.

    A code the ``OPEN_GRAPH_LOCALES`` setting names takes its value; a code
    with a territory keeps it; a bare language takes its usual territory, or
    its own code in capitals when none is known (``xx`` → ``xx_XX``).
    """
    chosen = get_setting("OPEN_GRAPH_LOCALES").get(language_code)
    if chosen:
        return chosen
    name = translation.to_locale(language_code)
    if "_" in name:
        return name
    return f"{name}_{TERRITORIES.get(name, name.upper())}"


def _absolute(base, request, url):
    """``url`` under ``base`` (the page's own address), or else the request's.

    Under the site's host name whichever name the reader used, as ``og:url`` is:
    the card is the same for every reader of the site. A storage that serves from
    elsewhere gives an absolute URL already.
    """
    if base:
        return urljoin(base, url)
    return request.build_absolute_uri(url) if request is not None else url


def sharing_meta(page, request=None):
    """``(attribute, name, content)`` for each meta tag of ``page``'s card, in order.

    Title, description (the search description, or else the intro), the
    page's URL, the hero image's rendition (``HERO_IMAGE_FILTER``) as an
    absolute URL with its size and alternative text, and the locale of the
    page with one ``og:locale:alternate`` per other live translation.
    """
    from .models import DiscussionTopicPage

    if not isinstance(page, DiscussionTopicPage):
        return []
    title = page.seo_title or page.title
    description = Truncator(page.search_description or page.intro).words(DESCRIPTION_WORDS)
    page_url = page.get_full_url(request)
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", page_url),
    ]
    # Found once per request (and kept on it), where page.get_site() would query again.
    site = Site.find_for_request(request) if request is not None else page.get_site()
    if site is not None and site.site_name:
        meta.append(("property", "og:site_name", site.site_name))
    # The active locale is looked up once per request; page.locale would query again.
    active = active_locale()
    locale = active if active.pk == page.locale_id else page.locale
    meta.append(("property", "og:locale", open_graph_locale(locale.language_code)))
    # Live translations; .public() would cost a query more, and a locale code reveals nothing.
    alternates = (
        page.get_translations()
        .live()
        .order_by("locale__pk")
        .values_list("locale__language_code", flat=True)
    )
    meta += [("property", "og:locale:alternate", open_graph_locale(code)) for code in alternates]
    image = page.hero_image
    card = "summary"
    if image is not None:
        rendition = image.get_rendition(get_setting("HERO_IMAGE_FILTER"))
        url = _absolute(page_url, request, rendition.url)
        alt = alt_text(image)
        card = "summary_large_image"
        meta += [
            ("property", "og:image", url),
            ("property", "og:image:width", str(rendition.width)),
            ("property", "og:image:height", str(rendition.height)),
            ("property", "og:image:alt", alt),
        ]
    meta += [
        ("name", "twitter:card", card),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image is not None:
        meta += [("name", "twitter:image", url), ("name", "twitter:image:alt", alt)]
    return [(attribute, name, content) for attribute, name, content in meta if content]
