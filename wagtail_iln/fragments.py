"""Parts of public pages rendered once and served from the cache to every reader.

A round's stats, a page of a photo gallery, a comment thread and an unfilled
form look the same to every reader until the data they show changes, and they
cost more to render than the rest of a topic page. Blocks that mix in
``CachedRenderMixin`` (and ``{% comment_thread %}``, through ``render``) are
rendered once and kept in the cache under a key that names:

- the block, its value, its place on the page and the page;
- the language, the time zone and (unless ``dated`` is off) today's date;
- the app's version and its ``WAGTAIL_ILN`` settings;
- the *generation* of every model the rendering reads (``fragment_models``),
  or of the part of its rows it reads (a ``(model, scope)`` pair).

Every ORM write to a tracked model gives the model a new generation
(``wagtail_iln.tracking``), so the parts that read it are rendered again under
a new key. A part older than ``FRAGMENT_CACHE_TIMEOUT`` seconds is rendered
again too (``render``).

With ``FRAGMENT_CACHE_DATABASE`` on, each rendering is kept in the database
as well (``RenderedPart``, one row per part, language and time zone, replaced
by its next rendering), and the generations with it (``tracking.Generation``):
a part the cache no longer holds is read from there in one query, when what
it shows has not changed since, and put back in the cache.

When the cache server cannot be reached, blocks are rendered for each reader
and writes go on.

Values that differ for each reader are left out of the cached HTML: the CSRF
token and the form key of a form are rendered as markers and filled in for
each reader (``fill_markers``).
"""

import hashlib
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, models, router, transaction
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import __version__, per_request
from .conf import get_setting
from .tracking import generation_of, generations, get_cache, in_database, read_safely

logger = logging.getLogger(__name__)

FOR_CACHE = "wagtail_iln_for_cache"  # in the context of a rendering for the cache


def enabled():
    return bool(get_setting("FRAGMENT_CACHE_TIMEOUT"))


@lru_cache(maxsize=16)
def _marker(name, secret):
    digest = salted_hmac("wagtail_iln.fragments", name, secret=secret).hexdigest()
    return f"wagtail-iln-{digest[:24]}"


def marker(name):
    """A placeholder for a per-reader value in cached HTML; unguessable without SECRET_KEY."""
    return _marker(name, settings.SECRET_KEY)


def fill_markers(html, request):
    """Put this reader's CSRF token and a fresh form key where the markers are."""
    csrf = marker("csrf_token")
    if csrf in html:
        html = html.replace(csrf, get_token(request))
    form_key = marker("form_key")
    if form_key in html:
        html = re.sub(re.escape(form_key), lambda match: str(uuid.uuid4()), html)
    return mark_safe(html)  # noqa: S308 - rendered by the block's template


def _release():
    """What every key names of the code and its configuration: the version and the settings."""
    return [__version__, getattr(settings, "WAGTAIL_ILN", {})]


def fragment_key(request, parts, fragment_models, dated=True, days_ago=0):
    """The cache key of a fragment described by ``parts`` that reads ``fragment_models``.

    Each of ``fragment_models`` is a model, or a ``(model, scope)`` pair for a
    fragment that reads only the rows of that scope (``TrackedModel.fragment_scope``).
    ``dated``: the key names today's date (or the day ``days_ago`` days before),
    for a fragment that shows what changes with it.
    """
    day = timezone.localdate() - timedelta(days=days_ago)
    current = generations(request, fragment_models)
    described = json.dumps(
        [
            *_release(),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            day.isoformat() if dated else None,
            [generation_of(current, dependency) for dependency in fragment_models],
            parts,
        ],
        sort_keys=True,
        default=str,
    )
    return "wagtail_iln:fragment:" + hashlib.sha256(described.encode()).hexdigest()


def fragment_identity(parts):
    """Which part ``parts`` describe, in this language and time zone, whatever its data.

    The row of ``RenderedPart`` that keeps its latest rendering.
    """
    return hashlib.sha256(
        json.dumps(_reading(parts), sort_keys=True, default=str).encode()
    ).hexdigest()


def _reading(parts):
    return [translation.get_language(), timezone.get_current_timezone_name(), parts]


def _page_scope(page):
    """The rows of ``page``'s parts in this language and time zone; "" without a page."""
    if getattr(page, "pk", None) is None:
        return ""
    return json.dumps(_reading(page.pk), default=str)


class RenderedPart(models.Model):
    """The latest rendering of a cached part, kept under its key (``FRAGMENT_CACHE_DATABASE``)."""

    identity = models.CharField(_("identity"), max_length=64, primary_key=True)
    page_scope = models.CharField(_("page"), max_length=255, blank=True, db_index=True)
    key = models.CharField(_("key"), max_length=128)
    html = models.TextField(_("HTML"))
    rendered_at = models.DateTimeField(_("rendered at"), db_index=True)

    class Meta:
        verbose_name = _("rendered part")
        verbose_name_plural = _("rendered parts")

    def __str__(self):
        return self.key


def _lifetime():
    return get_setting("FRAGMENT_CACHE_TIMEOUT") + get_setting("FRAGMENT_CACHE_GRACE")


def _stored(identity, page_scope):
    """The part's row: ``(key, time, HTML)`` or None.

    The rows of the page's parts are read in one query, once per request.
    """
    if not page_scope:
        with read_safely(RenderedPart):
            rows = RenderedPart.objects.filter(identity=identity)
            return rows.values_list("key", "rendered_at", "html").first()
    page_parts = partial(_page_parts, page_scope)
    return per_request.once(("wagtail_iln.rendered_parts", page_scope), page_parts).get(identity)


def _page_parts(page_scope):
    """``{identity: (key, time, HTML)}`` of a page's kept parts; empty when they cannot be read."""
    try:
        with read_safely(RenderedPart):
            rows = RenderedPart.objects.filter(page_scope=page_scope)
            return {
                row[0]: row[1:]
                for row in rows.values_list("identity", "key", "rendered_at", "html")
            }
    except DatabaseError:
        logger.warning("The rendered parts in the database could not be read", exc_info=True)
        return {}


def _store(identity, page_scope, key, rendered_at, html):
    """Keep a rendering in the database, in place of the part's previous one.

    In a request, once the request has finished, with the request's others: one
    query, the reader's answer sent.
    """
    row = RenderedPart(
        identity=identity,
        page_scope=page_scope,
        key=key,
        html=html,
        rendered_at=datetime.fromtimestamp(rendered_at, tz=UTC),
    )
    to_keep = per_request.until_finished("wagtail_iln.rendered_parts", _keep_gathered)
    if to_keep is None:
        _keep([row])
    else:
        to_keep[identity] = row


def _keep_gathered(to_keep):
    try:
        _keep(list(to_keep.values()))
    except Exception:  # noqa: BLE001 - any database or cache server failure
        logger.warning("The renderings could not be kept in the database", exc_info=True)


PURGED = "wagtail_iln:rendered-parts-purged"  # in the cache while a purge is recent


def _keep(rows):
    # Renderings no reader may be served any more go, once in a while, in the same commit.
    purge = get_cache().add(PURGED, True, get_setting("FRAGMENT_CACHE_GRACE") or 3600)
    with transaction.atomic(router.db_for_write(RenderedPart)):
        RenderedPart.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["identity"],
            update_fields=["page_scope", "key", "html", "rendered_at"],
        )
        if purge:
            expired = datetime.fromtimestamp(time.time() - _lifetime(), tz=UTC)
            RenderedPart.objects.filter(rendered_at__lt=expired).delete()


def forget_stored_parts():
    """Delete every rendering kept in the database, as after erasing a person's data.

    Their next readers render them again; what the cache holds expires as it would.
    """
    RenderedPart.objects.all().delete()


def cacheable(request):
    """Whether fragments may be served from the cache for ``request``.

    A GET or HEAD, with no form a view handed back (a post with errors shows
    the sender's own form).
    """
    from .pageforms import handed_back

    return (
        request is not None
        and request.method in ("GET", "HEAD")
        and not handed_back(request)
        and enabled()
    )


def render(request, parts, fragment_models, render_html, page=None, dated=True):
    """The HTML of a fragment, from the cache or from ``render_html(for_cache=True)``.

    ``render_html(for_cache=True)`` renders with markers for the per-reader
    values (``FOR_CACHE`` and ``marker("csrf_token")`` in its context); when the
    cache server fails, ``render_html(for_cache=False)`` renders for this reader.
    A rendering older than ``FRAGMENT_CACHE_TIMEOUT`` (kept ``FRAGMENT_CACHE_GRACE``
    seconds more) is served while ``page`` is rendered again in the background,
    when ``refresher(request, page)`` says that rendering renews it; so is,
    after midnight, yesterday's rendering of a ``dated`` fragment.
    """
    cache, timeout = get_cache(), get_setting("FRAGMENT_CACHE_TIMEOUT")
    try:
        keys = [fragment_key(request, parts, fragment_models, dated)]
        key, kept, old = keys[0], cache.get(keys[0]), False
        if kept is None and dated and refresher and page is not None:
            keys.append(fragment_key(request, parts, fragment_models, dated, days_ago=1))
            kept, old = cache.get(keys[1]), True
    except ImproperlyConfigured:
        raise
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; rendering without it", exc_info=True)
        return render_html(for_cache=False)
    kept_in_database = in_database()
    if kept is None and kept_in_database:
        kept, old = _from_database(cache, fragment_identity(parts), _page_scope(page), keys)
    if isinstance(kept, tuple):  # (when it was rendered, the HTML)
        rendered_at, html = kept
        fresh = not old and time.time() - rendered_at < timeout
        if fresh or (refresher and refresher(request, page)):
            return fill_markers(html, request)
    elif on_cold_cache is not None and _new_epoch(request, cache):
        on_cold_cache(request)
    html = str(render_html(for_cache=True))
    rendered_at = time.time()
    try:
        cache.set(key, (rendered_at, html), _lifetime())
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; the rendering is not kept", exc_info=True)
    if kept_in_database:
        try:
            _store(fragment_identity(parts), _page_scope(page), key, rendered_at, html)
        except Exception:  # noqa: BLE001 - any database or cache server failure
            logger.warning("The rendering could not be kept in the database", exc_info=True)
    return fill_markers(html, request)


def _from_database(cache, identity, page_scope, keys):
    """``(kept, old)`` for a part the cache missed, from the database.

    Served only under today's key, or yesterday's (``old``); never a rendering
    older than the cache would keep it. One found under today's key goes back
    into the cache, for as long as the cache would have kept it.
    """
    try:
        row = _stored(identity, page_scope)
        if row is None or row[0] not in keys:
            return None, False
        key, rendered_at, html = row[0], row[1].timestamp(), row[2]
        left = rendered_at + _lifetime() - time.time()
        if left <= 0:
            return None, False
        if key == keys[0]:
            cache.set(key, (rendered_at, html), max(1, int(left)))
        return (rendered_at, html), key != keys[0]
    except Exception:  # noqa: BLE001 - any database or cache server failure
        logger.warning("The rendered parts in the database could not be read", exc_info=True)
        return None, False


#: Whether rendering the page in the background renews an old rendering: see ``warming``.
refresher = None

#: Called with the request when a part is missing and the cache holds nothing rendered
#: by this version with these settings (after a deployment or a cache flush): see
#: ``topics.publishing.warm_topics_for_cold_cache``.
on_cold_cache = None


EPOCH_ASKED = "_wagtail_iln_epoch_asked"  # on a request that has asked ``_new_epoch``


def _new_epoch(request, cache):
    """Whether this is the first part missed since this version and these settings rendered.

    Asked once per request: its other parts missed come after the first.
    """
    if getattr(request, EPOCH_ASKED, False):
        return False
    setattr(request, EPOCH_ASKED, True)
    described = json.dumps(_release(), sort_keys=True, default=str)
    key = "wagtail_iln:epoch:" + hashlib.sha256(described.encode()).hexdigest()
    try:
        return cache.add(key, True, None)
    except Exception:  # noqa: BLE001 - any cache server failure
        return False


def resolve_model(model):
    """A model class from a class, an ``"app_label.Model"`` name or a callable returning one."""
    if isinstance(model, str):
        return apps.get_model(model)
    if isinstance(model, type):
        return model
    return model()


class CachedRenderMixin:
    """A block rendered once for every reader, until the data it shows changes.

    ``fragment_models`` lists the models whose rows the rendering reads (see
    ``resolve_model``); each must be tracked (``track``). A block about one
    chosen snippet (``per_request.ChosenSnippetBlockMixin``) reads the
    snippet's model unless it says otherwise. Override
    ``fragment_state`` to name what else the rendering depends on, or to render
    for this reader alone. A form in the template gets the CSRF token and,
    with ``fragment_form_key``, its form key filled in for each reader.
    """

    #: False for a block that shows nothing that changes with the day: kept past midnight.
    fragment_dated = True

    def fragment_state(self, value, context):
        """What the rendering depends on beyond the key's usual parts, or None for no cache.

        ``context`` is the page's context; the request is ``context["request"]``.
        """
        return ()

    def get_fragment_models(self):
        """``fragment_models`` as model classes."""
        return [resolve_model(model) for model in getattr(self, "fragment_models", ())]

    def get_fragment_dependencies(self, value, context):
        """What the rendering reads: ``get_fragment_models()`` by default.

        Override to name a ``(model, scope)`` pair in place of a model whose
        rows the rendering reads only some of (``TrackedModel.fragment_scope``).
        """
        return self.get_fragment_models()

    def render(self, value, context=None):
        request = (context or {}).get("request")
        if not cacheable(request):
            return super().render(value, context)
        state = self.fragment_state(value, context)
        if state is None:
            return super().render(value, context)
        page = context.get("page")
        parts = [
            type(self).__module__,
            type(self).__qualname__,
            self.get_prep_value(value),
            str(context.get("id") or ""),
            getattr(page, "pk", None),
            state,
        ]

        def render_html(for_cache):
            return super(CachedRenderMixin, self).render(
                value, for_cache_context(context) if for_cache else context
            )

        dependencies = self.get_fragment_dependencies(value, context)
        return render(request, parts, dependencies, render_html, page, self.fragment_dated)


def for_cache_context(context):
    """``context`` for a rendering kept in the cache: markers for the per-reader values."""
    return {**context, "csrf_token": marker("csrf_token"), FOR_CACHE: True}


def fragment_form_key(form, context):
    """Give ``form``'s form key a marker when it is rendered for the cache."""
    if context.get(FOR_CACHE) and "form_key" in form.fields:
        form.fields["form_key"].initial = marker("form_key")
    return form
