"""What the payload of a signed link may hold.

A signature proves that the app made a token, not that what it carries is
sensible: a token signed with the site's key (by an older version, by a bug,
or by anyone who once held the key) may carry any JSON. Every view that
reads a signed link checks the payload's shape and range with these before
using it, and answers "not valid" for anything else.
"""

# The largest id a BigAutoField (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1


def is_id(value):
    """Whether ``value`` can be the id of a row: a positive int a database column holds."""
    return type(value) is int and 0 < value <= MAX_ID
