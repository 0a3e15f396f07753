"""The test site without django-anymail: a site that does not install the mailin extra."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "anymail"]  # noqa: F405
ROOT_URLCONF = "tests.urls_without_anymail"
