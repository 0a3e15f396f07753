"""The test site without django-allauth: what a site that does not install the social extra runs."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("allauth")]  # noqa: F405
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("allauth")]  # noqa: F405
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
ROOT_URLCONF = "tests.urls_without_allauth"
