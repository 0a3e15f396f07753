"""Recognising a commenter: only a browser that proved the address it posts with.

Typing an address proves nothing: anyone may type anyone's. A browser proves an
address by following the link e-mailed to it (confirming a subscription to a
thread): it is then given a signed, long-lived cookie naming that address's
hash. A comment is shown without moderation only when its author's browser
holds that cookie for the address typed (or the author is signed in with that
address) and the address already has an approved comment.
"""

import datetime
import re

from django.core import signing

from ..conf import get_setting
from .models import email_hash, email_hashes

COOKIE_NAME = "wagtail_iln_commenter"
COMMENTER_SALT = "wagtail_iln.comments.commenter"
_HASH = re.compile(r"[0-9a-f]{64}")


def cookie_max_age():
    return datetime.timedelta(days=get_setting("COMMENTER_COOKIE_DAYS"))


def commenter_token(email):
    """The signed value of the cookie that says this browser proved ``email``."""
    return signing.dumps(email_hash(email), salt=COMMENTER_SALT)


def remember_commenter(request, response, email):
    """Give the browser of ``request`` the cookie that says it proved ``email``."""
    response.set_cookie(
        COOKIE_NAME,
        commenter_token(email),
        max_age=int(cookie_max_age().total_seconds()),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def proven_hash(request):
    """The address hash the browser proved, or None."""
    token = request.COOKIES.get(COOKIE_NAME)
    if not token:
        return None
    try:
        value = signing.loads(token, salt=COMMENTER_SALT, max_age=cookie_max_age())
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and _HASH.fullmatch(value) else None


def has_proved(request, email):
    """Whether the author of ``request`` has shown they own ``email``."""
    if request is None or not email:
        return False
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in and (user.email or "").strip().lower() == email.strip().lower():
        return True
    proven = proven_hash(request)
    return proven is not None and proven in email_hashes(email)
