from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self):
        # How a site hands its own personal data to the my-data page, the
        # download, erasure and retention.
        from . import personal_data  # noqa: F401
