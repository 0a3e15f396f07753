"""The page the reply's signed link opens: the sender gives their name, licence and consent.

Until then their e-mailed photos stay pending and cannot be approved. The link
carries the id of the message, so it confirms that message's photos and no
other; it was sent to the message's From address only, so someone who forges
another's address never sees it.
"""

from django import forms
from django.core import signing
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import EXPIRED, VALID, is_id, read_id
from ..pageforms import OneLineField
from ..photos.emails import send_after_commit
from ..photos.models import PhotoSubmission
from ..photos.views import withdraw_token
from .emails import CONFIRM_SALT
from .models import InboundMessage

TEMPLATE = "wagtail_iln/mailin/confirm.html"


class ConfirmForm(forms.Form):
    credit_name = OneLineField(
        label=_("Your name as it should appear in the credit"), max_length=120
    )
    licence = forms.ChoiceField(label=_("Licence"))
    consent = forms.BooleanField(
        label=_(
            "I took these photos, and I agree to them being published with my name "
            "and the licence I chose."
        ),
    )

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence"].choices = campaign.licence_choices
        self.auto_id = "iln-mail-confirm-%s"


def pending_photos(message):
    """The message's photos still waiting for their sender."""
    return PhotoSubmission.objects.filter(
        mailed__message=message,
        status=PhotoSubmission.Status.PENDING,
        consent_given_at__isnull=True,
    ).order_by("mailed__position")


def _answer(request, state, message=None, form=None, status=200):
    """``state``: "ask", "confirmed", "nothing", "invalid" or "expired"."""
    context = {
        "state": state,
        "message": message,
        "campaign": message.campaign if message and state != "expired" else None,
        "photos": list(pending_photos(message)) if message and state == "ask" else [],
        "form": form,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    response = TemplateResponse(request, TEMPLATE, context, status=status)
    language = (message.language if message else "") or translation.get_language()
    with translation.override(language):
        return response.render()


@never_cache  # shows the sender's photos' titles
@require_http_methods(["GET", "POST"])
def confirm_photos(request, token):
    max_age = get_setting("MAIL_CONFIRM_DAYS") * 24 * 3600
    pk, status = read_id(token, CONFIRM_SALT, max_age)
    if status == EXPIRED:
        # Out of date but the app's own: its message still tells the sender's language.
        expired = InboundMessage.objects.filter(pk=_expired_id(token)).first()
        return _answer(request, "expired", expired, status=400)
    message = None
    if status == VALID:
        message = InboundMessage.objects.select_related("campaign").filter(pk=pk).first()
    if message is None or message.campaign is None or not message.sender:
        return _answer(request, "invalid", status=400)
    if message.confirmed_at is not None:
        return _answer(request, "confirmed", message)
    if not pending_photos(message).exists():
        return _answer(request, "nothing", message)
    with translation.override(message.language or translation.get_language()):
        form = ConfirmForm(message.campaign, request.POST if request.method == "POST" else None)
        valid = form.is_valid()
    if not valid:
        return _answer(request, "ask", message, form, status=400 if form.is_bound else 200)
    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
        if locked.confirmed_at is None:
            confirm(request, locked, form.cleaned_data)
    return _answer(request, "confirmed", message)


def _expired_id(token):
    pk = signing.loads(token, salt=CONFIRM_SALT)
    return pk if is_id(pk) else None


def confirm(request, message, data):
    """Give the message's pending photos their credit, licence and consent; tell the
    moderators, and the sender how to withdraw them."""
    now = timezone.now()
    moderation = "wagtail_iln_photos:inspect"
    for submission in pending_photos(message).select_for_update(of=("self",)):
        submission.credit_name = data["credit_name"]
        submission.licence = data["licence"]
        submission.consent_given_at = now
        submission.save(update_fields=["credit_name", "licence", "consent_given_at"])
        send_after_commit(
            submission,
            "received",
            moderation_url=request.build_absolute_uri(reverse(moderation, args=[submission.pk])),
        )
        send_after_commit(
            submission,
            "confirmation",
            withdraw_url=request.build_absolute_uri(
                reverse("wagtail_iln:photo_withdraw", args=[withdraw_token(submission)])
            ),
        )
    message.confirmed_at = now
    message.save(update_fields=["confirmed_at"])
