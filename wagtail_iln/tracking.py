"""Which rows of which models changed: the generations cached fragments are keyed on.

Every tracked model has a *generation* in the fragment cache, a random value
renewed by each ORM write to its rows (``TrackedModel``, ``TrackedQuerySet``,
``watch``), when it is made and again when its transaction commits, so a
reader who rendered the old data in between has stored it under a key nobody
asks for any more. A model whose rows fall into parts that fragments read
separately has a generation per part too (a *scope*: a campaign's approved
photos), and a write renews only the parts it touched. Writes that bypass the
ORM (raw SQL, another program) call ``changed``, or are seen once
``FRAGMENT_CACHE_TIMEOUT`` seconds have passed.

``wagtail_iln.fragments`` names the generations of what a part reads in its key.
"""

import logging
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from . import per_request
from .conf import get_setting

logger = logging.getLogger(__name__)

GENERATIONS_ATTRIBUTE = "_wagtail_iln_generations"  # the request's generations read

_tracked = set()


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
            # Evicted or never written: start a generation no fragment was stored under,
            # or read the one another reader started meanwhile.
            value = uuid.uuid4().hex
            if not cache.add(key, value, None):
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


def generation_of(current, dependency):
    """The generation(s) in ``current`` a dependency (a model, or ``(model, scope)``) names."""
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
