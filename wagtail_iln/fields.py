"""Model fields and constraints the areas declare alike: a status, a language, links to rows.

Each returns Django's own field or constraint, so migrations name
``models.CharField``, ``models.ForeignKey`` or ``models.UniqueConstraint`` as if written out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def unique(*fields, name, **kwargs):
    """A ``UniqueConstraint`` named ``name`` on the fields named ``fields``."""
    return models.UniqueConstraint(fields=list(fields), name=name, **kwargs)


def status_field(choices, default, max_length=16, **kwargs):
    """The status of a row, one of the ``TextChoices`` ``choices``."""
    return models.CharField(
        _("status"), max_length=max_length, choices=choices.choices, default=default, **kwargs
    )


def account_field(verbose_name, on_delete=models.SET_NULL, null=True):
    """A user account the row names; no reverse accessor on the user model."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null,
        on_delete=on_delete,
        related_name="+",
    )


def language_field(verbose_name=None, **kwargs):
    """A language code of ``LANGUAGES``: the one a person reads, or a page is in."""
    return models.CharField(verbose_name or _("language"), max_length=16, **kwargs)


def consent_version_field(**kwargs):
    """Which privacy notice a person agreed to; an application's is copied to its participant."""
    return models.CharField(_("consent version"), max_length=64, **kwargs)


def parent_field(to, verbose_name, related_name="+", field_class=models.ForeignKey, **kwargs):
    """The row a row belongs to; it goes when that row is deleted."""
    return field_class(
        to,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name=related_name,
        **kwargs,
    )


def participant_field(related_name, field_class=models.ForeignKey, **kwargs):
    """The participant a row belongs to; it goes when the participant is deleted."""
    return parent_field(
        "wagtail_iln.Participant", _("participant"), related_name, field_class, **kwargs
    )


def optional_link_field(to, verbose_name, related_name="+", **kwargs):
    """A row a row may name; emptied when that row is deleted."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **kwargs,
    )
