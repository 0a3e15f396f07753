"""Rate limits per client, counted in a shared cache so they hold across processes."""

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


def is_rate_limited(request, scope, limit):
    """Count this request against ``limit`` = (how many, per seconds); ``True`` when over it."""
    count, seconds = limit
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_key(client_address(request))}".encode()
    ).hexdigest()
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
