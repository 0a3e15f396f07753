import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import widgets
from ..conf import get_setting
from ..pageforms import DuplicatePost, FormKeyField, OneLineField, PublicFormMixin, email_errors
from ..programme.choices import country_choices
from .intake import clean_photo, format_message
from .models import PhotoSubmission


class PhotoSubmissionForm(PublicFormMixin, forms.Form):
    rate_limited_message = _("You have sent many photos in a short time. Please try again later.")
    photo = forms.FileField(
        label=_("Your photo"),
        help_text=_("JPEG, PNG, WebP or HEIC, taken by you."),
        error_messages={"required": _("Choose the photo you want to send.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
        ),
    )
    title = OneLineField(
        label=_("What is it?"),
        max_length=120,
        error_messages={"required": _("Say what the photo shows.")},
    )
    story = forms.CharField(
        label=_("Why is it your favourite feature?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us why it is your favourite feature.")},
    )
    credit_name = OneLineField(
        label=_("Your name as it should appear in the credit"),
        max_length=120,
        error_messages={"required": _("Enter the name to credit the photo to.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Never shown. We write to you when your photo is shown."),
        error_messages=email_errors(_("Enter your e-mail address: we write to you there.")),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=widgets.Listed(country_choices),
        widget=widgets.Select,
        error_messages={"required": _("Choose the country you work in.")},
    )
    workplace = OneLineField(
        label=_("Workplace"),
        max_length=200,
        error_messages={"required": _("Enter the library where you work.")},
    )
    licence = forms.ChoiceField(
        label=_("Licence"), error_messages={"required": _("Choose a licence for your photo.")}
    )
    consent = forms.BooleanField(
        label=_(
            "I took this photo, and I agree to it being published with my name "
            "and the licence I chose."
        ),
        error_messages={"required": _("Tick the box to agree, or we cannot publish your photo.")},
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_key = FormKeyField()

    summary_labels = {"consent": _("Your consent")}

    def __init__(self, campaign, *args, **kwargs):
        self.campaign = campaign
        super().__init__(*args, **kwargs)
        self.fields["licence"].choices = campaign.licence_choices
        self.fields["form_key"].initial = uuid.uuid4()
        self.max_bytes = get_setting("PHOTO_MAX_BYTES")
        #: What the browser says, before sending, of a photo above ``max_bytes`` (photo_form.js).
        self.too_big_message = gettext(
            "This photo is larger than %(size)s, the largest we accept. "
            "Please choose a smaller version of it."
        ) % {"size": filesizeformat(self.max_bytes)}

    def browser_refusals(self):
        """What photo_form.js tells, as the server would, before sending a photo it refuses.

        ``[(reason, message)]``: a photo above ``max_bytes`` (``too-big``); a
        file the browser names of a type the field does not accept, a PDF or a
        video (``format``).
        """
        return [("too-big", self.too_big_message), ("format", format_message())]

    def browser_refusal_errors(self):
        """The error summary's items (``_error_summary``) for ``browser_refusals``, in order."""
        photo = self["photo"]
        return [
            (photo.id_for_label, photo.label, message) for _, message in self.browser_refusals()
        ]

    def get_id_prefix(self):
        return f"iln-photo-{self.campaign.pk}"

    def is_replay(self):
        """Whether this very form was sent before: a double click or a replayed post."""
        try:
            key = uuid.UUID(str(self.data.get("form_key", "")))
        except ValueError:
            return False
        return PhotoSubmission.objects.filter(form_key=key).exists()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(_("Your photo could not be accepted."), code="honeypot")
        return cleaned

    def clean_photo(self):
        photo = clean_photo(self.cleaned_data["photo"])
        if self.campaign.same_photo_sent(photo.sha256):
            raise ValidationError(
                _("This photo has already been sent to this campaign."), code="duplicate"
            )
        return photo

    def save(self, source_url=""):
        """Store the photo and its submission; raise ``DuplicatePost`` for a replayed form."""
        data = self.cleaned_data
        if PhotoSubmission.objects.filter(form_key=data["form_key"]).exists():
            raise DuplicatePost
        photo = data["photo"]
        submission = PhotoSubmission(
            campaign=self.campaign,
            form_key=data["form_key"],
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
            title=data["title"],
            story=data["story"],
            credit_name=data["credit_name"],
            email=data["email"],
            country=data["country"],
            workplace=data["workplace"],
            licence=data["licence"],
            consent_given_at=timezone.now(),
            language=translation.get_language() or "",
            source_url=source_url,
        )
        submission.file.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
        try:
            with transaction.atomic():
                submission.save()
        except BaseException as error:
            # Nothing may stay in storage without its row.
            submission.file.storage.delete(submission.file.name)
            if isinstance(error, IntegrityError):
                if PhotoSubmission.objects.filter(form_key=data["form_key"]).exists():
                    raise DuplicatePost from error
                self.add_error(
                    "photo",
                    ValidationError(
                        _("This photo has already been sent to this campaign."), code="duplicate"
                    ),
                )
                return None
            raise
        return submission
