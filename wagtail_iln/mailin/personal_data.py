"""What photos by e-mail hold about a person: the e-mails they sent, by their address.

The photos themselves are photo submissions, exported and erased by
``photos.personal_data``; here is the record of each e-mail (when, to which
campaign, what became of it). Erasure forgets the sender's address and
Message-ID; the record stays, naming no one, so that the e-mail is never handled again.
"""

from ..privacy.registry import register, when, with_email
from .models import InboundMessage


def sent(email):
    return with_email(InboundMessage.objects.select_related("campaign"), email, "sender")


def export(email):
    return {
        "photo_emails": [
            {
                "campaign": message.campaign.name if message.campaign else None,
                "received_at": when(message.received_at),
                "outcome": message.outcome,
                "confirmed_at": when(message.confirmed_at),
            }
            for message in sent(email).order_by("received_at", "pk")
        ]
    }


def erase(email):
    sent(email).update(sender="", message_id="", refusals=[])


register("photo_emails", export=export, erase=erase)
