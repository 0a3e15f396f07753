"""Signing in to comment through django-allauth, when the site installs it (the social extra).

A site without allauth never imports it: each function asks Django whether
``allauth.socialaccount`` is installed before importing anything of it, and
the comment form is then the one everybody fills in with a name and an
address. With it, the form shows a button for each sign-in provider the site
configured (in settings or in the admin), and a reader signed in through one
of them comments under their account: no name or address asked.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from .. import per_request

SOCIAL_APP = "allauth.socialaccount"


def enabled():
    """Whether the site signs readers in through allauth's social accounts."""
    return apps.is_installed(SOCIAL_APP)


@dataclass(frozen=True)
class Commenter:
    """A reader signed in through a provider: who they are, as the thread shows them."""

    user: object
    name: str
    provider: str
    email: str


@dataclass(frozen=True)
class ProviderButton:
    id: str
    name: str
    url: str


def providers(request, next_url):
    """A sign-in button for each provider the site configured, coming back to ``next_url``."""
    if not enabled() or request is None:
        return []
    return [
        ProviderButton(
            provider.id,
            provider.name,
            provider.get_login_url(request, process="login", next=next_url),
        )
        for provider in _site_providers(request)
    ]


def _site_providers(request):
    """The site's providers, listed once per request (allauth asks the database each time)."""
    from allauth.socialaccount.adapter import get_adapter

    return per_request.once(
        ("sign-in providers", id(request)), lambda: get_adapter().list_providers(request)
    )


def display_name(user, account):
    extra = account.extra_data if isinstance(account.extra_data, dict) else {}
    for name in (user.get_full_name(), extra.get("name"), extra.get("preferred_username")):
        if name and str(name).strip():
            return str(name).strip()[:80]
    return user.get_username()[:80]


def signed_in_commenter(request):
    """The reader's ``Commenter`` when signed in through a provider, else None."""
    user = getattr(request, "user", None)
    if not enabled() or user is None or not user.is_authenticated:
        return None
    from allauth.socialaccount.models import SocialAccount

    account = SocialAccount.objects.filter(user=user).order_by("-last_login", "-pk").first()
    if account is None:
        return None
    return Commenter(
        user=user,
        name=display_name(user, account),
        provider=account.get_provider(request).name,
        email=user.email or "",
    )


def logout_url():
    return reverse("account_logout")


def linked_accounts(email):
    """The provider accounts linked to the accounts with this address (for the person's data)."""
    if not enabled():
        return []
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.filter(user__email__iexact=email.strip()).select_related("user")
