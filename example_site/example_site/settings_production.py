"""Production settings of the demo site: the development settings, hardened.

Use with ``DJANGO_SETTINGS_MODULE=example_site.settings_production``. Everything
secret or particular to a site comes from the environment; a missing required
variable stops the process with its name (docs/deployment.md lists them all).

Required:

- ``ILN_SECRET_KEY``: a long random string, kept secret;
- ``DATABASE_URL``: PostgreSQL, e.g. ``postgres://user:password@db:5432/programme``;
- ``ILN_ALLOWED_HOSTS``: the site's host names, separated by commas;
- ``ILN_BASE_URL``: the site's address, e.g. ``https://programme.example.org``
  (links in e-mails and in the admin);
- ``ILN_REDIS_URL``: the shared cache, e.g. ``redis://127.0.0.1:6379/0``
  (sessions and rate limits);
- ``ILN_EMAIL_HOST``: the SMTP server, unless ``ILN_EMAIL_FILE_PATH`` names a
  folder to write e-mails to (local runs only).

Optional: ``ILN_STATIC_ROOT``, ``ILN_MEDIA_ROOT``, ``ILN_PENDING_ROOT`` (the
private folder of photos waiting for a moderator), ``ILN_MEDIA_URL``,
``ILN_CACHE_KEY_PREFIX``, ``ILN_CONN_MAX_AGE``, ``ILN_EMAIL_HASH_KEY`` (a long
random string, never changed: keys the address hashes comments keep), ``ILN_CLIENT_IP_HEADER`` and
``ILN_PROXY_SSL_HEADER`` (behind a proxy), ``ILN_HSTS_SECONDS``,
``ILN_EMAIL_PORT``, ``ILN_EMAIL_HOST_USER``, ``ILN_EMAIL_HOST_PASSWORD``,
``ILN_EMAIL_USE_TLS``, ``ILN_DEFAULT_FROM_EMAIL``, ``ILN_CSP_IMG_SRC`` (more
image sources, e.g. an object storage's address), ``ILN_PHOTO_RATE_LIMIT``,
``ILN_COMMENT_RATE_LIMIT`` (``count/seconds``).

``ILN_LOCAL_HTTP=1`` is for running this profile on the loopback interface
only (``make serve-prod``, ``benchmarks/load.py``): plain HTTP instead of the
HTTPS redirect, cookies and HSTS, and the application serves static files and
media itself. It refuses any host name but the loopback ones.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import BASE_DIR, INSTALLED_APPS, MIDDLEWARE, WAGTAIL_ILN

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The production settings need the environment variable {name} "
            "(see docs/deployment.md)."
        )
    return value


def flag(name, default):
    value = os.environ.get(name, default).strip().lower()
    if value not in {"0", "1", "true", "false", "yes", "no"}:
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")
    return value in {"1", "true", "yes"}


def rate_limits(**names):
    """The app's rate limits given as ``count/seconds`` (e.g. ``10/3600``) in the environment."""
    limits = {}
    for key, name in names.items():
        if value := os.environ.get(name, "").strip():
            limits[key] = rate_limit(name, value)
    return limits


def rate_limit(name, value):
    try:
        count, seconds = (int(part) for part in value.split("/"))
    except ValueError:
        count = seconds = 0
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name} must be count/seconds, e.g. 10/3600, not {value!r}.")
    return (count, seconds)


DEBUG = False
SECRET_KEY = required("ILN_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ILN_ALLOWED_HOSTS").split(",") if host.strip()]
WAGTAILADMIN_BASE_URL = required("ILN_BASE_URL").rstrip("/")

LOCAL_HTTP = flag("ILN_LOCAL_HTTP", "0")
if LOCAL_HTTP and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "ILN_LOCAL_HTTP=1 turns HTTPS off: it is only for a run on the loopback "
        f"interface, and ILN_ALLOWED_HOSTS must hold only {', '.join(sorted(LOOPBACK_HOSTS))}."
    )

DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL"),
        conn_max_age=int(os.environ.get("ILN_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    ),
}

# Sessions and rate limits are shared by every web process through Redis;
# sessions are also written to the database so a restarted cache logs no one out.
# Wagtail keeps where each rendition is in its "renditions" cache: for a day, not the
# default five minutes after which a page's images are looked up in the database again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("ILN_REDIS_URL"),
        "KEY_PREFIX": os.environ.get("ILN_CACHE_KEY_PREFIX", "wagtail_iln"),
    },
    "renditions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("ILN_REDIS_URL"),
        "KEY_PREFIX": os.environ.get("ILN_CACHE_KEY_PREFIX", "wagtail_iln") + ":renditions",
        "TIMEOUT": 24 * 60 * 60,
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# E-mails and other slow work are queued in the database and run by
# ``manage.py db_worker``, a separate process.
# django.contrib.postgres: Wagtail's search index uses its fields on PostgreSQL (Django 6.0
# checks that the app is installed).
INSTALLED_APPS = [
    *INSTALLED_APPS,
    *(
        app
        for app in ("django_tasks", "django_tasks_db", "django.contrib.postgres")
        if app not in INSTALLED_APPS
    ),
]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Labels, inputs and long select lists (countries, time zones) written without
# a template each: the same HTML as Django's, in a fraction of the time.
FORM_RENDERER = "example_site.forms.FastFormRenderer"

STATIC_ROOT = os.environ.get("ILN_STATIC_ROOT") or BASE_DIR / "collected_static"
MEDIA_ROOT = os.environ.get("ILN_MEDIA_ROOT") or BASE_DIR / "media"
MEDIA_URL = os.environ.get("ILN_MEDIA_URL", "/media/")
PENDING_ROOT = os.environ.get("ILN_PENDING_ROOT") or BASE_DIR / "media_private" / "wagtail_iln"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
    # Photos waiting for a moderator: a folder no web server serves, and no URL.
    "wagtail_iln_pending": {
        "BACKEND": "wagtail_iln.photos.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PENDING_ROOT)},
    },
}

if os.environ.get("ILN_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["ILN_EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = required("ILN_EMAIL_HOST")
    EMAIL_PORT = int(os.environ.get("ILN_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("ILN_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("ILN_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = flag("ILN_EMAIL_USE_TLS", "1")
DEFAULT_FROM_EMAIL = os.environ.get(
    "ILN_DEFAULT_FROM_EMAIL", "Librarians' Peer Network <noreply@example.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS only, unless the explicit loopback switch is on.
SECURE_SSL_REDIRECT = not LOCAL_HTTP
SESSION_COOKIE_SECURE = not LOCAL_HTTP
CSRF_COOKIE_SECURE = not LOCAL_HTTP
SECURE_HSTS_SECONDS = 0 if LOCAL_HTTP else int(os.environ.get("ILN_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]
if os.environ.get("ILN_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = (os.environ["ILN_PROXY_SSL_HEADER"], "https")

# A content security policy with no inline script, no outside source.
MIDDLEWARE = [
    MIDDLEWARE[0],
    "example_site.csp.ContentSecurityPolicyMiddleware",
    *MIDDLEWARE[1:],
]
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # blob: is the photo form's preview of the file a visitor picked.
    "img-src": ["'self'", "data:", "blob:", *os.environ.get("ILN_CSP_IMG_SRC", "").split()],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Wagtail's admin still writes style attributes, a few inline scripts (date
# pickers, inline panels) and shows previews in a frame of its own.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
# Nothing fetched from outside services: no avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

WAGTAIL_ILN = {
    **WAGTAIL_ILN,
    "RATE_LIMIT_CACHE": "default",
    "CLIENT_IP_HEADER": os.environ.get("ILN_CLIENT_IP_HEADER") or None,
    # Keys the address hashes of comments; unlike ILN_SECRET_KEY it is never rotated.
    "EMAIL_HASH_KEY": os.environ.get("ILN_EMAIL_HASH_KEY") or None,
    **rate_limits(
        PHOTO_RATE_LIMIT="ILN_PHOTO_RATE_LIMIT", COMMENT_RATE_LIMIT="ILN_COMMENT_RATE_LIMIT"
    ),
}

# Served by the application itself only on a loopback run; in production a
# web server or a CDN serves STATIC_ROOT and the media storage.
SERVE_LOCAL_FILES = LOCAL_HTTP

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django_tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
