"""Rate limits per client, counted in a shared cache so they hold across processes."""

import hashlib

from django.conf import settings
from django.core.cache import caches

from .conf import get_setting


def client_address(request):
    """The client's address: ``REMOTE_ADDR``, or the trusted proxy header when one is set."""
    header = get_setting("CLIENT_IP_HEADER")
    if header and request.META.get(header):
        # A proxy appends the address it saw; what stands left of it the client may forge.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def is_rate_limited(request, scope, limit):
    """Count this request against ``limit`` = (how many, per seconds); ``True`` when over it."""
    count, seconds = limit
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    key = f"wagtail_iln:ratelimit:{scope}:{digest}"
    cache = caches[get_setting("RATE_LIMIT_CACHE")]
    # add() and incr() are atomic in a shared cache (Redis INCR, Memcached incr),
    # so two processes counting the same client never both see the same number.
    for _ in range(3):
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # the key expired between add() and incr(): count again
            continue
        if used == 1:
            # The first request of a window sets its length, even if incr() itself
            # re-created a key that expired a moment earlier (and so had no expiry).
            cache.touch(key, timeout=seconds)
        return used > count
    return True
