"""Forgetting people some time after their last round: ``PARTICIPANT_RETENTION_DAYS``."""

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from ..conf import get_setting
from ..programme.models import Enrolment, Participant
from .data_rights import erase_participant, forget_expired_links


def expired_participants(today=None):
    """Participants not yet erased whose last round ended more than the retention ago.

    People never enrolled in a round count from the day their record was made.
    ``None`` as the setting keeps everyone: an empty queryset.
    """
    days = get_setting("PARTICIPANT_RETENTION_DAYS")
    if days is None:
        return Participant.objects.none()
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    last_ended = Subquery(
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("-round__ends_on")
        .values("round__ends_on")[:1]
    )
    cutoff_start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        Participant.objects.filter(erased_at__isnull=True)
        .annotate(last_ended=last_ended)
        .filter(Q(last_ended__lt=cutoff) | Q(last_ended__isnull=True, created_at__lt=cutoff_start))
    )


def anonymise_expired_participants(today=None, dry_run=False):
    """Erase the participants ``expired_participants`` finds; returns how many. Idempotent."""
    people = list(expired_participants(today).order_by("pk"))
    if not dry_run:
        for participant in people:
            erase_participant(participant)
    return len(people)


@task()
def apply_retention():
    """``anonymise_expired_participants`` for sites with a task worker; schedule it daily.

    Also forgets the addresses of expired personal-data links.
    """
    forget_expired_links()
    return anonymise_expired_participants()
