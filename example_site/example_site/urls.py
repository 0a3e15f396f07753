import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if "allauth" in settings.INSTALLED_APPS:
    # Signing in to comment, when the demo is given a provider (see settings.py).
    urlpatterns.append(path("accounts/", include("allauth.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "SERVE_LOCAL_FILES", False):
    # The production profile on the loopback interface (ILN_LOCAL_HTTP=1) has no
    # web server in front of it to serve the collected static files and media.
    urlpatterns += [
        re_path(rf"^{re.escape(url.lstrip('/'))}(?P<path>.*)$", serve, {"document_root": root})
        for url, root in [
            (settings.STATIC_URL, settings.STATIC_ROOT),
            (settings.MEDIA_URL, settings.MEDIA_ROOT),
        ]
    ]

# The app's pages and Wagtail's, last: English at /, French at /fr/, Spanish at /es/.
urlpatterns += i18n_patterns(
    path("", include("wagtail_iln.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
