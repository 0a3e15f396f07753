"""Where the site's privacy notice is: the ``PRIVACY_POLICY_URL`` setting."""

from django.conf import settings
from django.utils import translation

from ..conf import get_setting


def privacy_policy_url(language=None):
    """The privacy notice's URL in ``language`` (the active one), or "" when none is set.

    The setting is one URL, or a dict of URLs by language code: the one of
    ``language``, else of its generic language (``fr`` for ``fr-ca``), else
    of ``LANGUAGE_CODE``.
    """
    url = get_setting("PRIVACY_POLICY_URL")
    if not isinstance(url, dict):
        return url or ""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if url.get(code):
            return url[code]
    return ""
