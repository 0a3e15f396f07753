from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .conf import DEFAULTS

REQUIRED_APPS = [
    "wagtail",
    "wagtail.admin",
    "wagtail.images",
    "wagtail.snippets",
    "modelcluster",
    "taggit",
]


@register(Tags.compatibility)
def check_required_apps(app_configs, **kwargs):
    return [
        Error(
            f"wagtail_iln needs '{name}' in INSTALLED_APPS.",
            hint=f"Add '{name}' to INSTALLED_APPS.",
            id="wagtail_iln.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    value = getattr(settings, "WAGTAIL_ILN", {})
    if not isinstance(value, dict):
        return [
            Error(
                "The WAGTAIL_ILN setting must be a dict.",
                id="wagtail_iln.E002",
            )
        ]
    return [
        Warning(
            f"WAGTAIL_ILN has an unknown key '{key}'; it is ignored.",
            hint="Known keys: " + ", ".join(sorted(DEFAULTS)) + ".",
            id="wagtail_iln.W001",
        )
        for key in value
        if key not in DEFAULTS
    ]


@register(Tags.urls)
def check_urls_included(app_configs, **kwargs):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("wagtail_iln:topics_rss", args=[1])
    except NoReverseMatch:
        return [
            Error(
                "wagtail_iln's URLs are not included in the site's URLconf.",
                hint='Add path("", include("wagtail_iln.urls")) to urls.py, '
                "before Wagtail's own URLs.",
                id="wagtail_iln.E003",
            )
        ]
    return []


@register(Tags.compatibility)
def check_matching_settings(app_configs, **kwargs):
    """Say at start-up, not when an editor presses "Match participants", that it cannot run."""
    from .matching.runs import MatchingConfigurationError, default_weights, matching_rules

    value = getattr(settings, "WAGTAIL_ILN", {})
    if not isinstance(value, dict):
        return []  # E002 says so
    errors = []
    rules = value.get("MATCHING_RULES", {})
    unknown = (
        sorted(set(rules) - set(DEFAULTS["MATCHING_RULES"])) if isinstance(rules, dict) else []
    )
    if not isinstance(rules, dict) or unknown:
        errors.append(
            Error(
                "WAGTAIL_ILN['MATCHING_RULES'] must be a dict with the keys "
                + ", ".join(sorted(DEFAULTS["MATCHING_RULES"]))
                + (f"; unknown: {', '.join(unknown)}." if unknown else "."),
                id="wagtail_iln.E004",
            )
        )
        return errors
    for load in (matching_rules, default_weights):
        try:
            load()
        except MatchingConfigurationError as error:
            errors.append(Error(str(error), id="wagtail_iln.E004"))
    return errors


@register(Tags.security)
def check_email_hash_key(app_configs, **kwargs):
    """Warn when SECRET_KEY is being rotated while address hashes still depend on it."""
    value = getattr(settings, "WAGTAIL_ILN", {})
    if not isinstance(value, dict) or value.get("EMAIL_HASH_KEY"):
        return []
    if not getattr(settings, "SECRET_KEY_FALLBACKS", None):
        return []
    return [
        Warning(
            "SECRET_KEY is being rotated, and WAGTAIL_ILN['EMAIL_HASH_KEY'] is not set: "
            "comments and subscriptions are found by a hash keyed on SECRET_KEY, so "
            "those made under an old key are found only while it is in SECRET_KEY_FALLBACKS.",
            hint="Set WAGTAIL_ILN['EMAIL_HASH_KEY'] to a long random string that never "
            "changes, before dropping the old key from SECRET_KEY_FALLBACKS.",
            id="wagtail_iln.W002",
        )
    ]


#: What a site needs for its readers to sign in to comment: each missing piece, and how to add it.
SOCIAL_PIECES = [
    ("app", "allauth", "Add 'allauth' to INSTALLED_APPS."),
    ("app", "allauth.account", "Add 'allauth.account' to INSTALLED_APPS."),
    ("app", "allauth.socialaccount", "Add 'allauth.socialaccount' to INSTALLED_APPS."),
    (
        "middleware",
        "allauth.account.middleware.AccountMiddleware",
        "Add 'allauth.account.middleware.AccountMiddleware' to MIDDLEWARE.",
    ),
    ("url", "account_logout", "Add path('accounts/', include('allauth.urls')) to your URLconf."),
]


@register(Tags.compatibility, Tags.urls)
def check_social_sign_in(app_configs, **kwargs):
    """Signing in to comment is all there or not at all: name each missing piece.

    Nothing is imported from allauth: a site that installs none of it is not looked at.
    """
    from django.urls import NoReverseMatch, reverse

    if not any(name.startswith("allauth") for name in settings.INSTALLED_APPS):
        return []
    missing = []
    for kind, name, hint in SOCIAL_PIECES:
        if kind == "app":
            present = apps.is_installed(name)
        elif kind == "middleware":
            present = name in settings.MIDDLEWARE
        else:
            try:
                reverse(name)
                present = True
            except NoReverseMatch:
                present = False
        if not present:
            missing.append((name, hint))
    return [
        Error(
            f"Signing in to comment is half set up: '{name}' is missing.",
            hint=hint,
            id="wagtail_iln.E005",
        )
        for name, hint in missing
    ]
