from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string

from ..fields import parent_field
from ..tracking import TrackedModel
from .licences import LICENCE_CHOICES, LICENCES_BY_CODE


def image_scope(image_pk):
    """The fragment scope of the credit of one image: ``(ImageCredit, image_scope(pk))``."""
    return f"image:{image_pk}"


class ImageCredit(TrackedModel):
    """Who made an image, under which licence, and where it came from.

    One row per image of the site's image model, whatever
    ``WAGTAILIMAGES_IMAGE_MODEL`` is.
    """

    image = parent_field(
        get_image_model_string(), _("image"), "iln_credit", field_class=models.OneToOneField
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("The title the creator gave the work, e.g. “Start”."),
    )
    creator = models.CharField(
        _("creator"),
        max_length=255,
        blank=True,
        help_text=_("The name to credit, as the creator wishes to be credited."),
    )
    licence = models.CharField(_("licence"), max_length=32, choices=LICENCE_CHOICES)
    source_url = models.URLField(
        _("source URL"),
        max_length=500,
        blank=True,
        help_text=_("Where the original can be found."),
    )

    # A credit's writes make stale the fragments of its image (``image_scope``) and those
    # that read every credit.
    fragment_scope_fields = ("image_id",)

    panels = [
        FieldPanel("image"),
        FieldPanel("title"),
        FieldPanel("creator"),
        FieldPanel("licence"),
        FieldPanel("source_url"),
    ]

    class Meta:
        verbose_name = _("image credit")
        verbose_name_plural = _("image credits")

    def __str__(self):
        from .rendering import credit_text

        return credit_text(self)

    def fragment_scope(self, values):
        return image_scope(values["image_id"])

    @property
    def licence_info(self):
        return LICENCES_BY_CODE.get(self.licence)
