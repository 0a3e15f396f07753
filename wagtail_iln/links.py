"""What the payload of a signed link may hold.

A signature proves that the app made a token, not that what it carries is
sensible: a token signed with the site's key (by an older version, by a bug,
or by anyone who once held the key) may carry any JSON. Every view that
reads a signed link checks the payload's shape and range with these before
using it, and answers "not valid" for anything else.
"""

from django.core import signing

# The largest id a BigAutoField (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1


def is_id(value):
    """Whether ``value`` can be the id of a row: a positive int a database column holds."""
    return type(value) is int and 0 < value <= MAX_ID


# What reading a signed link found: its payload is valid, or the link is not the app's
# (or holds nothing sensible), or it was the app's and is out of date.
VALID = "valid"
INVALID = "invalid"
EXPIRED = "expired"


def read_token(token, salt, max_age):
    """``(payload, VALID)``, or ``(None, EXPIRED)`` / ``(None, INVALID)`` for a bad signature."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age), VALID
    except signing.SignatureExpired:
        return None, EXPIRED
    except signing.BadSignature:
        return None, INVALID


def read_id(token, salt, max_age):
    """As :func:`read_token`, for a link that carries the id of one row."""
    pk, status = read_token(token, salt, max_age)
    if status == VALID and not is_id(pk):
        return None, INVALID
    return pk, status
