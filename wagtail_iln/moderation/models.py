import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import account_field
from ..tracking import TrackedModel


class StatusField(models.CharField):
    """The status of a moderated item; its choices are the concrete model's ``Status``.

    Each kind of contribution declares its own statuses, so the field takes
    them from the model it is copied to rather than from the abstract model.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        if not cls._meta.abstract:
            self.choices = cls.Status.choices
            self.default = cls.Status.PENDING
        super().contribute_to_class(cls, name, *args, **kwargs)

    def deconstruct(self):
        # A plain CharField to migrations: the column is one, and a site that
        # moves its model onto ModeratedModel gets no migration for it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class ModeratedModel(TrackedModel):
    """Something the public sends and a moderator approves before it is shown.

    A concrete model declares its statuses as a ``Status`` ``TextChoices``
    with at least ``PENDING``, the status an item is sent in; what moves an
    item from one status to another is a ``service.Moderation``.
    """

    status = StatusField(_("status"), max_length=16, db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = account_field(_("moderated by"))
    # The form's one-time key: a double click or a replayed post makes one item.
    form_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
