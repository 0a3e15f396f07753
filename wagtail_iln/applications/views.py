"""The public side of applying to a round: the form's endpoint and the confirmation link."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_countries import countries

from ..conf import get_setting
from ..links import EXPIRED
from ..pageforms import PageFormView
from ..programme.models import Round
from .confirm import application_from_token, confirm_application, confirm_token
from .emails import send_after_commit
from .forms import RoundApplicationForm, applications_open, window_context

APPLIED_PARAMETER = "iln-applied"
FORM_KIND = "round_application"


class ApplyView(PageFormView):
    """The application's own page: the form, grouped in fieldsets, and what it receives.

    The application block on a topic links here (``page_url``), with the topic
    in the query string: the form is too long to sit among a topic's prompts.
    A post stores a pending application and e-mails a link to the address
    given; nothing about the person changes until that link is followed. The
    answer is this page again: with a thank-you, or with the form, its error
    summary and its errors (400); 403 when the round is not taking
    applications, 429 when the client has sent too much. The page speaks the
    language of the topic it was reached from.
    """

    form_kind = FORM_KIND
    form_class = RoundApplicationForm
    rate_limit_scope = "applications"
    rate_limit_setting = "APPLICATION_RATE_LIMIT"
    thank_you_parameter = APPLIED_PARAMETER
    own_template = "wagtail_iln/applications/page.html"
    url_name = "wagtail_iln:round_apply"
    target_model = Round
    anchor_prefix = "iln-round"

    def is_open(self):
        return applications_open(self.target)

    def save(self, form):
        application = form.save(source_url=self.source_url())
        confirm_url = self.request.build_absolute_uri(
            reverse("wagtail_iln:round_apply_confirm", args=[confirm_token(application)])
        )
        send_after_commit(application, "confirm_application", confirm_url=confirm_url)
        return application

    @classmethod
    def page_url(cls, round, page=None, **parameters):
        """The URL of the application's page; ``page`` is the page its link is on."""
        query = {"page": page.pk} if page is not None else {}
        query.update(parameters)
        url = reverse(cls.url_name, args=[round.pk])
        return f"{url}?{urlencode(query)}" if query else url

    def get(self, request, *args, **kwargs):
        """The application's page: the form while the round takes applications, or the thank-you."""
        form = self.get_form() if self.is_open() else None
        return self.render_form(form, status=200)

    def thank_you_url(self, saved):
        parameters = {APPLIED_PARAMETER: self.target.pk}
        url = self.page_url(self.target, self.page, **parameters)
        return f"{url}#{self.anchor(self.target)}"

    def render_form(self, form, status):
        """The application's page, whichever page the visitor came from."""
        sent = self.request.method == "GET" and self.request.GET.get(APPLIED_PARAMETER) == str(
            self.target.pk
        )
        context = {
            **window_context(self.target),
            **self.form_context(self.target, self.page),
            "round": self.target.localized,
            "form": None if sent else form,
            "sent": sent,
            "source_page": self.page,
            "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        }
        return TemplateResponse(self.request, self.own_template, context, status=status)


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
