"""The public side of a photo campaign: the form's endpoint and the withdraw link."""

from django.core import signing
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import is_id
from ..pageforms import PageFormView
from .emails import send_after_commit
from .forms import PhotoSubmissionForm
from .models import PhotoCampaign, PhotoSubmission
from .moderation import withdraw

WITHDRAW_SALT = "wagtail_iln.photos.withdraw"
SENT_PARAMETER = "iln-photo-sent"


def withdraw_token(submission):
    return signing.dumps(submission.pk, salt=WITHDRAW_SALT)


class PhotoSubmitView(PageFormView):
    """Receive a photo from the embedded form.

    Returns to the page with a thank-you, or shows the page again with the
    form's errors (400); 403 when the campaign is closed, 429 when the client
    has sent too much. The submitter and the moderators are e-mailed.
    """

    form_kind = "photo"
    form_class = PhotoSubmissionForm
    rate_limit_scope = "photos"
    rate_limit_setting = "PHOTO_RATE_LIMIT"
    thank_you_parameter = SENT_PARAMETER
    own_template = "wagtail_iln/photos/submission_page.html"
    url_name = "wagtail_iln:photo_submit"
    target_model = PhotoCampaign
    anchor_prefix = "iln-campaign"

    def is_open(self):
        return self.target.is_open

    def save(self, form):
        submission = form.save(source_url=self.source_url())
        if submission is not None:
            withdraw_url = self.request.build_absolute_uri(
                reverse("wagtail_iln:photo_withdraw", args=[withdraw_token(submission)])
            )
            moderation_url = self.request.build_absolute_uri(
                reverse("wagtail_iln_photos:inspect", args=[submission.pk])
            )
            send_after_commit(submission, "received", moderation_url=moderation_url)
            send_after_commit(submission, "confirmation", withdraw_url=withdraw_url)
        return submission

    def get_own_page_context(self, form):
        return {"campaign": self.target}


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
