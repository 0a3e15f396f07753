"""The unsubscribe link of a topic e-mail: one click on the page, or the mail client's button."""

from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import VALID, read_id
from ..programme.models import Participant
from .models import TopicOptOut
from .sending import UNSUBSCRIBE_SALT


def _participant(token):
    # No expiry: an unsubscribe link in a year-old e-mail still works.
    pk, status = read_id(token, UNSUBSCRIBE_SALT, max_age=None)
    if status != VALID:
        return None
    return Participant.objects.filter(pk=pk, erased_at__isnull=True).first()


@never_cache
@csrf_exempt  # signed link; mail clients post to it directly (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop the topic e-mails of the participant the link was made for."""
    participant = _participant(token)
    done = False
    if participant is not None and request.method == "POST":
        TopicOptOut.objects.get_or_create(participant=participant)
        done = True
    language = participant.email_language if participant else translation.get_language()
    context = {
        "valid": participant is not None,
        "done": done,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    status = 200 if participant is not None else 400
    template = "wagtail_iln/mailings/unsubscribe.html"
    response = TemplateResponse(request, template, context, status=status)
    with translation.override(language):
        return response.render()
