"""Rate limits per client, counted in a shared cache so they hold across processes.

A form counts only the posts it accepts, and those it hands back with mistakes
apart, toward ``INVALID_POST_RATE_LIMIT``: ``refusal`` before it reads a post,
``count_accepted`` once the post is valid (``uncount`` when saving it failed
after all), ``count_mistake`` when it is not.
"""

import hashlib
import ipaddress

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


def client_key(address):
    """What a client is counted as: an IPv4 address, or the network of an IPv6 one.

    One IPv6 subscriber is given a whole network (a /64, often more) and may
    use a new address of it for every request; they are counted per
    ``RATE_LIMIT_IPV6_PREFIX`` network instead. An IPv4 address mapped into
    IPv6 counts as the IPv4 address. Anything else is counted as it is written.
    """
    try:
        ip = ipaddress.ip_address(address.strip().split("%")[0])
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ip)
    prefix = get_setting("RATE_LIMIT_IPV6_PREFIX")
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _cache_key(request, scope):
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_key(client_address(request))}".encode()
    ).hexdigest()
    return f"wagtail_iln:ratelimit:{scope}:{digest}"


def _cache():
    return caches[get_setting("RATE_LIMIT_CACHE")]


def limit_reached(request, scope, limit):
    """Whether the client has used all of ``limit`` = (how many, per seconds); counts nothing.

    Asked before a post is validated, so that a client already at its limit is
    refused at once; the post is counted (``is_rate_limited``) only once it is
    accepted.
    """
    count, _seconds = limit
    return (_cache().get(_cache_key(request, scope)) or 0) >= count


def is_rate_limited(request, scope, limit):
    """Count this request against ``limit`` = (how many, per seconds); ``True`` when over it."""
    count, seconds = limit
    key = _cache_key(request, scope)
    cache = _cache()
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


# Why a post is refused before it is read (``refusal``).
SENT = "sent"  # the client's accepted posts reached the form's limit
ERRORS = "errors"  # its posts handed back with mistakes reached INVALID_POST_RATE_LIMIT


def _mistakes(scope):
    return f"{scope}:errors", get_setting("INVALID_POST_RATE_LIMIT")


def refusal(request, scope, limit):
    """``SENT``, ``ERRORS`` or None: whether a post to a form limited by ``limit`` is refused
    before it is read, and why. Counts nothing."""
    if limit_reached(request, scope, limit):
        return SENT
    if limit_reached(request, *_mistakes(scope)):
        return ERRORS
    return None


def count_accepted(request, scope, limit):
    """Count a valid post; ``True``, and nothing counted, when it would go over ``limit``.

    Counted before it is saved, so that posts at the same moment never pass the
    limit together; ``uncount`` it when saving fails.
    """
    if is_rate_limited(request, scope, limit):
        uncount(request, scope)
        return True
    return False


def count_mistake(request, scope):
    """Count a post handed back with mistakes, toward ``INVALID_POST_RATE_LIMIT``."""
    is_rate_limited(request, *_mistakes(scope))


def uncount(request, scope):
    """Take back one request ``is_rate_limited`` counted: it was refused after all."""
    key = _cache_key(request, scope)
    cache = _cache()
    try:
        left = cache.decr(key)
    except ValueError:  # the window is over: nothing to take back
        return
    if left < 0:
        # The key expired just before decr(), which made it again, without an expiry.
        cache.delete(key)
