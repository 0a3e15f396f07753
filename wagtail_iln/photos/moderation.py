"""Approving, rejecting and withdrawing photos: atomic, idempotent, leaving no stray file."""

import logging
import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from .. import tracking
from ..credits.models import ImageCredit
from ..moderation.service import Moderation, ModerationError, Transition
from ..renditions import GALLERY, make_renditions_after_commit
from ..warming import pages_showing, warm_pages_after_commit
from .emails import send_after_commit
from .models import PhotoSubmission

logger = logging.getLogger(__name__)
Status = PhotoSubmission.Status


def create_image(submission):
    """A Wagtail image of the submission in its campaign's collection, with its credit."""
    Image = get_image_model()
    collection = submission.campaign.collection or Collection.get_first_root_node()
    image = Image(title=submission.title, collection=collection)
    with submission.file.open("rb") as photo:
        content = photo.read()
    extension = submission.file.name.rsplit(".", 1)[-1]
    image.file.save(f"{secrets.token_hex(8)}.{extension}", ContentFile(content), save=False)
    # Read from the header of the clean photo: the field's own reading does not
    # survive a file saved without the model.
    with PILImage.open(BytesIO(content)) as photo:
        image.width, image.height = photo.size
    try:
        # Shown once the submission is saved approved, which renews its campaign's
        # galleries alone: the new image and credit renew nothing by themselves.
        with tracking.rows_created_unshown():
            image._set_image_file_metadata()
            image.save()
            image.tags.add(*submission.campaign.hashtag_list)
            ImageCredit.objects.create(
                image=image,
                title=submission.title,
                creator=submission.credit_name,
                licence=submission.licence,
            )
    except BaseException:
        image.file.storage.delete(image.file.name)
        raise
    return image


class PhotoModeration(Moderation):
    """A pending photo is approved (it becomes a credited image) or rejected with a reason (its
    file is deleted); the submitter may withdraw it at any time. They are told by e-mail."""

    model = PhotoSubmission
    transitions = {
        "approve": Transition(
            Status.APPROVED,
            sources=[Status.PENDING],
            refusal=_("Only a pending photo can be approved."),
        ),
        "reject": Transition(
            Status.REJECTED,
            sources=[Status.PENDING],
            refusal=_("Only a pending photo can be rejected."),
        ),
        "withdraw": Transition(Status.WITHDRAWN, by_moderator=False),
    }

    def get_queryset(self):
        return super().get_queryset().select_related("campaign")

    def forget_file(self, submission):
        """No stray file: the pending photo goes once the transaction has committed."""
        storage, name = submission.file.storage, submission.file.name
        if name:
            transaction.on_commit(lambda: storage.delete(name))
        submission.file = ""

    def allows(self, item, name):
        if name == "approve" and item.awaits_sender:
            return False
        return super().allows(item, name)

    def on_approve(self, submission, user, approved_url=""):
        if submission.awaits_sender:
            raise ModerationError(
                gettext(
                    "The sender of this photo has not confirmed it yet: it can be approved "
                    "once they have given their name, licence and consent."
                )
            )
        submission.image = create_image(submission)
        # Made in the task worker, so the gallery's next reader does not wait for them.
        make_renditions_after_commit({GALLERY: [submission.image.pk]})
        self.forget_file(submission)
        submission.moderation_error = ""
        send_after_commit(submission, "approved", shown_url=approved_url)

    def after_approve(self, submission, user):
        # Once its renditions are made, the pages showing its campaign's gallery are rendered
        # in the task worker too, after the gallery's generation has changed.
        campaigns = type(submission.campaign).objects.filter(
            translation_key=submission.campaign.translation_key
        )
        warm_pages_after_commit(pages_showing(campaigns))

    def on_reject(self, submission, user, reason=""):
        self.forget_file(submission)
        submission.rejection_reason = reason
        send_after_commit(submission, "rejected")

    def on_withdraw(self, submission, user):
        self.forget_file(submission)
        if submission.image_id:
            # Deleting an image removes its file and renditions after commit.
            submission.image.delete()
        submission.image = None

    def on_failure(self, submission, name, error):
        if name != "approve":
            return
        logger.exception("Approving photo submission %s failed", submission.pk)
        PhotoSubmission.objects.filter(pk=submission.pk).update(
            moderation_error=gettext("The photo could not be copied to the image library: %s")
            % error
        )
        raise ModerationError(
            gettext("The photo could not be approved; it is still pending. Please try again.")
        ) from error


photo_moderation = PhotoModeration()


def approve(submission, user, approved_url=""):
    """Approve a pending photo; approving it again changes nothing.

    Returns ``True`` when this call approved it.
    """
    return photo_moderation.apply(submission, "approve", user, approved_url=approved_url)


def reject(submission, user, reason):
    """Reject a pending photo with a reason; its file is deleted."""
    return photo_moderation.apply(submission, "reject", user, reason=reason)


def withdraw(submission):
    """The submitter takes the photo back: its file, and its image if approved, are removed."""
    return photo_moderation.apply(submission, "withdraw")
