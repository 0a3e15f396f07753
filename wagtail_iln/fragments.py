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
(``TrackedModel``, ``TrackedQuerySet``, ``watch``), when it is made and again
when its transaction commits, so a reader who rendered the old data in between
has stored it under a key nobody asks for any more. Writes that bypass the ORM
(raw SQL, another program) are seen once ``FRAGMENT_CACHE_TIMEOUT`` seconds
have passed (``render``).

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
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache, partial

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from . import __version__, per_request
from .conf import get_setting

logger = logging.getLogger(__name__)

FOR_CACHE = "wagtail_iln_for_cache"  # in the context of a rendering for the cache
GENERATIONS_ATTRIBUTE = "_wagtail_iln_generations"  # the request's generations read

_tracked = set()


def enabled():
    return bool(get_setting("FRAGMENT_CACHE_TIMEOUT"))


def get_cache():
    return caches[get_setting("FRAGMENT_CACHE")]


def model_label(model):
    return model._meta.label_lower


def generation_key(label):
    return f"wagtail_iln:generation:{label}"


def track(model):
    """Keep a generation for ``model``, so fragments may name it in ``fragment_models``.

    The app tracks every ``TrackedModel`` when it is ready. A model tracked
    here alone is only seen to change when ``changed`` is called: see ``watch``.
    """
    _tracked.add(model_label(model))


def _new_generation(label):
    try:
        get_cache().set(generation_key(label), uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - any cache server failure
        # The write stands: renderings of the old rows expire after FRAGMENT_CACHE_TIMEOUT.
        logger.warning("Could not mark %s as changed in the fragment cache", label, exc_info=True)


def _scoped(label, scope):
    return f"{label}|{scope}"


# The generation every unscoped write changes, which scoped dependencies name too.
ANY_SCOPE = "*"


def changed(model, using=None, scopes=None):
    """``model``'s rows were written: fragments made from them are stale.

    Call this after a write the app's querysets and models do not see, such as
    raw SQL. The generation changes now and again when the transaction commits.
    With ``scopes`` (see ``TrackedModel.fragment_scope``), the write touched
    only rows of those scopes: a fragment that depends on another scope of the
    model (``(model, scope)`` in its dependencies) stays as it is.
    """
    label = model_label(model)
    per_request.forget()
    labels = [label] + [_scoped(label, scope) for scope in (scopes or [ANY_SCOPE])]
    for each in labels:
        _new_generation(each)
        transaction.on_commit(partial(_new_generation, each), using=using, robust=True)


_unshown_creations = ContextVar("wagtail_iln_unshown_creations", default=False)


@contextmanager
def rows_created_unshown():
    """Rows of tracked models created inside renew no fragment: none shows them yet.

    For rows a write made with them brings into view, such as the image and
    credit an approval makes for the photo submission whose save renews its
    campaign's galleries (the image would renew every fragment naming the image
    model). Later changes and deletions of those rows renew fragments as usual.
    """
    token = _unshown_creations.set(True)
    try:
        yield
    finally:
        _unshown_creations.reset(token)


def _read_generations(cache, labels, found):
    keys = {label: generation_key(label) for label in labels if label not in found}
    if not keys:
        return
    stored = cache.get_many(list(keys.values()))
    for label, key in keys.items():
        value = stored.get(key)
        if value is None:
            # Evicted or never written: start a generation no fragment was stored under.
            cache.add(key, uuid.uuid4().hex, None)
            value = cache.get(key)
        found[label] = value


def generations(request, scoped=()):
    """The current generation of every tracked model, read once per request.

    ``scoped`` names ``(model, scope)`` pairs whose generations are read too
    (once per request as well).
    """
    found = getattr(request, GENERATIONS_ATTRIBUTE, None)
    cache = get_cache()
    if found is None:
        found = {}
        labels = sorted(_tracked)
        _read_generations(cache, labels + [_scoped(label, ANY_SCOPE) for label in labels], found)
        setattr(request, GENERATIONS_ATTRIBUTE, found)
    if scoped:
        _read_generations(cache, [_scoped(model_label(m), scope) for m, scope in scoped], found)
    return found


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


def _generation_of(current, dependency):
    model, scope = dependency if isinstance(dependency, tuple) else (dependency, None)
    label = model_label(model)
    if label not in current:
        raise ImproperlyConfigured(
            f"{label} is not tracked: make it a TrackedModel, or call "
            "wagtail_iln.fragments.watch() on it, before a cached block names it."
        )
    if scope is None:
        return current[label]
    return [current[_scoped(label, ANY_SCOPE)], current[_scoped(label, scope)]]


def fragment_key(request, parts, fragment_models, dated=True):
    """The cache key of a fragment described by ``parts`` that reads ``fragment_models``.

    Each of ``fragment_models`` is a model, or a ``(model, scope)`` pair for a
    fragment that reads only the rows of that scope (``TrackedModel.fragment_scope``).
    ``dated``: the key names today's date, for a fragment that shows what changes with it.
    """
    scoped = [dependency for dependency in fragment_models if isinstance(dependency, tuple)]
    current = generations(request, scoped)
    described = json.dumps(
        [
            __version__,
            getattr(settings, "WAGTAIL_ILN", {}),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat() if dated else None,
            [_generation_of(current, dependency) for dependency in fragment_models],
            parts,
        ],
        sort_keys=True,
        default=str,
    )
    return "wagtail_iln:fragment:" + hashlib.sha256(described.encode()).hexdigest()


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
    when ``refresher(request, page)`` says that rendering renews it.
    """
    cache, timeout = get_cache(), get_setting("FRAGMENT_CACHE_TIMEOUT")
    try:
        key = fragment_key(request, parts, fragment_models, dated)
        kept = cache.get(key)
    except ImproperlyConfigured:
        raise
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; rendering without it", exc_info=True)
        return render_html(for_cache=False)
    if isinstance(kept, tuple):  # (when it was rendered, the HTML)
        rendered_at, html = kept
        if time.time() - rendered_at < timeout or (refresher and refresher(request, page)):
            return fill_markers(html, request)
    html = str(render_html(for_cache=True))
    try:
        cache.set(key, (time.time(), html), timeout + get_setting("FRAGMENT_CACHE_GRACE"))
    except Exception:  # noqa: BLE001 - any cache server failure
        logger.warning("The fragment cache failed; the rendering is not kept", exc_info=True)
    return fill_markers(html, request)


#: Whether rendering the page in the background renews an old rendering: see ``warming``.
refresher = None


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


class TrackedQuerySet(models.QuerySet):
    """A queryset whose writes make its model's fragments stale (see ``changed``)."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        changed(self.model, self.db)
        return rows

    update.alters_data = True

    def update_unseen(self, **kwargs):
        """``update()`` fields no fragment shows (an address being forgotten): fragments stay."""
        return super().update(**kwargs)

    update_unseen.alters_data = True

    def delete(self):
        result = super().delete()
        changed(self.model, self.db)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        objects = super().bulk_create(objs, *args, **kwargs)
        changed(self.model, self.db, _created_scopes(self.model, objs))
        return objects


MAX_BULK_SCOPES = 20  # past as many parts, a bulk_create makes all the model's fragments stale


def _created_scopes(model, objs):
    """The parts (``TrackedModel.fragment_scope``) new rows ``objs`` are in; None for all."""
    if not getattr(model, "fragment_scope_fields", ()):
        return None
    distinct = {}
    for obj in objs:
        values = obj._current_scope_values()
        if values is None:
            return None
        distinct[tuple(sorted(values.items()))] = obj
        if len(distinct) > MAX_BULK_SCOPES:
            return None
    scopes = {obj.fragment_scope(dict(values)) for values, obj in distinct.items()}
    return None if not scopes or None in scopes else sorted(scopes)


class TrackedModel(models.Model):
    """A model whose saves, deletions and queryset writes make its fragments stale.

    A model whose rows fall into parts that fragments read separately (a
    campaign's approved photos, its pending ones) names the fields that say
    which part a row is in, ``fragment_scope_fields`` (attribute names), and
    ``fragment_scope``: a save, a deletion or a ``bulk_create`` then makes
    stale only the fragments of the parts the rows were in and are in now.
    Other queryset writes make every fragment of the model stale.
    """

    objects = TrackedQuerySet.as_manager()

    #: Attribute names of the fields ``fragment_scope`` reads.
    fragment_scope_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A row saved with a key of its own may already exist, in a part not known.
        adding = self._state.adding and self.pk is None
        super().save(*args, **kwargs)
        if not (adding and _unshown_creations.get()):
            scopes = self._written_scopes(adding)
            changed(type(self), kwargs.get("using") or self._state.db, scopes)
        self._fragment_values = self._current_scope_values()

    def delete(self, *args, **kwargs):
        scopes = self._written_scopes(adding=False)
        result = super().delete(*args, **kwargs)
        changed(type(self), kwargs.get("using") or self._state.db, scopes)
        return result

    def fragment_scope(self, values):
        """The part a row with ``values`` (``fragment_scope_fields``: value) is in, a string.

        None (the default) for a row whose writes make every fragment of the model stale.
        """
        return None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._fragment_values = instance._current_scope_values()
        return instance

    def _current_scope_values(self):
        # None when a field was not loaded: the part the row is in is not known.
        if not all(name in self.__dict__ for name in self.fragment_scope_fields):
            return None
        return {name: self.__dict__[name] for name in self.fragment_scope_fields}

    def _written_scopes(self, adding):
        if not self.fragment_scope_fields:
            return None
        states = [self._current_scope_values()]
        if not adding:
            states.append(getattr(self, "_fragment_values", None))
        if None in states:
            return None
        scopes = {self.fragment_scope(values) for values in states}
        return None if None in scopes else sorted(scopes)


def row_scope(pk):
    """The scope of one row of a watched model: ``(model, row_scope(pk))`` reads that row alone."""
    return f"row:{pk}"


def _written(sender, instance=None, using=None, **kwargs):
    if kwargs.get("created") and _unshown_creations.get():
        return
    pk = getattr(instance, "pk", None)
    changed(sender, using, [row_scope(pk)] if pk is not None else None)


def watch(model):
    """Track a model whose class the app does not own, through its save and delete signals.

    A save or deletion makes stale the fragments that name the model, and those
    that name ``(model, row_scope(pk))`` for that row only. ``update()`` and
    other queryset writes to it are not seen (see ``changed``).
    """
    track(model)
    for signal in (post_save, post_delete):
        signal.connect(_written, sender=model, dispatch_uid=f"wagtail_iln_{model_label(model)}")
