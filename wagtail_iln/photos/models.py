from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Collection, TranslatableMixin
from wagtail.search import index

from ..credits.licences import LICENCE_CHOICES, LICENCES_BY_CODE
from ..fields import language_field, optional_link_field, unique
from ..moderation.models import ModeratedModel
from ..per_request import LocalizedMixin
from ..tracking import TrackedModel
from .admin_forms import PhotoCampaignAdminForm
from .storage import get_pending_storage, pending_upload_to

DEFAULT_CAMPAIGN_LICENCES = ["cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc0-1.0"]


def default_campaign_licences():
    return list(DEFAULT_CAMPAIGN_LICENCES)


class PhotoCampaign(LocalizedMixin, TranslatableMixin, index.Indexed, TrackedModel):
    """A call for photos, such as #favouritefeature: its prompt, window and moderators."""

    name = models.CharField(_("name"), max_length=255)
    hashtags = models.CharField(
        _("hashtags"),
        max_length=255,
        blank=True,
        help_text=_("Separated by spaces, e.g. #favouritefeature #ILNround."),
    )
    prompt = RichTextField(_("prompt"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    collection = optional_link_field(
        Collection,
        _("collection"),
        help_text=_("Where approved photos go. Left empty, one is created for the campaign."),
    )
    moderator_emails = models.JSONField(
        _("moderator e-mail addresses"),
        default=list,
        blank=True,
        help_text=_("One address per line; each is told of new photos."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    licences = models.JSONField(
        _("licences offered"),
        default=default_campaign_licences,
        help_text=_("The licences submitters may choose from."),
    )

    inbound_address = models.EmailField(
        _("address for photos by e-mail"),
        blank=True,
        help_text=_(
            "Photos e-mailed to this address join the campaign (see the mail settings). "
            "Left empty, photos are taken through the form only."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("hashtags"),
        FieldPanel("prompt"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])],
            heading=_("When photos may be sent"),
        ),
        FieldPanel("licences"),
        FieldPanel("collection"),
        FieldPanel("moderator_emails"),
        FieldPanel("inbound_address"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    base_form_class = PhotoCampaignAdminForm

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("photo campaign")
        verbose_name_plural = _("photo campaigns")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.collection_id is None:
            root = Collection.get_first_root_node()
            existing = root.get_children().filter(name=self.name).first()
            self.collection = existing or root.add_child(name=self.name)
        super().save(*args, **kwargs)

    @property
    def hashtag_list(self):
        return [tag.lstrip("#") for tag in self.hashtags.split() if tag.lstrip("#")]

    @property
    def licence_choices(self):
        return [(code, label) for code, label in LICENCE_CHOICES if code in self.licences]

    def same_photo_sent(self, sha256):
        """Whether this photo is already pending or approved in the campaign, in any language."""
        return PhotoSubmission.objects.filter(
            campaign__translation_key=self.translation_key,
            sha256=sha256,
            status__in=[PhotoSubmission.Status.PENDING, PhotoSubmission.Status.APPROVED],
        ).exists()

    @property
    def is_open(self):
        now = timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


def default_language():
    """The site's default language, read when a row is made: the migration names this function,
    never the host's setting, so it is the same on every site."""
    return settings.LANGUAGE_CODE


def campaign_photos_scope(translation_key, status):
    """The photos of a campaign (in every translation) in ``status``, as fragments name them."""
    return f"campaign:{translation_key}:{str(status)}"


class PhotoSubmission(ModeratedModel):
    """A photo sent to a campaign, private until a moderator approves it."""

    # A save makes stale only the fragments that show its campaign's photos in
    # its status: a pending photo leaves the gallery of approved ones as it was.
    fragment_scope_fields = ("campaign_id", "status")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("photo status", "pending")
        APPROVED = "approved", pgettext_lazy("photo status", "approved")
        REJECTED = "rejected", pgettext_lazy("photo status", "rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("photo status", "withdrawn")

    campaign = models.ForeignKey(
        PhotoCampaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    file = models.FileField(
        _("photo"),
        storage=get_pending_storage,
        upload_to=pending_upload_to,
        max_length=255,
        blank=True,
    )
    sha256 = models.CharField(max_length=64, editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    title = models.CharField(_("what is it?"), max_length=120)
    story = models.TextField(_("why is it your favourite feature?"), max_length=2000)
    credit_name = models.CharField(_("name for the credit"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    country = CountryField(_("country"))
    workplace = models.CharField(_("workplace"), max_length=200)
    # Blank, with no consent yet, for a photo sent by e-mail until its sender confirms it.
    licence = models.CharField(_("licence"), max_length=32, choices=LICENCE_CHOICES, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    source_url = models.URLField(
        _("sent from"), max_length=500, blank=True, help_text=_("The page the photo was sent from.")
    )
    language = language_field(default=default_language)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderation_error = models.TextField(_("moderation error"), blank=True)
    image = optional_link_field(get_image_model_string(), _("image"))

    class Meta:
        verbose_name = _("photo submission")
        verbose_name_plural = _("photo submissions")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("moderate_photosubmission", _("Can moderate photo submissions"))]
        constraints = [
            unique(
                "campaign",
                "sha256",
                condition=Q(status__in=["pending", "approved"]),
                name="wagtail_iln_one_photo_per_campaign",
            )
        ]

    def __str__(self):
        return self.title

    def fragment_scope(self, values):
        campaign_id = values["campaign_id"]
        cached = PhotoSubmission.campaign.field.get_cached_value(self, None)
        if cached is not None and cached.pk == campaign_id:
            translation_key = cached.translation_key
        else:
            translation_key = (
                PhotoCampaign.objects.filter(pk=campaign_id)
                .values_list("translation_key", flat=True)
                .first()
            )
        return campaign_photos_scope(translation_key, values["status"])

    @property
    def awaits_sender(self):
        """Whether the photo came by e-mail and its sender has not confirmed it yet."""
        return self.consent_given_at is None

    @property
    def licence_info(self):
        return LICENCES_BY_CODE.get(self.licence)
