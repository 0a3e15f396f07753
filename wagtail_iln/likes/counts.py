"""How many people like something, and whether this reader does: one query for many targets."""

from django.db.models import Count
from django.utils import formats
from django.utils.translation import ngettext

from .browsers import browser_id, browser_key
from .models import Like

#: The query parameter of the page a reader is sent back to after liking.
LIKED_PARAMETER = "iln-liked"


def like_counts(kind, targets):
    """``{target: count}`` for every target given (0 for those nobody likes), in one query."""
    targets = [str(target) for target in targets]
    found = dict.fromkeys(targets, 0)
    if targets:
        rows = (
            Like.objects.filter(kind=kind, target__in=targets)
            .values_list("target")
            .annotate(count=Count("pk"))
            .order_by()
        )
        found.update(rows)
    return found


def liked_by(request, kind, targets):
    """The targets the reader of ``request`` likes: one query, none without account or cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        mine = Like.objects.filter(user=user)
    else:
        identifier = browser_id(request)
        if identifier is None:
            return set()
        mine = Like.objects.filter(browser=browser_key(identifier))
    targets = [str(target) for target in targets]
    return set(mine.filter(kind=kind, target__in=targets).values_list("target", flat=True))


def like_label(count):
    """ "N people like this", or nothing when nobody does yet.

    N is written as the site's templates write numbers: grouped in the
    reader's language when ``USE_THOUSAND_SEPARATOR`` is on.
    """
    if not count:
        return ""
    # Grouped as the site's templates group the counts beside it ("1,234 comments").
    return ngettext("%(count)s person likes this", "%(count)s people like this", count) % {
        "count": formats.localize(count)
    }
