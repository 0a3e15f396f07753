"""The public side of applying to a round: the form's endpoint and the confirmation link."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from ..conf import get_setting
from ..mail import after_response
from ..pageforms import DuplicatePost, render_page_with_form, return_url, source_page
from ..programme.models import Round
from ..ratelimit import is_rate_limited
from .confirm import EXPIRED, application_from_token, confirm_application, confirm_token
from .emails import send_after_commit
from .forms import RoundApplicationForm, application_window, applications_open

APPLIED_PARAMETER = "iln-applied"
FORM_KIND = "round_application"


def _render_with_form(request, round, page, form, status):
    """The page the form was sent from, with the form and its errors in place."""
    if page is not None:
        return render_page_with_form(request, page, FORM_KIND, round.pk, form, status)
    return TemplateResponse(
        request,
        "wagtail_iln/applications/page.html",
        {
            "round": round,
            "form": form,
            "window": application_window(round),
            "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        },
        status=status,
    )


def _thank_you_url(request, round, page):
    return return_url(request, page, APPLIED_PARAMETER, round.pk, f"iln-round-{round.pk}")


@never_cache  # a form sent back shows what the visitor typed
@after_response  # the answer takes as long whatever the e-mails do
@require_POST
def apply_to_round(request, round_id):
    """Receive an application from the embedded form.

    Stores a pending application and e-mails a link to the address given;
    nothing about the person changes until that link is followed. Returns to
    the page with a thank-you, or shows the page again with the form's errors
    (400); 403 when the round is not taking applications, 429 when the client
    has sent too much.
    """
    round = get_object_or_404(Round, pk=round_id)
    page = source_page(request)
    # Errors and e-mails speak the language of the page the form was on.
    language = page.locale.language_code if page else translation.get_language()
    with translation.override(language):
        response = _apply(request, round, page)
        if isinstance(response, TemplateResponse):
            response.render()
    return response


def _apply(request, round, page):
    if not applications_open(round):
        return _render_with_form(request, round, page, None, status=403)
    form = RoundApplicationForm(round, request.POST)
    if is_rate_limited(request, "applications", get_setting("APPLICATION_RATE_LIMIT")):
        form.rate_limited = True
        return _render_with_form(request, round, page, form, status=429)
    if form.is_replay():
        return HttpResponseRedirect(_thank_you_url(request, round, page))
    if not form.is_valid():
        return _render_with_form(request, round, page, form, status=400)
    try:
        application = form.save(source_url=(page.get_full_url(request) or "") if page else "")
    except DuplicatePost:
        return HttpResponseRedirect(_thank_you_url(request, round, page))
    confirm_url = request.build_absolute_uri(
        reverse("wagtail_iln:round_apply_confirm", args=[confirm_token(application)])
    )
    send_after_commit(application, "confirm_application", confirm_url=confirm_url)
    return HttpResponseRedirect(_thank_you_url(request, round, page))


def application_summary(application):
    """(label, value) of the main details of a pending application, for its confirmation page."""
    data = application.data
    if not data:
        return []
    fields = RoundApplicationForm.base_fields
    rows = []
    for name in ("name", "country", "city", "workplace", "role"):
        value = data.get(name, "")
        if name == "country" and value:
            value = countries.name(value)
        if value:
            rows.append((fields[name].label, value))
    return rows


@never_cache  # shows personal data: no shared or browser cache keeps it
@require_http_methods(["GET", "POST"])
def confirm_round_application(request, token):
    """The applicant's signed link: one button confirms the application.

    A GET only shows the button, so a mail client or scanner that fetches the
    link confirms nothing.
    """
    application, problem = application_from_token(token)
    context = {
        "application": application,
        "round": application.round if application else None,
        "expired": problem == EXPIRED,
        "done": False,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    if application is None:
        response = TemplateResponse(
            request, "wagtail_iln/applications/confirm.html", context, status=404
        )
        return response.render()
    if request.method == "POST":
        confirm_application(application)
        context["done"] = True
    elif application.confirmed_at is not None:
        context["done"] = True
    with translation.override(application.language or translation.get_language()):
        # The owner of the address sees what would be saved, to spot an application
        # someone else made in their name.
        context["summary"] = application_summary(application)
        response = TemplateResponse(request, "wagtail_iln/applications/confirm.html", context)
        return response.render()
