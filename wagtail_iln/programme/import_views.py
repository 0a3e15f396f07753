import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .filters import one_round_per_translation
from .importing import MAX_UPLOAD_BYTES, ParticipantImporter
from .models import Participant

SIGNING_SALT = "wagtail_iln.programme.import"
# How long a previewed file waits in the cache for the organiser to import it.
PREVIEW_SECONDS = 60 * 60


def keep_preview(data):
    """Keep a previewed file in the cache; the signed key that fetches it back.

    The file stays on the server: a 5 MB file carried in the confirm form
    would pass Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) even compressed.
    """
    key = f"wagtail_iln:import:{secrets.token_urlsafe(24)}"
    cache.set(key, data, PREVIEW_SECONDS)
    return signing.dumps(key, salt=SIGNING_SALT)


def previewed_file(token):
    """The file kept by ``keep_preview``, or None when the token is forged or it has gone."""
    try:
        key = signing.loads(token, salt=SIGNING_SALT, max_age=PREVIEW_SECONDS)
    except signing.BadSignature:
        return None
    return cache.get(key) if isinstance(key, str) else None


class ParticipantImportForm(forms.Form):
    round = forms.ModelChoiceField(
        label=capfirst(_("round")),
        queryset=None,
        help_text=_("Everyone in the file is enrolled in this round."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("UTF-8, at most 5 MB, with the column names on the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    # The previewed file's key (keep_preview), so "import" stores exactly what was previewed.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = one_round_per_translation()

    def clean(self):
        cleaned = super().clean()
        upload, previewed = cleaned.get("file"), cleaned.get("previewed")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error(
                    "file",
                    gettext("The file is larger than %(size)s MB.")
                    % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
                return cleaned
            cleaned["data"] = upload.read()
        elif previewed:
            cleaned["data"] = previewed_file(previewed)
            if cleaned["data"] is None:
                self.add_error("file", gettext("Choose the file again."))
        else:
            self.add_error("file", gettext("Choose a CSV file."))
        return cleaned


class ParticipantImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Preview (a dry run), then import, an organiser's CSV file of applicants."""

    model = Participant
    permission_required = "add"
    form_class = ParticipantImportForm
    template_name = "wagtail_iln/programme/import.html"
    page_title = _("Import participants")
    header_icon = "user"
    index_url_name = None
    importer_class = ParticipantImporter

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Participant._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def form_valid(self, form):
        round = form.cleaned_data["round"]
        data = form.cleaned_data["data"]
        dry_run = self.request.POST.get("action") != "import"
        report = self.importer_class(round).run(data, dry_run=dry_run)
        if report.imported:
            messages.success(
                self.request,
                gettext(
                    "Imported into %(round)s: %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged participants; %(enrolled)s newly enrolled."
                )
                % {
                    "round": round,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "enrolled": report.enrolled,
                },
            )
            return HttpResponseRedirect(reverse(self.index_url_name) + f"?round={round.pk}")
        confirm_form = None
        if report.is_valid:
            confirm_form = ParticipantImportForm(
                initial={"round": round, "previewed": keep_preview(data)}
            )
            confirm_form.fields["round"].widget = forms.HiddenInput()
        return self.render_to_response(
            self.get_context_data(form=form, report=report, round=round, confirm_form=confirm_form)
        )
