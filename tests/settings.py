"""Settings of the test project: a Wagtail site with wagtail-localize, like the example site."""

import os
import tempfile
from pathlib import Path

import dj_database_url

TESTS_DIR = Path(__file__).resolve().parent

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "wagtail_iln",
    "tests.testapp",
    "wagtail_localize",
    "wagtail_localize.locales",
    "django_countries",
    # Keeps task rows when a test chooses django-tasks' database backend.
    "django_tasks",
    "django_tasks_db",
    # Photos by e-mail and bounces through a sending service (the mailin extra).
    "anymail",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Signing in to comment (the social extra); tests.settings_without_allauth leaves it out.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# No provider: the tests that sign in configure one (tests.helpers.oidc_provider_settings).
SOCIALACCOUNT_PROVIDERS = {}
SOCIALACCOUNT_ONLY = True
ACCOUNT_EMAIL_VERIFICATION = "none"

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [TESTS_DIR / "testapp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///:memory:")),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # What django-tasks-db asks of SQLite: its worker takes the next task in an exclusive
    # transaction, and opens one itself only when the connection does not.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "EXCLUSIVE"}
else:
    # Wagtail's search index uses its fields on PostgreSQL (Django 6.0 checks for the app).
    INSTALLED_APPS.append("django.contrib.postgres")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The basic-auth credentials a sending service's webhooks post with (tests/mailin).
ANYMAIL = {"WEBHOOK_SECRET": "service:webhook-secret"}
# Tasks run at once, as in a site that sets nothing; the fault tests switch to the
# database backend (tests.worker_settings, override_settings) where a worker matters.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = tempfile.mkdtemp(prefix="wagtail-iln-static-")
MEDIA_URL = "/media/"
MEDIA_ROOT = tempfile.mkdtemp(prefix="wagtail-iln-media-")

WAGTAIL_SITE_NAME = "wagtail-iln tests"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
