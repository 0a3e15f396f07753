"""Values looked up once per request: the active locale, the snippets a page's blocks choose,
and what an area asks ``once`` to keep (the site's sign-in providers, a page's kept parts);
and what a request gathers to write once it has finished (``until_finished``).

``Locale.get_active()`` runs a query each time it is called, and Wagtail's
``.localized`` calls it for every translatable object; a page whose blocks
choose the same round or campaign fetches it once per kind of block. While a
request is served, ``active_locale`` and ``ChooserMemo`` keep what they found
until the request finishes. Outside a request (tasks, commands, the shell)
nothing is kept and every call asks the database, as Wagtail does.

What is kept is dropped when a write makes it stale: a saved or deleted locale,
and any write that makes a fragment stale (``tracking.changed``).
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.models import DraftStateMixin, Locale
from wagtail.snippets.blocks import SnippetChooserBlock

# What the current request keeps: {"locales": {...}, "instances": {...}, "values": {...}},
# None outside one.
_kept = ContextVar("wagtail_iln_per_request", default=None)


def _start(**kwargs):
    _kept.set({"locales": {}, "instances": {}, "values": {}, "until_finished": {}})


def _finish(**kwargs):
    kept = _kept.get()
    _kept.set(None)
    for gathered, finish in kept["until_finished"].values() if kept else ():
        finish(gathered)


def forget():
    """Drop what the current request has looked up (its rows were written)."""
    kept = _kept.get()
    if kept is not None:
        kept.update(locales={}, instances={}, values={})


def _kept_for(kind):
    kept = _kept.get()
    return None if kept is None else kept[kind]


request_started.connect(_start, dispatch_uid="wagtail_iln_per_request_start")
request_finished.connect(_finish, dispatch_uid="wagtail_iln_per_request_finish")
for _signal in (post_save, post_delete):
    _signal.connect(
        lambda **kwargs: forget(), sender=Locale, dispatch_uid="wagtail_iln_per_request_locale"
    )


def _content_language():
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None


def active_locale():
    """``Locale.get_active()``, looked up once per request and language.

    Raises ``Locale.DoesNotExist`` as ``Locale.get_active()`` does when there is
    no locale at all.
    """
    locales = _kept_for("locales")
    code = _content_language() if locales is not None else None
    if code is None:
        return Locale.get_active()
    if code not in locales:
        locales[code] = Locale.get_active()
    return locales[code]


def remember_locale(locale):
    """Keep ``locale``, already fetched, as the one of its language for this request."""
    locales = _kept_for("locales")
    if locales is not None and locale is not None:
        locales.setdefault(locale.language_code, locale)


def localized(instance):
    """``instance.localized``, with the active locale looked up once per request."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return instance
    try:
        locale = active_locale()
    except (LookupError, Locale.DoesNotExist):
        return instance
    if locale.id == instance.locale_id:
        return instance
    found = instance.get_translation_or_none(locale) or instance
    if isinstance(found, DraftStateMixin) and not found.live:
        return instance
    return found


class LocalizedMixin:
    """Mixed in before ``TranslatableMixin``: ``.localized`` costs one locale query per request."""

    @property
    def localized(self):
        return localized(self)


def until_finished(key, finish):
    """A dict kept for ``key`` until the request has finished, then given to ``finish``.

    For what a request gathers to write once its answer has been sent; ``forget``
    leaves it. None outside a request.
    """
    kept = _kept.get()
    if kept is None:
        return None
    return kept["until_finished"].setdefault(key, ({}, finish))[0]


def once(key, compute):
    """``compute()``, called once per request for ``key`` (a hashable); every call outside one."""
    values = _kept_for("values")
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def chosen_instances(model, values, fetch):
    """The instances of ``model`` for the primary keys ``values``, fetched once per request.

    ``fetch(missing)`` returns the instances of the keys not yet seen, in order.
    """
    instances = _kept_for("instances")
    if instances is None:
        return fetch(values)
    kept = instances.setdefault(model._meta.label_lower, {})
    missing = [value for value in dict.fromkeys(values) if value not in kept]
    if missing:
        kept.update(zip(missing, fetch(missing), strict=True))
    return [kept.get(value) for value in values]


class ChosenSnippetBlockMixin:
    """Mixed into a ``StructBlock`` about one chosen snippet, e.g. a round or a campaign.

    The block's context holds the snippet under its child block's name
    (``chosen``), in the reader's language, or None; when one is chosen,
    ``chosen_context`` adds what the template shows of it.
    """

    chosen = "round"

    def chosen_context(self, snippet, value, context):
        return {}

    @property
    def fragment_models(self):
        """What the block reads when it is cached (``fragments.CachedRenderMixin``): its snippet."""
        return [self.child_blocks[self.chosen].target_model]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        snippet = value[self.chosen]
        if snippet is not None:
            snippet = snippet.localized
            context.update(self.chosen_context(snippet, value, context))
        context[self.chosen] = snippet
        return context


class SharedSnippetChooserBlock(SnippetChooserBlock):
    """A ``SnippetChooserBlock`` whose snippets are fetched once per request for every block.

    A page whose stats, form and gallery choose the same round or campaign
    fetches it once; the blocks share the instance, so they must not change it.
    """

    # The same block as Wagtail's in migrations.
    canonical_module_path = "wagtail.snippets.blocks.SnippetChooserBlock"

    def bulk_to_python(self, values):
        return chosen_instances(self.model_class, values, super().bulk_to_python)
