"""The public side of a photo campaign: the form's endpoint and the withdraw link."""

from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..conf import get_setting
from ..links import is_id
from ..mail import after_response
from ..pageforms import DuplicatePost, render_page_with_form, return_url, source_page
from ..ratelimit import is_rate_limited
from .emails import send_after_commit
from .forms import PhotoSubmissionForm
from .models import PhotoCampaign, PhotoSubmission
from .moderation import withdraw

WITHDRAW_SALT = "wagtail_iln.photos.withdraw"
SENT_PARAMETER = "iln-photo-sent"


def withdraw_token(submission):
    return signing.dumps(submission.pk, salt=WITHDRAW_SALT)


def _render_with_form(request, campaign, page, form, status):
    """The page the form was sent from, with the form and its errors in place."""
    if page is not None:
        return render_page_with_form(request, page, "photo", campaign.pk, form, status)
    return TemplateResponse(
        request,
        "wagtail_iln/photos/submission_page.html",
        {
            "campaign": campaign,
            "form": form,
            "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        },
        status=status,
    )


def _thank_you_url(request, campaign, page):
    return return_url(request, page, SENT_PARAMETER, campaign.pk, f"iln-campaign-{campaign.pk}")


@never_cache  # a form sent back shows what the visitor typed
@after_response  # the answer takes as long whatever the e-mails do
@require_POST
def submit_photo(request, campaign_id):
    """Receive a photo from the embedded form.

    Returns to the page with a thank-you, or shows the page again with the
    form's errors (400); 403 when the campaign is closed, 429 when the client
    has sent too much.
    """
    campaign = get_object_or_404(PhotoCampaign, pk=campaign_id)
    page = source_page(request)
    # Errors and e-mails speak the language of the page the form was on.
    language = page.locale.language_code if page else translation.get_language()
    with translation.override(language):
        response = _submit_photo(request, campaign, page)
        if isinstance(response, TemplateResponse):
            response.render()
    return response


def _submit_photo(request, campaign, page):
    if not campaign.is_open:
        return _render_with_form(request, campaign, page, None, status=403)
    form = PhotoSubmissionForm(campaign, request.POST, request.FILES)
    if is_rate_limited(request, "photos", get_setting("PHOTO_RATE_LIMIT")):
        form.rate_limited = True
        return _render_with_form(request, campaign, page, form, status=429)
    if form.is_replay():
        return HttpResponseRedirect(_thank_you_url(request, campaign, page))
    if form.is_valid():
        try:
            submission = form.save(source_url=page.get_full_url(request) if page else "")
        except DuplicatePost:
            return HttpResponseRedirect(_thank_you_url(request, campaign, page))
        if submission is not None:
            withdraw_url = request.build_absolute_uri(
                reverse("wagtail_iln:photo_withdraw", args=[withdraw_token(submission)])
            )
            moderation_url = request.build_absolute_uri(
                reverse("wagtail_iln_photos:inspect", args=[submission.pk])
            )
            send_after_commit(submission, "received", moderation_url=moderation_url)
            send_after_commit(submission, "confirmation", withdraw_url=withdraw_url)
            return HttpResponseRedirect(_thank_you_url(request, campaign, page))
    return _render_with_form(request, campaign, page, form, status=400)


@never_cache  # shows personal data: no shared or browser cache keeps it
@require_http_methods(["GET", "POST"])
def withdraw_photo(request, token):
    """The submitter's signed link: confirm, then the photo is withdrawn."""
    try:
        pk = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        pk = None
    submission = None
    if is_id(pk):
        submission = PhotoSubmission.objects.filter(pk=pk).select_related("campaign").first()
    context = {
        "submission": submission,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        "withdrawn": False,
    }
    if submission is None:
        return TemplateResponse(request, "wagtail_iln/photos/withdraw.html", context, status=404)
    if request.method == "POST":
        withdraw(submission)
        context["withdrawn"] = True
    elif submission.status == PhotoSubmission.Status.WITHDRAWN:
        context["withdrawn"] = True
    return TemplateResponse(request, "wagtail_iln/photos/withdraw.html", context)
