"""Handling one e-mail that brings photos, once, whatever stops it half-way.

:func:`handle_message` takes the message's bytes (from the IMAP mailbox or an
inbound webhook), finds the campaign it was sent to, puts every image
attachment through the web form's intake (``photos.intake.clean_photo``) and
stores the accepted ones as pending ``PhotoSubmission``\\ s, awaiting their
sender's confirmation. The sender gets one reply: a signed link to confirm
(credit name, licence, consent), and the reason for each refused attachment.

Once only: the files, the submissions and the ``InboundMessage`` that records
the message are written in one transaction. A crash before it commits leaves
nothing (the files have names derived from the message, written again at the
same place on the next attempt, and deleted when the transaction fails); after
it, the message is known and is never handled again.
"""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..conf import get_setting
from ..mail import enqueue_after_commit
from ..mailings.bounces import is_undeliverable
from ..photos.intake import clean_photo
from ..photos.models import PhotoCampaign, PhotoSubmission
from .emails import send_reply
from .models import InboundMessage, MailedPhoto
from .parsing import parse

logger = logging.getLogger(__name__)
Outcome = InboundMessage.Outcome

# The names of stored photos derive from the message's key and the attachment's place in it.
FILE_NAMESPACE = uuid.UUID("5b0f5d0e-8a7e-4f43-9a55-2f1e3e0b7a41")
FILE_FOLDER = "mail"

#: Why a whole message is refused (the reply says it) or ignored (no reply).
REASONS = {
    "too_big": _("Your e-mail is too big (%(size)s). The largest we accept is %(max_size)s."),
    "closed": _("This campaign is not taking photos at the moment."),
    "no_photo": _(
        "We found no photo in your e-mail. "
        "Attach a JPEG, PNG, WebP or HEIC photo and send it again."
    ),
    "no_campaign": "",
    "automatic": "",
    "no_sender": "",
}
TOO_MANY = _("Only %(count)s photos are taken from one e-mail: send this one again on its own.")
DUPLICATE = _("This photo has already been sent to this campaign.")


def handle_message(raw, size=None, recipients=None):
    """Handle one message; return its ``InboundMessage`` (the one recorded before when the
    message was handled already).

    ``raw`` is the whole message, or only its header when ``size`` (its full size)
    is over ``MAIL_MAX_BYTES``. ``recipients`` are the envelope's, when a webhook
    knows them; else the message's headers say where it was sent.
    """
    size = len(raw) if size is None else size
    too_big = size > get_setting("MAIL_MAX_BYTES")
    parsed = parse(raw, headers_only=too_big)
    known = InboundMessage.objects.filter(key=parsed.key).first()
    if known is not None:
        if known.replied_at is None and known.outcome in (Outcome.ACCEPTED, Outcome.REFUSED):
            # Recorded, and stopped before its reply was queued: queue it (the task
            # sends it once, see emails.send_reply).
            enqueue_after_commit(send_reply, known.pk, site_url())
        return known
    record = InboundMessage(
        key=parsed.key,
        message_id=parsed.message_id,
        sender=parsed.sender,
        outcome=Outcome.IGNORED,
    )
    if parsed.malformed:
        record.outcome = Outcome.MALFORMED
        return _record(record, [])
    campaign = find_campaign(recipients or parsed.recipients, parsed.language)
    record.campaign = campaign
    record.language = parsed.language or (campaign.locale.language_code if campaign else "")
    if campaign is None:
        record.reason = "no_campaign"
    elif parsed.automatic:
        record.reason = "automatic"
    elif not parsed.sender:
        record.reason = "no_sender"
    elif too_big:
        record.outcome, record.reason = Outcome.REFUSED, "too_big"
        record.refusals = [_reason(record, "too_big", size=size)]
    elif not campaign.is_open:
        record.outcome, record.reason = Outcome.REFUSED, "closed"
        record.refusals = [_reason(record, "closed")]
    elif not parsed.attachments:
        record.outcome, record.reason = Outcome.REFUSED, "no_photo"
        record.refusals = [_reason(record, "no_photo")]
    else:
        photos = _intake(record, campaign, parsed)
        record.outcome = Outcome.ACCEPTED if photos else Outcome.REFUSED
        return _record(record, photos, parsed)
    return _record(record, [])


def find_campaign(addresses, language=""):
    """The campaign whose inbound address is one of ``addresses``, in ``language`` when it
    has a translation there, else in the site's default language, else any."""
    addresses = [address.lower() for address in addresses if address]
    if not addresses:
        return None
    matches = list(
        PhotoCampaign.objects.annotate(address=Lower("inbound_address"))
        .filter(address__in=addresses)
        .select_related("locale")
    )
    if not matches:
        return None
    for code in (language, settings.LANGUAGE_CODE):
        for campaign in matches:
            if code and campaign.locale.language_code == code:
                return campaign
    return min(matches, key=lambda campaign: campaign.pk)


def site_url():
    """The root URL links in replies start with."""
    url = get_setting("MAIL_SITE_URL")
    if not url:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        url = site.root_url if site else ""
    return url.rstrip("/") + "/"


def _reason(record, code, name="", **params):
    if "size" in params:
        params = {
            "size": filesizeformat(params["size"]),
            "max_size": filesizeformat(get_setting("MAIL_MAX_BYTES")),
        }
    with translation.override(record.language or None):
        return {"name": name, "reason": str(REASONS[code]) % params}


def _intake(record, campaign, parsed):
    """The attachments the intake accepts, as ``(position, CleanPhoto)``; the reason for each
    one refused goes to ``record.refusals``, in the sender's language."""
    limit = get_setting("MAIL_MAX_ATTACHMENTS")
    photos, seen = [], set()
    with translation.override(record.language or None):
        for position, attachment in enumerate(parsed.attachments):
            try:
                if position >= limit:
                    raise ValidationError(TOO_MANY, code="too_many", params={"count": limit})
                photo = clean_photo(ContentFile(attachment.data, name="photo"))
                if photo.sha256 in seen or campaign.same_photo_sent(photo.sha256):
                    raise ValidationError(DUPLICATE, code="duplicate")
            except ValidationError as error:
                record.refusals.append({"name": attachment.name, "reason": error.messages[0]})
                continue
            seen.add(photo.sha256)
            photos.append((position, photo))
    return photos


def file_name(key, position, extension):
    """Where an e-mailed photo is stored: the same name each time the message is handled."""
    return f"{FILE_FOLDER}/{uuid.uuid5(FILE_NAMESPACE, f'{key}:{position}').hex}.{extension}"


def store_file(name, content):
    """Write a photo at ``name``, over what an interrupted attempt left there."""
    storage = PhotoSubmission.file.field.storage
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # another file took the name meanwhile: never leave this one behind
        storage.delete(saved)
        raise OSError(f"Could not store an e-mailed photo as {name}")
    return saved


def save_submission(record, campaign, parsed, position, photo, name):
    submission = PhotoSubmission(
        campaign=campaign,
        form_key=uuid.uuid5(FILE_NAMESPACE, f"{record.key}:{position}:form"),
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        title=parsed.subject or gettext("Photo sent by e-mail"),
        story=parsed.text,
        credit_name="",
        email=record.sender,
        workplace="",
        licence="",
        consent_given_at=None,
        language=record.language,
    )
    submission.file.name = name
    submission.save()
    return submission


def save_record(record):
    record.save()
    return record


def link_photo(record, submission, position):
    return MailedPhoto.objects.create(message=record, submission=submission, position=position)


def _record(record, photos, parsed=None):
    """Store the message's record and its photos at once; queue the reply after commit."""
    stored = []
    storage = PhotoSubmission.file.field.storage
    try:
        with transaction.atomic():
            submissions = []
            for position, photo in photos:
                name = file_name(record.key, position, photo.extension)
                stored.append(store_file(name, photo.content))
                submission = save_submission(record, record.campaign, parsed, position, photo, name)
                submissions.append((position, submission))
            save_record(record)
            for position, submission in submissions:
                link_photo(record, submission, position)
            if record.outcome in (Outcome.ACCEPTED, Outcome.REFUSED) and _answerable(record):
                enqueue_after_commit(send_reply, record.pk, site_url())
    except BaseException:
        if _recorded_elsewhere(record):
            # Handled meanwhile by another process: the files at these names are its own.
            raise
        for name in stored:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete the e-mailed photo %s", name)
        raise
    logger.info(
        "E-mail %s: %s (%d photo(s), %d refused)",
        record.message_id or record.key,
        record.outcome,
        len(photos),
        len(record.refusals),
    )
    return record


def _answerable(record):
    return not is_undeliverable(record.sender)


def _recorded_elsewhere(record):
    try:
        return InboundMessage.objects.filter(key=record.key).exists()
    except Exception:
        return False
