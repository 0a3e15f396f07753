"""A partnership's periods and last contact: when check-ins fall due and who is overdue.

See ``checkins`` for what a period is and when a partnership is overdue.
"""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from ..conf import get_setting
from ..programme.choices import PartnershipStatus
from ..programme.models import Partnership, PartnershipMember

# Periods


def interval_days():
    return get_setting("CHECKIN_INTERVAL_DAYS")


def start_of_day(date):
    """Midnight at the start of ``date``, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def period_on(started_on, today):
    """The period ``today`` falls in for a partnership started on ``started_on``; None before."""
    if started_on is None or today < started_on:
        return None
    return (today - started_on).days // interval_days()


def day_in_period(started_on, today):
    return (today - started_on).days % interval_days()


# Contact


def overdue_days():
    return get_setting("CHECKIN_OVERDUE_DAYS")


def overdue_q(now=None):
    """Active partnerships whose last contact (or start) is more than the overdue days ago."""
    cutoff = timezone.localtime(now or timezone.now()) - datetime.timedelta(days=overdue_days())
    # Never in touch: started at midnight of started_on, before the cutoff.
    if cutoff.time() > datetime.time.min:
        started_before = Q(started_on__lte=cutoff.date())
    else:
        started_before = Q(started_on__lt=cutoff.date())
    return Q(status=PartnershipStatus.ACTIVE, started_on__isnull=False) & (
        Q(last_contact_at__lt=cutoff) | (Q(last_contact_at__isnull=True) & started_before)
    )


def last_contact(partnership):
    """When the partners were last in touch, or when the partnership started; None if neither."""
    if partnership.last_contact_at is not None:
        return partnership.last_contact_at
    if partnership.started_on is not None:
        return start_of_day(partnership.started_on)
    return None


def days_without_contact(partnership, now=None):
    """Days since the partners were last in touch, or since it started; None before it starts."""
    since = last_contact(partnership)
    now = timezone.localtime(now or timezone.now())
    if since is None or since > now:
        return None
    return (now - since).days


def is_overdue(partnership, now=None):
    since = last_contact(partnership)
    return (
        partnership.status == PartnershipStatus.ACTIVE
        and since is not None
        and since < (now or timezone.now()) - datetime.timedelta(days=overdue_days())
    )


def with_members(queryset):
    """``queryset`` of partnerships with their round and members' participants fetched."""
    members = PartnershipMember.objects.select_related("enrolment__participant")
    return queryset.select_related("round").prefetch_related(Prefetch("members", queryset=members))


def active_partnerships():
    return Partnership.objects.filter(status=PartnershipStatus.ACTIVE, started_on__isnull=False)


def running_partnerships(today):
    """Active partnerships of rounds that have not ended by ``today``."""
    return active_partnerships().filter(round__ends_on__gte=today)
