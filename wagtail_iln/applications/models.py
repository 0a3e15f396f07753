"""An application to a round, before its address is confirmed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import consent_version_field, language_field, parent_field
from ..programme.models import Round


class Application(models.Model):
    """An application to a round, waiting for the owner of its e-mail address to confirm it.

    Nothing about the person is stored in ``Participant`` until then: whoever
    types an address into the form cannot change that person's profile.
    """

    round = parent_field(Round, _("round"), "applications")
    email = models.EmailField(_("e-mail address"), max_length=254)
    data = models.JSONField(_("profile"), default=dict, blank=True)
    language = language_field(blank=True)
    form_key = models.UUIDField(_("form key"), unique=True, editable=False)
    consent_version = consent_version_field()
    consent_given_at = models.DateTimeField(_("consent given at"))
    source_url = models.URLField(_("sent from"), max_length=2048, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return _("%(email)s to %(round)s") % {"email": self.email, "round": self.round}
