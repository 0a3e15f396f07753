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
    personal_data_areas = (
        "programme",
        "health",
        "applications",
        "photos",
        "comments",
        "likes",
        "mailings",
        "mailin",
    )

    def ready(self):
        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from . import checks  # noqa: F401  (registers the system checks)
        from .topics.models import DiscussionTopicPage
        from .topics.publishing import topic_published, warm_topics_for_cold_cache
        from .tracking import TrackedModel, track, watch

        for model in self.get_models():
            if issubclass(model, TrackedModel):
                track(model)
        # Gallery photos show the image model's files and titles; a topic's pager and
        # sharing card show its siblings and translations.
        watch(get_image_model())
        watch(DiscussionTopicPage)
        # A part kept past FRAGMENT_CACHE_TIMEOUT is served while its page is rendered again;
        # after a deployment or a cache flush, the worker renders every topic.
        from . import fragments, warming

        fragments.refresher = warming.refresh_in_background
        fragments.on_cold_cache = warm_topics_for_cold_cache
        # A published topic's images get their renditions in the task worker.
        page_published.connect(
            topic_published, sender=DiscussionTopicPage, dispatch_uid="wagtail_iln_topic_renditions"
        )

        from .mailings.signals import connect

        connect()  # a topic going live is e-mailed to its round
        from .mailin.inbound import connect as connect_inbound

        connect_inbound()  # with anymail: inbound photos, bounces and complaints
        for area in self.personal_data_areas:
            import_module(f"{self.name}.{area}.personal_data")
