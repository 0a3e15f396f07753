"""Settings of the wagtail-iln demo site: a plain Wagtail site that installs the app.

Defaults are for a local demo (SQLite, DEBUG, console e-mail). Environment variables:

- ``DATABASE_URL``: any database dj-database-url understands, e.g.
  ``postgres://postgres@127.0.0.1:5432/wagtail_iln_demo``;
- ``ILN_MEDIA_ROOT``: where uploaded and generated images are stored;
- ``ILN_DEBUG``: ``0`` to turn DEBUG off;
- ``ILN_SECRET_KEY``, ``ILN_BASE_URL``;
- ``ILN_EMAIL_FILE_PATH``: a folder to write e-mails to as files, one per
  message, instead of printing them (the browser tests read them there);
- ``ILN_TASK_BACKEND``: ``database`` to keep tasks (e-mails, matching,
  publishing) in the database for ``manage.py db_worker``, as ``make demo``
  runs it (``serve_demo.py``); unset, each task runs at once, in the request.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = os.environ.get("ILN_SECRET_KEY", "demo-only-not-secret-do-not-deploy")
DEBUG = os.environ.get("ILN_DEBUG", "1") != "0"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "home",
    "wagtail_iln",
    "wagtail_localize",
    "wagtail_localize.locales",
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
    # Only for its translations: country names in the language of the page.
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"
WSGI_APPLICATION = "example_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("ILN_CONN_MAX_AGE", "0")),
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "collected_static"
STATIC_URL = "/static/"

MEDIA_ROOT = os.environ.get("ILN_MEDIA_ROOT") or BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("ILN_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["ILN_EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = "Librarians' Peer Network <noreply@example.com>"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Librarians' Peer Network"
WAGTAILADMIN_BASE_URL = os.environ.get("ILN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

if os.environ.get("ILN_TASK_BACKEND") == "database":
    INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Signing in to comment (pip install "wagtail-iln[social]"): give the demo an OpenID Connect
# provider with ILN_OIDC_SERVER_URL (its issuer, e.g. https://login.example.org/o),
# ILN_OIDC_CLIENT_ID and ILN_OIDC_SECRET, and register the redirect URL
# http://127.0.0.1:8000/accounts/oidc/programme-login/login/callback/ with it.
# Without them the comment form asks for a name and an address, as before.
if os.environ.get("ILN_OIDC_SERVER_URL"):
    INSTALLED_APPS += [
        "allauth",
        "allauth.account",
        "allauth.socialaccount",
        "allauth.socialaccount.providers.openid_connect",
    ]
    MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
    AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    SOCIALACCOUNT_ONLY = True
    ACCOUNT_EMAIL_VERIFICATION = "none"
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "programme-login",
                    "name": os.environ.get("ILN_OIDC_NAME", "Programme login"),
                    "client_id": os.environ["ILN_OIDC_CLIENT_ID"],
                    "secret": os.environ["ILN_OIDC_SECRET"],
                    "settings": {"server_url": os.environ["ILN_OIDC_SERVER_URL"]},
                }
            ]
        }
    }

# The app's own settings; every key is optional (see wagtail_iln/conf.py).
WAGTAIL_ILN = {
    "BASE_TEMPLATE": "base.html",
    # The privacy notice load_demo makes under each home page.
    "PRIVACY_POLICY_URL": {
        "en": "/privacy/",
        "fr": "/fr/confidentialite/",
        "es": "/es/privacidad/",
    },
    # Given to a partnership member who asks for help from a check-in e-mail.
    "CONTACT_EMAIL": "programme@example.org",
}
