from wagtail.snippets.models import register_snippet

from .credits.views import ImageCreditViewSet

register_snippet(ImageCreditViewSet)
