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

With ``FRAGMENT_CACHE_DATABASE`` on, the generation a commit gives is written
to the database too (``Generation``), and a generation the cache no longer
holds (a flush, an eviction, a restart) is read back from there, so the parts
kept in the database (``fragments.RenderedPart``) are found again under it.

``wagtail_iln.fragments`` names the generations of what a part reads in its key.
"""

import logging
import uuid
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from functools import partial

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, models, router, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

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


class Generation(models.Model):
    """The generation a tracked model (or a scope of it) was given by its last committed write.

    Read back when the cache no longer holds it (``FRAGMENT_CACHE_DATABASE``).
    """

    label = models.CharField(_("label"), max_length=255, primary_key=True)
    value = models.CharField(_("value"), max_length=32)

    class Meta:
        verbose_name = _("fragment generation")
        verbose_name_plural = _("fragment generations")

    def __str__(self):
        return f"{self.label}: {self.value}"


#: The generation of a model no committed write has changed since the database was made.
INITIAL = "initial"


def in_database():
    """Whether generations and rendered parts are kept in the database too."""
    return bool(get_setting("FRAGMENT_CACHE_DATABASE"))


def read_safely(model):
    """Around a read of ``model``: inside a transaction (``ATOMIC_REQUESTS``), a savepoint.

    A read that fails (the app's migrations not applied yet) then leaves the
    transaction usable for the rest of the page.
    """
    connection = transaction.get_connection(router.db_for_read(model))
    return transaction.atomic(connection.alias) if connection.in_atomic_block else nullcontext()


def _new_generations(labels, committed=False):
    """Give each of ``labels`` a new generation; written to the database too once ``committed``."""
    values = {generation_key(label): uuid.uuid4().hex for label in labels}
    if committed and in_database():
        try:
            Generation.objects.bulk_create(
                [Generation(label=label, value=values[generation_key(label)]) for label in labels],
                update_conflicts=True,
                unique_fields=["label"],
                update_fields=["value"],
            )
        except Exception:  # noqa: BLE001 - any database failure, after the write committed
            # Until the cache forgets it, the cache's generation stands; then a part kept
            # in the database under the old one is served until FRAGMENT_CACHE_TIMEOUT.
            logger.warning("Could not write the generations of %s", labels, exc_info=True)
    try:
        get_cache().set_many(values, None)
    except Exception:  # noqa: BLE001 - any cache server failure
        # The write stands: renderings of the old rows expire after FRAGMENT_CACHE_TIMEOUT.
        logger.warning("Could not mark %s as changed in the fragment cache", labels, exc_info=True)


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
    _new_generations(labels)
    committed = partial(_new_generations, labels, committed=True)
    transaction.on_commit(committed, using=using, robust=True)


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


def _labels(dependency):
    """The generations a dependency (a model, or ``(model, scope)``) names."""
    model, scope = dependency if isinstance(dependency, tuple) else (dependency, None)
    label = model_label(model)
    if label not in _tracked:
        raise ImproperlyConfigured(
            f"{label} is not tracked: make it a TrackedModel, or call "
            "wagtail_iln.fragments.watch() on it, before a cached block names it."
        )
    return [label] if scope is None else [_scoped(label, ANY_SCOPE), _scoped(label, scope)]


def _read_generations(cache, labels, found):
    """Put the generation of each of ``labels`` in ``found``; None for one the cache lacks."""
    keys = {label: generation_key(label) for label in labels if label not in found}
    if keys:
        stored = cache.get_many(list(keys.values()))
        found.update({label: stored.get(key) for label, key in keys.items()})


def _restore(cache, labels, found, committed):
    """Give each of ``labels`` the cache lacks its generation again, in ``found`` and the cache.

    The generation the last commit wrote to the database (``committed``: read
    once per request, with those of every tracked model the cache lacked), or
    else a new one no fragment was stored under; unless another reader or a
    write put one in the cache meanwhile, which is then the one read.
    """
    kept_in_database = in_database()
    if kept_in_database:
        unread = [label for label in labels if label not in committed]
        if unread:
            if not committed:  # the first: those the first reading lacked too
                unread += [label for label, value in found.items() if value is None]
            committed.update(dict.fromkeys(unread, INITIAL))
            try:
                with read_safely(Generation):
                    rows = Generation.objects.filter(label__in=unread)
                    committed.update(rows.values_list("label", "value"))
            except DatabaseError:
                logger.warning("Could not read generations; starting new ones", exc_info=True)
                committed.update({label: uuid.uuid4().hex for label in unread})
    for label in labels:
        value = committed[label] if kept_in_database else uuid.uuid4().hex
        key = generation_key(label)
        if not cache.add(key, value, None):
            value = cache.get(key)
        found[label] = value


COMMITTED_ATTRIBUTE = "_wagtail_iln_committed_generations"  # the request's read from the database


def generations(request, dependencies=()):
    """The current generations of what ``dependencies`` name, read once per request.

    The first call reads every tracked model's in one call to the cache; a
    generation the cache lacks (evicted, flushed, never written) is given again
    when a dependency names it.
    """
    found = getattr(request, GENERATIONS_ATTRIBUTE, None)
    cache = get_cache()
    if found is None:
        found = {}
        labels = sorted(_tracked)
        _read_generations(cache, labels + [_scoped(label, ANY_SCOPE) for label in labels], found)
        setattr(request, GENERATIONS_ATTRIBUTE, found)
    named = list(dict.fromkeys(label for each in dependencies for label in _labels(each)))
    _read_generations(cache, named, found)
    lacking = [label for label in named if found[label] is None]
    if lacking:
        _restore(cache, lacking, found, vars(request).setdefault(COMMITTED_ATTRIBUTE, {}))
    return found


def generation_of(current, dependency):
    """The generation(s) in ``current`` (see ``generations``) a dependency names."""
    labels = _labels(dependency)
    return current[labels[0]] if len(labels) == 1 else [current[label] for label in labels]


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
