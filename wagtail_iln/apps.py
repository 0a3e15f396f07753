from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailIlnAppConfig(AppConfig):
    name = "wagtail_iln"
    label = "wagtail_iln"
    verbose_name = _("International Librarians Network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
