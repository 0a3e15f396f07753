from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailIlnAppConfig(AppConfig):
    name = "wagtail_iln"
    label = "wagtail_iln"
    verbose_name = _("International Librarians Network")
    default_auto_field = "django.db.models.BigAutoField"

    #: The areas that hold personal data, in the order a person's data is shown
    #: and exported: each registers it from its ``personal_data`` module.
    personal_data_areas = ("programme", "health", "applications", "photos", "comments", "mailings")

    def ready(self):
        from wagtail.images import get_image_model

        from . import checks  # noqa: F401  (registers the system checks)
        from .fragments import TrackedModel, track, watch

        for model in self.get_models():
            if issubclass(model, TrackedModel):
                track(model)
        # Gallery photos show the image model's files and titles.
        watch(get_image_model())
        from .mailings.signals import connect

        connect()  # a topic going live is e-mailed to its round
        for area in self.personal_data_areas:
            import_module(f"{self.name}.{area}.personal_data")
