from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import account_field, unique
from ..tracking import TrackedModel

#: The scope of every topic's likes: no cached part shows them (a reader's own button is not kept).
TOPIC_LIKES_SCOPE = "topics"


def photo_likes_scope(translation_key):
    """The likes of a campaign's photos (in every translation), as fragments name them."""
    return f"photos:{translation_key}"


class Like(TrackedModel):
    """A reader likes a topic or a photo: once per account, or once per browser.

    ``target`` names what is liked: a topic by its translation key (one count
    shared by every translation), a photo submission by its id. A like from a
    signed-in reader keeps their account; an anonymous one keeps only the hash
    of the random id its browser was given (``likes.browsers``), nothing that
    says who or where the reader is.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", _("topic")
        PHOTO = "photo", _("photo")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    target = models.CharField(_("liked"), max_length=64)
    user = account_field(_("account"), on_delete=models.CASCADE)
    browser = models.CharField(_("browser"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("liked at"), default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        indexes = [models.Index(fields=["kind", "target"], name="wagtail_iln_like_target")]
        constraints = [
            unique(
                "kind",
                "target",
                "user",
                condition=Q(user__isnull=False),
                name="wagtail_iln_like_once_per_account",
            ),
            unique(
                "kind",
                "target",
                "browser",
                condition=~Q(browser=""),
                name="wagtail_iln_like_once_per_browser",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(browser=""))
                | (Q(user__isnull=True) & ~Q(browser="")),
                name="wagtail_iln_like_account_or_browser",
            ),
        ]

    # A like makes stale only the galleries of its photo's campaign (none for a topic).
    fragment_scope_fields = ("kind", "target")

    def __str__(self):
        return f"{self.kind} {self.target}"

    def fragment_scope(self, values):
        if values["kind"] == self.Kind.TOPIC:
            return TOPIC_LIKES_SCOPE
        from ..photos.models import PhotoSubmission

        # The like view knows the photo's campaign (``campaign_key``); otherwise it is read.
        target = str(values["target"])
        translation_key = getattr(self, "campaign_key", None) or (
            PhotoSubmission.objects.filter(pk=target)
            .values_list("campaign__translation_key", flat=True)
            .first()
            if target.isdigit()
            else None
        )
        return None if translation_key is None else photo_likes_scope(translation_key)
