"""Model fields the areas declare alike: a status, a link to an account, a link to a participant.

Each returns Django's own field, so migrations name ``models.CharField`` and
``models.ForeignKey`` as if written out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


def participant_field(related_name, field_class=models.ForeignKey, **kwargs):
    """The participant a row belongs to; it goes when the participant is deleted."""
    return field_class(
        "wagtail_iln.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name=related_name,
        **kwargs,
    )
