"""Pages rendered by the task worker after a write, so their next reader finds them cached.

Approving a photo renews the gallery of its campaign, approving a comment
the thread of its page, publishing a topic the topic's own parts, liking a
photo the galleries of its campaign (``wagtail_iln.fragments``). Without
this, the next reader of such a page renders what was renewed, inside their
request. ``warm_pages_after_commit`` queues ``warm_pages``, which requests
each page as an anonymous reader would, through the site's middleware and
URLs, and throws the response away: the renewed parts it rendered are then
in the cache for every reader.
Writes that come in bursts (likes) queue it through
``warm_pages_once_per_burst``, once while a rendering is waiting.

Only what an anonymous reader of the page's URL sees is rendered: the page's
own language, the site's time zone, the first page of each gallery. A page
that is not live, not public, or not reachable under an allowed host name
is passed over. ``WARM_PAGES`` (default ``True``) turns it off.
"""

import logging
from io import StringIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http.request import validate_host
from django.urls import get_urlconf, set_urlconf
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.models import Page, ReferenceIndex, Site

from . import fragments, tracking
from .conf import get_setting
from .mail import enqueue_after_commit, enqueue_gathered_after_commit
from .per_request import active_locale

logger = logging.getLogger(__name__)

# The User-Agent of the worker's requests, for a site's logs and analytics to tell them apart.
USER_AGENT = "wagtail-iln page warmer"


def pages_showing(objects):
    """The ids of the pages whose content names any of ``objects`` (Wagtail's reference index).

    A block choosing a snippet, such as a gallery choosing its campaign, is a reference.
    """
    objects = list(objects)
    if not objects:
        return []
    ids = (
        ReferenceIndex.get_references_to_in_bulk(objects)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return sorted({int(pk) for pk in ids})


# Set in the WSGI environment of the worker's requests, which no client can send.
WARMING = "wagtail_iln.warming"


def _reader_request(url):
    """An anonymous reader's GET of ``url``; None when its host is not allowed."""
    parts = urlsplit(url)
    allowed = settings.ALLOWED_HOSTS or [".localhost", "127.0.0.1", "[::1]"]
    if not parts.hostname or not validate_host(parts.hostname, allowed):
        return None
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    meta = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path or "/",
        "QUERY_STRING": "",
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "HTTP_USER_AGENT": USER_AGENT,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.input": StringIO(),
        "wsgi.errors": StringIO(),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        WARMING: True,
    }
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header and secure:
        meta[proxy_header[0]] = proxy_header[1]
    return WSGIRequest(meta)


def render_as_reader(page):
    """Request ``page`` as an anonymous reader; the response, or None when it has no usable URL."""
    url = page.get_full_url()
    request = _reader_request(url) if url else None
    if request is None:
        return None
    handler = BaseHandler()
    handler.load_middleware()
    # The middleware activates the page's language and URLs; the worker keeps its own.
    urlconf = get_urlconf()
    with translation.override(translation.get_language()):
        try:
            return handler.get_response(request)
        finally:
            set_urlconf(urlconf)


@task()
def warm_pages(page_ids, queued_as=""):
    """Render each live, public page of ``page_ids`` as its next reader would.

    ``queued_as`` names the burst of writes it was queued for
    (``warm_pages_once_per_burst``): from now on, a write of it queues another.
    Returns how many answered 200 (the others are logged).
    """
    if queued_as:
        _forget_queued(queued_as)
    pages = Page.objects.live().public().filter(pk__in=page_ids).specific()
    rendered = 0
    for page in pages:
        try:
            response = render_as_reader(page)
        except Exception:  # noqa: BLE001 - one broken page must not stop the others
            # Its next reader renders it, as without this task.
            logger.exception("Could not render page %s for the cache", page.pk)
            continue
        if response is not None and response.status_code == 200:
            rendered += 1
        elif response is not None:
            status = response.status_code
            logger.info("Page %s answered %s when rendered for the cache", page.pk, status)
    return rendered


def _warming():
    """Whether pages are rendered for the cache: ``WARM_PAGES`` on and fragments cached."""
    return get_setting("WARM_PAGES") and fragments.enabled()


def warm_pages_after_commit(page_ids):
    """Queue ``warm_pages`` once the current transaction commits (at once outside one).

    Inside a view wrapped in ``mail.after_response`` (the public forms, the
    moderation actions), once its answer has been sent, one task for the pages
    of every write of the view (``mail.enqueue_gathered_after_commit``); a
    failure to queue is logged. Nothing is queued when ``WARM_PAGES`` is off or
    no fragment is cached.
    """
    wanted = sorted(set(page_ids))
    if wanted and _warming():
        enqueue_gathered_after_commit(warm_pages, wanted)


# While a rendering queued for a burst of writes has not started, its writes queue
# none; past this many seconds (a worker that is down), the next write queues one.
BURST_WAIT = 60


def _forget_queued(key):
    try:
        tracking.get_cache().delete(key)
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; a burst's rendering stays marked queued")


def warm_pages_once_per_burst(burst, page_ids_of):
    """Queue ``warm_pages`` for the pages ``page_ids_of()`` lists, once for a burst of writes.

    For writes that come many at a time, such as likes of a campaign's photos
    (``burst`` names them): while a rendering queued for ``burst`` has not
    started, another write queues none, for that rendering will see it; once
    it has started, the next write queues another. ``page_ids_of`` is called
    only when a rendering is queued. Returns whether one is queued, now or before.
    """
    if not _warming():
        return False
    key = f"wagtail_iln:warming:{burst}"
    try:
        if not tracking.get_cache().add(key, True, BURST_WAIT):
            return True
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; no rendering queued", exc_info=True)
        return False
    page_ids = sorted(set(page_ids_of()))
    if not page_ids:
        _forget_queued(key)
        return False
    enqueue_after_commit(warm_pages, page_ids, queued_as=key)
    return True


def _queued_apart_from(request):
    """Whether a rendering queued for ``request`` runs in the task worker, apart from it.

    Not for the worker's own requests, nor with ``WARM_PAGES`` off, nor with the
    immediate backend, which would render inside ``request``.
    """
    return (
        not request.META.get(WARMING)
        and _warming()
        and not isinstance(warm_pages.get_backend(), ImmediateBackend)
    )


def warm_pages_for_cold_cache(request, page_ids_of):
    """Queue the rendering of the pages ``page_ids_of()`` lists, after a cold cache.

    For ``fragments.on_cold_cache`` (see ``topics.publishing``): once after a
    deployment that changed the version or the settings, or a cache flush,
    their first reader renders their own page, and the worker renders the
    others before their readers come. Not for the worker's own requests, nor
    with the immediate backend, which would render them all in the reader's
    request.
    """
    if request is None or not _queued_apart_from(request):
        return
    page_ids = page_ids_of()
    if page_ids:
        enqueue_after_commit(warm_pages, page_ids)


def _worker_site(page):
    """The id of the site the worker asks ``page`` of (``render_as_reader``), or None."""
    url_parts = page.get_url_parts()
    return url_parts[0] if url_parts else None


class ServedRestrictionsMixin:
    """Mixed into a page class: keeps the view restrictions Wagtail read to serve the page.

    Wagtail's serve view asks ``get_view_restrictions()`` of the page it serves
    before rendering it; ``refresh_in_background`` then knows whether the page
    is public from those rows, without asking the database again.
    """

    def get_view_restrictions(self):
        restrictions = super().get_view_restrictions()
        self._wagtail_iln_view_restrictions = restrictions
        return restrictions


def _public(page):
    """Whether no view restriction applies to ``page`` (nor to an ancestor).

    From the restrictions read to serve it (``ServedRestrictionsMixin``) when they
    were read; otherwise asked of the database.
    """
    served = getattr(page, "_wagtail_iln_view_restrictions", None)
    read = getattr(served, "_result_cache", None)  # filled when the serve view went through them
    if read is not None:
        return not read
    return Page.objects.filter(pk=page.pk).public().exists()


def refresh_in_background(request, page):
    """Whether the task worker will render ``page`` again for ``request``'s old fragments.

    ``fragments.refresher``: true, and the rendering queued (once for a burst of
    readers), when the task worker's rendering is what ``request`` would
    render: a reader of the live, public page's own URL (on its site, under any
    of the site's host names) with no query string, in its language and the
    site's time zone, and a task backend that runs tasks apart from the
    request. Otherwise the reader renders them, as before.
    """
    if not isinstance(page, Page):
        return False
    # Asked by each old part of the page: answered once per request.
    answers = request.__dict__.setdefault("_wagtail_iln_refreshed", {})
    if page.pk not in answers:
        answers[page.pk] = (
            page.live
            and bool(get_setting("FRAGMENT_CACHE_GRACE"))
            and _queued_apart_from(request)
            and not request.GET
            and page.locale_id == active_locale().pk
            and timezone.get_current_timezone_name() == timezone.get_default_timezone_name()
            # The topic's parts are kept per site, under any of its host names.
            and _worker_site(page) == getattr(Site.find_for_request(request), "pk", None)
            and _public(page)
            and warm_pages_once_per_burst(f"page:{page.pk}", lambda: [page.pk])
        )
    return answers[page.pk]
