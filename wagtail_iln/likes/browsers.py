"""The anonymous reader's browser: a random id in a signed cookie, kept as a hash.

A browser that has never liked anything is given a random id the first time
it likes; the cookie holds the id signed with the site's key, so a cookie
made up, changed, or signed by another site (or for another purpose) is not
believed: the browser is then given a new id. The database keeps only the
SHA-256 of the id, which cannot be turned back into the cookie.
"""

import hashlib
import re
import secrets

from django.core import signing

COOKIE_NAME = "wagtail_iln_liker"
SALT = "wagtail_iln.likes.browser"
MAX_AGE = 60 * 60 * 24 * 365 * 2
_ID = re.compile(r"[0-9a-f]{32}")


def browser_id(request):
    """The id the browser's cookie proves, or None."""
    token = request.COOKIES.get(COOKIE_NAME)
    if not token:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def new_browser_id():
    return secrets.token_hex(16)


def browser_key(identifier):
    """What a like stores of the browser: the id's hash."""
    return hashlib.sha256(identifier.encode()).hexdigest()


def remember_browser(request, response, identifier):
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(identifier, salt=SALT),
        max_age=MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
