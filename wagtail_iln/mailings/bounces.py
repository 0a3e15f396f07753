"""Addresses the mail cannot reach: a sending service's bounces and complaints.

anymail's ``tracking`` signal (connected by ``mailin.inbound.connect`` when
anymail is installed) calls :func:`record_tracking`; a bounced, rejected or
complained-of address is recorded as an :class:`UndeliverableAddress`, and
topic e-mails, follow e-mails and replies to e-mailed photos skip it.
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from .models import UndeliverableAddress

UNDELIVERABLE_EVENTS = ("bounced", "rejected", "complained")


def record_tracking(sender, event, esp_name, **kwargs):
    if event.event_type not in UNDELIVERABLE_EVENTS or not event.recipient:
        return
    description = " ".join(str(event.description or event.reject_reason or "").split())
    mark_undeliverable(event.recipient, event.event_type, description)


def mark_undeliverable(email, event, description=""):
    """Record ``email`` as undeliverable (again): it is sent nothing more."""
    email = email.strip().lower()
    fields = {"event": event, "description": description[:255], "recorded_at": timezone.now()}
    updated = UndeliverableAddress.objects.filter(email__iexact=email).update(
        events=F("events") + 1, **fields
    )
    if updated:
        return
    try:
        with transaction.atomic():
            UndeliverableAddress.objects.create(email=email, **fields)
    except IntegrityError:  # recorded by a simultaneous event
        UndeliverableAddress.objects.filter(email__iexact=email).update(
            events=F("events") + 1, **fields
        )


def is_undeliverable(email):
    """Whether ``email`` bounced, was rejected or complained of: it is sent nothing more."""
    return UndeliverableAddress.objects.filter(email__iexact=email).exists()


def _listed(field):
    return Exists(UndeliverableAddress.objects.filter(email__iexact=OuterRef(field)))


def deliverable(queryset, field="email"):
    """``queryset`` without the rows whose ``field`` is an undeliverable address."""
    return queryset.exclude(_listed(field))


def undeliverable(queryset, field="email"):
    """The rows of ``queryset`` whose ``field`` is an undeliverable address."""
    return queryset.filter(_listed(field))
