"""A person's own data, without an account: ask for a link by e-mail, then use it."""

import json

from django import forms
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import EXPIRED
from ..mail import after_response, base_url
from ..pageforms import email_errors
from ..ratelimit import SENT, count_accepted, count_mistake, refusal
from . import data_rights
from .registry import holders


class DataRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages=email_errors(_("Enter your e-mail address: we send the link to it.")),
    )


def _render(request, template, context, status=200):
    context = {"wagtail_iln_base_template": get_setting("BASE_TEMPLATE"), **context}
    response = TemplateResponse(request, f"wagtail_iln/privacy/{template}", context, status=status)
    return response.render()


def _refuse(request, why):
    """The request page again, unread, saying the client asked too often: 429.

    ``why`` is ``ratelimit.SENT`` (too many requests sent) or ``ERRORS`` (too many
    with errors).
    """
    form = DataRequestForm(initial={"email": request.POST.get("email", "")})
    context = {"form": form, "sent": False, "rate_limited": why}
    return _render(request, "request.html", context, 429)


@never_cache  # shows personal data: no shared or browser cache keeps it
@after_response  # the answer takes as long whatever the e-mail task finds
@require_http_methods(["GET", "POST"])
def request_my_data(request):
    """Ask for a link to one's data; the answer does not tell whether the address is known.

    Not by its content, its status, its headers, nor by the time it takes: the
    address is looked up by the e-mail task, after the answer was sent. Only
    the owner of the address receives the link. 429 when the client asked too
    often: only requests with a valid address count (``DATA_REQUEST_RATE_LIMIT``),
    those with errors toward a much higher ceiling (``INVALID_POST_RATE_LIMIT``).
    """
    if request.method == "GET":
        return _render(request, "request.html", {"form": DataRequestForm(), "sent": False})
    form = DataRequestForm(request.POST)
    scope, limit = "data_requests", get_setting("DATA_REQUEST_RATE_LIMIT")
    why = refusal(request, scope, limit)
    if why is not None:
        return _refuse(request, why)
    if not form.is_valid():
        count_mistake(request, scope)
        return _render(request, "request.html", {"form": form, "sent": False}, 400)
    if count_accepted(request, scope, limit):
        return _refuse(request, SENT)
    # Known or not, the same work: the e-mail task finds out, once the answer has gone.
    data_rights.request_data_link(
        form.cleaned_data["email"], base_url(request), translation.get_language()
    )
    return _render(request, "request.html", {"form": None, "sent": True})


def json_download(data, filename):
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sections(request, email, corrected=None, form=None):
    """Each holder's section of the page; ``corrected``'s shows ``form``."""
    sections = []
    for holder in holders():
        if holder.template is None or holder.context is None:
            continue
        context = holder.context(email)
        if context is None:
            continue
        if holder is corrected:
            context["form"] = form
        sections.append(render_to_string(holder.template, context, request=request))
    return sections


def _page(request, email, status=200, done="", corrected=None, form=None, message=""):
    context = {
        "email": email,
        "sections": _sections(request, email, corrected, form),
        "consent_withdrawn": data_rights.consent_withdrawn(email),
        "done": done,
        "message": message,
    }
    return _render(request, "my_data.html", context, status)


def _correct(request, email):
    for holder in holders():
        if holder.correct is not None:
            form = holder.correct(email, request.POST)
            if form is not None:
                if not form.is_valid():
                    return _page(request, email, 400, corrected=holder, form=form)
                return _page(request, email, done="corrected")
    return _page(request, email, 400)


@never_cache  # shows personal data: no shared or browser cache keeps it
@require_http_methods(["GET", "POST"])
def my_data(request, token):
    """The data held about the owner of the link's address, and what they may do with it.

    GET shows it (``?format=json`` downloads it, ``?step=withdraw`` and
    ``?step=erase`` ask to confirm withdrawing consent and erasure); POST with
    ``action`` = ``correct``, ``withdraw``, ``erase`` or one of a holder's own
    ``actions`` (such as stopping a discussion's e-mails) acts.
    """
    email, problem = data_rights.email_from_token(token)
    if email is None:
        return _render(request, "invalid.html", {"expired": problem == EXPIRED}, 404)
    if request.method == "GET":
        if request.GET.get("format") == "json":
            return json_download(data_rights.export(email), "my-data.json")
        if request.GET.get("step") == "erase":
            return _render(request, "confirm_erase.html", {"email": email})
        if request.GET.get("step") == "withdraw" and not data_rights.consent_withdrawn(email):
            changes = data_rights.withdrawing(email)
            return _render(request, "confirm_withdraw.html", {"email": email, "changes": changes})
        return _page(request, email)
    action = request.POST.get("action")
    if action == "correct":
        return _correct(request, email)
    if action == "withdraw":
        data_rights.withdraw_consent(email, by=data_rights.PERSON)
        return _page(request, email, done="withdrawn")
    if action == "erase":
        data_rights.erase_data(email, by=data_rights.PERSON)
        return _render(request, "erased.html", {})
    message = data_rights.act(email, action, request.POST) if action else None
    if message is None:
        return _page(request, email, 400, done="refused")
    return _page(request, email, message=message)
