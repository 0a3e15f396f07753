"""A link to a person's own data, e-mailed on request."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import language_field


class DataLink(models.Model):
    """A request for the link to the data held about an address, and then that link.

    Made for every valid request, known address or not; the e-mail task looks
    the address up and deletes the row when nothing is held. A link carries
    this row's id, signed, never the address. Rows are deleted once the link
    has expired (``DATA_LINK_DAYS``) and when the address's data is erased.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = language_field(blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data link")
        verbose_name_plural = _("personal data links")

    def __str__(self):
        return str(self.pk)
