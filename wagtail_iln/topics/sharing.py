"""Plain share links for a call to action: no third-party script runs on the page."""

from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

from ..conf import get_setting


def _bluesky(url, text, hashtags):
    return "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"})


def _x(url, text, hashtags):
    return "https://x.com/intent/post?" + urlencode(
        {"text": text, "url": url, "hashtags": ",".join(hashtags)}
    )


def _linkedin(url, text, hashtags):
    return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})


def _facebook(url, text, hashtags):
    return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})


def _email(url, text, hashtags):
    # Mail clients read "+" literally, so spaces are encoded as %20.
    return "mailto:?" + urlencode({"subject": text, "body": url}, quote_via=quote)


SERVICES = {
    # Names of services are not translated.
    "bluesky": ("Bluesky", _bluesky),
    "x": ("X", _x),
    "linkedin": ("LinkedIn", _linkedin),
    "facebook": ("Facebook", _facebook),
    "email": (_("E-mail"), _email),
}


def share_links(url, text, hashtags=()):
    """``(key, label, href)`` for each service named in ``SHARE_SERVICES``."""
    hashtags = [tag.lstrip("#") for tag in hashtags]
    missing = [tag for tag in hashtags if f"#{tag}".lower() not in text.lower()]
    text_with_tags = " ".join([text, *(f"#{tag}" for tag in missing)])
    links = []
    for key in get_setting("SHARE_SERVICES"):
        if key not in SERVICES:
            continue
        label, build = SERVICES[key]
        links.append((key, label, build(url, text_with_tags if key != "x" else text, hashtags)))
    return links
