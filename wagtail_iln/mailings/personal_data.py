"""What topic e-mails hold about a person: which topics they were sent, their opt-out,
and the discussions their address follows.

Registered with ``privacy.registry`` when the app is ready. Erasure anonymises
the participant (``programme.personal_data``): what is recorded here then
points at a record that names no one, and no topic goes to it any more.
"""

from ..privacy.registry import register, when, with_email
from ..programme.personal_data import participant_with_email
from .models import Follower, TopicDelivery, TopicOptOut, UndeliverableAddress


def export(email):
    participant = participant_with_email(email)
    if participant is None:
        return {"topic_emails": [], "topic_emails_stopped_at": None}
    deliveries = (
        TopicDelivery.objects.filter(participant=participant)
        .select_related("mailing__topic")
        .order_by("sent_at", "pk")
    )
    opt_out = TopicOptOut.objects.filter(participant=participant).first()
    return {
        "topic_emails": [
            {"topic": delivery.mailing.topic.title, "sent_at": when(delivery.sent_at)}
            for delivery in deliveries
        ],
        "topic_emails_stopped_at": when(opt_out.created_at) if opt_out else None,
    }


register("mailings", export=export)


def followed(email):
    return with_email(Follower.objects.select_related("index"), email).order_by("created_at", "pk")


def export_follows(email):
    return {
        "followed_discussions": [
            {
                "discussion": follower.index.title,
                "language": follower.language,
                "asked_at": when(follower.created_at),
                "confirmed_at": when(follower.confirmed_at),
            }
            for follower in followed(email)
        ]
    }


def stop_following(email):
    """Withdrawing consent or erasure: the address follows nothing any more, and is forgotten."""
    followed(email).delete()


register("followers", export=export_follows, withdraw=stop_following, erase=stop_following)


def undeliverable_records(email):
    return with_email(UndeliverableAddress.objects.all(), email)


def export_undeliverable(email):
    return {
        "undeliverable_address": [
            {"event": record.event, "recorded_at": when(record.recorded_at)}
            for record in undeliverable_records(email)
        ]
    }


def forget_undeliverable(email):
    undeliverable_records(email).delete()


register("undeliverable_addresses", export=export_undeliverable, erase=forget_undeliverable)
