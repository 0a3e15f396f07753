"""A Content-Security-Policy header on every response (Django 5.2 has none of its own)."""

from django.conf import settings


def policy_header(policy):
    """``{"script-src": ["'self'"], ...}`` as the header's value."""
    return "; ".join(
        " ".join([directive, *sources]) for directive, sources in policy.items() if sources
    )


class ContentSecurityPolicyMiddleware:
    """Sends ``CONTENT_SECURITY_POLICY``, or ``CONTENT_SECURITY_POLICY_ADMIN`` under the
    paths of ``CONTENT_SECURITY_POLICY_ADMIN_PREFIXES``; a view that set its own header keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.site_header = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.admin_header = policy_header(
            getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", settings.CONTENT_SECURITY_POLICY)
        )
        self.admin_prefixes = tuple(getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN_PREFIXES", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            is_admin = request.path_info.startswith(self.admin_prefixes)
            response.headers["Content-Security-Policy"] = (
                self.admin_header if is_admin else self.site_header
            )
        return response
