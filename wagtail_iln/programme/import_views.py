import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..compat import PermissionCheckedMixin
from .choices import MatchingRunStatus, RoundJobKind
from .filters import one_round_per_translation
from .import_jobs import start_import
from .importing import MAX_UPLOAD_BYTES, ParticipantImporter
from .models import Participant

SIGNING_SALT = "wagtail_iln.programme.import"
# How long a previewed file waits in the cache for the organiser to import it.
PREVIEW_SECONDS = 60 * 60


class ParticipantAdminView(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """An admin page of the participants, open to those with ``permission_required`` on them."""

    model = Participant
    header_icon = "user"
    index_url_name = None  # the participants' listing, given by the viewset


class ImportStepView(ParticipantAdminView):
    """A step of an import: the form with its preview, then the progress."""

    permission_required = "add"
    page_title = _("Import participants")
    progress_url_name = None


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


class ParticipantImportView(ImportStepView, FormView):
    """Preview (a dry run), then import, an organiser's CSV file of applicants."""

    form_class = ParticipantImportForm
    template_name = "wagtail_iln/programme/import.html"
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
        report = self.importer_class(round).validate(data)
        if self.request.POST.get("action") == "import" and report.is_valid:
            # Storing runs in the task worker; its page shows how far it has gone.
            job = start_import(round, data, self.request.user)
            return HttpResponseRedirect(reverse(self.progress_url_name, args=[job.pk]))
        confirm_form = None
        if report.is_valid:
            confirm_form = ParticipantImportForm(
                initial={"round": round, "previewed": keep_preview(data)}
            )
            confirm_form.fields["round"].widget = forms.HiddenInput()
        return self.render_to_response(
            self.get_context_data(form=form, report=report, round=round, confirm_form=confirm_form)
        )


def import_summary(job):
    figures = job.figures or {}
    return gettext(
        "Imported into %(round)s: %(created)s new, %(updated)s updated, "
        "%(unchanged)s unchanged participants; %(enrolled)s newly enrolled."
    ) % {
        "round": job.round,
        "created": figures.get("created", 0),
        "updated": figures.get("updated", 0),
        "unchanged": figures.get("unchanged", 0),
        "enrolled": figures.get("enrolled", 0),
    }


class ImportProgressView(ImportStepView, TemplateView):
    """How far an import has gone; as JSON for the progress bar (``?format=json``)."""

    template_name = "wagtail_iln/programme/import_progress.html"

    def get(self, request, pk):
        from ..matching.models import MatchingRun

        # After the permission check of dispatch(): nobody learns which imports exist.
        job = get_object_or_404(
            MatchingRun.objects.select_related("round"), pk=pk, kind=RoundJobKind.IMPORT
        )
        done = job.status in (MatchingRunStatus.FINISHED, MatchingRunStatus.FAILED)
        here = reverse(self.progress_url_name, args=[job.pk])
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": job.status,
                    "status_label": str(job.get_status_display()),
                    "progress": job.progress,
                    "done": done,
                    "url": here,
                }
            )
        return self.render_to_response(
            self.get_context_data(
                job=job,
                done=done,
                summary=import_summary(job) if job.status == MatchingRunStatus.FINISHED else "",
                progress_url=f"{here}?format=json",
                participants_url=reverse(self.index_url_name) + f"?round={job.round_id}",
            )
        )
