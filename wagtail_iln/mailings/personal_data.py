"""What topic e-mails hold about a person: which topics they were sent, their opt-out,
and the discussions their address follows.

Registered with ``privacy.registry`` when the app is ready. Erasure anonymises
the participant (``programme.personal_data``): what is recorded here then
points at a record that names no one, and no topic goes to it any more.
"""

from django.utils.translation import gettext

from ..links import is_id
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


def followed(email):
    return with_email(Follower.objects.select_related("index"), email).order_by("created_at", "pk")


def context(email):
    """The my-data section: topic e-mails of the person's rounds, and the discussions followed."""
    participant = participant_with_email(email)
    if participant is not None and (participant.erased_at or not participant.may_be_emailed):
        participant = None
    follows = list(followed(email))
    if participant is None and not follows:
        return None
    opt_out = TopicOptOut.objects.filter(participant=participant).first() if participant else None
    return {"participant": participant, "opt_out": opt_out, "follows": follows}


def stop_topic_emails(email, data):
    participant = participant_with_email(email)
    if participant is None:
        return None
    TopicOptOut.objects.get_or_create(participant=participant)
    return gettext("New topics no longer reach you by e-mail.")


def resume_topic_emails(email, data):
    participant = participant_with_email(email)
    if participant is None or not participant.may_be_emailed:
        return None
    TopicOptOut.objects.filter(participant=participant).delete()
    return gettext("Each new topic of your rounds will reach you by e-mail again.")


def stop_following(email, data):
    """Stop following the discussion the post names, if this address follows it."""
    try:
        pk = int(data.get("follower", ""))
    except ValueError:
        return None
    # An id no database column holds would make the query fail.
    if not is_id(pk):
        return None
    follower = followed(email).filter(pk=pk).first()
    if follower is None:
        return None
    follower.delete()
    return gettext("You no longer follow %(discussion)s.") % {"discussion": follower.index.title}


register(
    "mailings",
    export=export,
    template="wagtail_iln/mailings/_my_data.html",
    context=context,
    actions={
        "stop_topic_emails": stop_topic_emails,
        "resume_topic_emails": resume_topic_emails,
        "stop_following": stop_following,
    },
)


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


def forget_follows(email):
    """Withdrawing consent or erasure: the address follows nothing any more, and is forgotten."""
    followed(email).delete()


def withdrawing_follows(email):
    return [
        gettext("You no longer follow %(discussion)s by e-mail.")
        % {"discussion": follower.index.title}
        for follower in followed(email).filter(confirmed_at__isnull=False)
    ]


register(
    "followers",
    export=export_follows,
    withdraw=forget_follows,
    withdrawing=withdrawing_follows,
    erase=forget_follows,
)


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
