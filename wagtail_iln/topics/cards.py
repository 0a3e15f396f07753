"""The card a topic shows when its link is shared: Open Graph and Twitter-card meta."""

from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Site

from ..conf import get_setting
from ..credits.rendering import alt_text
from ..per_request import active_locale

DESCRIPTION_WORDS = 40


def _absolute(request, url):
    # A storage that serves from elsewhere gives an absolute URL already.
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
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", page.get_full_url(request)),
    ]
    # Found once per request (and kept on it), where page.get_site() would query again.
    site = Site.find_for_request(request) if request is not None else page.get_site()
    if site is not None and site.site_name:
        meta.append(("property", "og:site_name", site.site_name))
    # The active locale is looked up once per request; page.locale would query again.
    active = active_locale()
    locale = active if active.pk == page.locale_id else page.locale
    meta.append(("property", "og:locale", translation.to_locale(locale.language_code)))
    # Live translations; .public() would cost a query more, and a locale code reveals nothing.
    alternates = page.get_translations().live().select_related("locale").order_by("locale__pk")
    meta += [
        ("property", "og:locale:alternate", translation.to_locale(other.locale.language_code))
        for other in alternates
    ]
    image = page.hero_image
    card = "summary"
    if image is not None:
        rendition = image.get_rendition(get_setting("HERO_IMAGE_FILTER"))
        url = _absolute(request, rendition.url)
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
