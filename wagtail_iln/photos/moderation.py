"""Approving, rejecting and withdrawing photos: atomic, idempotent, leaving no stray file."""

import logging
import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from ..credits.models import ImageCredit
from .emails import send_after_commit
from .models import PhotoSubmission

logger = logging.getLogger(__name__)
Status = PhotoSubmission.Status


class ModerationError(Exception):
    """A moderation action that cannot be carried out; the message is for the moderator."""


def _delete_after_commit(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _locked(submission):
    return (
        PhotoSubmission.objects.select_for_update().select_related("campaign").get(pk=submission.pk)
    )


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


def approve(submission, user, approved_url=""):
    """Approve a pending photo; approving it again changes nothing.

    Returns ``True`` when this call approved it.
    """
    try:
        with transaction.atomic():
            submission = _locked(submission)
            if submission.status == Status.APPROVED:
                return False
            if submission.status != Status.PENDING:
                raise ModerationError(gettext("Only a pending photo can be approved."))
            image = create_image(submission)
            _delete_after_commit(submission.file.storage, submission.file.name)
            submission.image = image
            submission.file = ""
            submission.status = Status.APPROVED
            submission.moderated_at = timezone.now()
            submission.moderated_by = user
            submission.moderation_error = ""
            submission.save()
            send_after_commit(submission, "approved", shown_url=approved_url)
    except ModerationError:
        raise
    except Exception as error:
        logger.exception("Approving photo submission %s failed", submission.pk)
        PhotoSubmission.objects.filter(pk=submission.pk).update(
            moderation_error=gettext("The photo could not be copied to the image library: %s")
            % error
        )
        raise ModerationError(
            gettext("The photo could not be approved; it is still pending. Please try again.")
        ) from error
    return True


def reject(submission, user, reason):
    """Reject a pending photo with a reason; its file is deleted."""
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status == Status.REJECTED:
            return False
        if submission.status != Status.PENDING:
            raise ModerationError(gettext("Only a pending photo can be rejected."))
        _delete_after_commit(submission.file.storage, submission.file.name)
        submission.file = ""
        submission.status = Status.REJECTED
        submission.rejection_reason = reason
        submission.moderated_at = timezone.now()
        submission.moderated_by = user
        submission.save()
        send_after_commit(submission, "rejected")
    return True


def withdraw(submission):
    """The submitter takes the photo back: its file, and its image if approved, are removed."""
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status == Status.WITHDRAWN:
            return False
        _delete_after_commit(submission.file.storage, submission.file.name)
        if submission.image_id:
            # Deleting an image removes its file and renditions after commit.
            submission.image.delete()
        submission.file = ""
        submission.image = None
        submission.status = Status.WITHDRAWN
        submission.save()
    return True
