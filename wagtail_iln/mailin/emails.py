"""The reply to an e-mail that brought photos: the link to confirm them, and why any
attachment was refused."""

from django.core import signing
from django.db import transaction
from django.utils import timezone

from ..mail import absolute_link, email_task, send

CONFIRM_SALT = "wagtail_iln.mailin.confirm"
TEMPLATE = "wagtail_iln/mailin/emails/reply"


def confirm_token(message_id):
    return signing.dumps(message_id, salt=CONFIRM_SALT)


@email_task
def send_reply(message_id, base):
    """Answer the sender of the ``InboundMessage`` ``message_id``, once.

    The row is locked while the reply is handed to the mail server and marked
    replied in the same transaction: a second task for the same message sends nothing.
    """
    from ..conf import get_setting
    from ..mailings.bounces import is_undeliverable
    from .models import InboundMessage

    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .filter(pk=message_id, replied_at__isnull=True)
            .first()
        )
        if message is None or not message.sender:
            return
        if is_undeliverable(message.sender):
            return
        photos = list(message.photos.select_related("submission").order_by("position"))
        context = {
            "message": message,
            "campaign": message.campaign,
            "photos": photos,
            "refusals": message.refusals,
            "confirm_url": absolute_link(
                base, "wagtail_iln:mail_photo_confirm", confirm_token(message.pk)
            )
            if photos
            else "",
            "days": get_setting("MAIL_CONFIRM_DAYS"),
        }
        headers = {"Auto-Submitted": "auto-replied"}
        if message.message_id:
            headers["In-Reply-To"] = message.message_id
            headers["References"] = message.message_id
        send(TEMPLATE, context, to=[message.sender], language=message.language, headers=headers)
        message.replied_at = timezone.now()
        message.save(update_fields=["replied_at"])
