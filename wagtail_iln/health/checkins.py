"""Partnership health: fortnightly check-ins by e-mail, overdue partnerships, reminders, ends.

*Periods.* Period ``n`` of a partnership is the ``n``-th stretch of
``CHECKIN_INTERVAL_DAYS`` days since its ``started_on`` (0 for the first
fortnight). The check-in e-mail of period ``n`` goes out on the first day of
that period, from period 1 on (the introduction opens period 0); its links
record answers for period ``n``.

*Overdue.* An active partnership is overdue when its last contact (the
latest "we've been in touch" answer, or the start of ``started_on`` if there
was none) is more than ``CHECKIN_OVERDUE_DAYS`` days ago. The scheduled run
sends an overdue partnership a reminder half-way through the period, at most
once per period; an editor may send it earlier from the report.

*Needs help.* A partnership needs help while one member's latest answer is
"we need help"; a later answer of that member clears it. A member may ask for
help after answering otherwise in the same period (``ask_for_help``). The
addresses in Django's ``MANAGERS`` setting are told by e-mail when someone asks
for help.

Sending is idempotent: a ``PartnershipEmail`` row (partnership, kind, period)
is claimed before the e-mails are queued, after the transaction commits.

Periods and last contact are reckoned in ``periods``, the signed links made
in ``links``, the e-mails written in ``emails``.
"""

import datetime
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django_tasks import task

from ..mail import enqueue_after_commit
from ..programme.choices import CheckInAnswer, PartnershipEmailKind, PartnershipStatus
from ..programme.models import Partnership, Round
from .emails import notify_need_help, send_health_email
from .models import CheckIn, PartnershipEmail
from .periods import (
    day_in_period,
    interval_days,
    is_overdue,
    overdue_q,
    period_on,
    running_partnerships,
    with_members,
)

# Recording


def existing_check_in(partnership, participant, period):
    return CheckIn.objects.filter(
        partnership=partnership, participant=participant, period=period
    ).first()


def record_check_in(partnership, participant, period, answer, now=None):
    """Record a member's answer for a period; ``(check_in, created)``.

    Once per member and period: a second answer returns the first with
    ``created`` False and changes nothing. "We've been in touch" moves the
    partnership's ``last_contact_at`` forward; "we need help" tells the
    ``MANAGERS`` by e-mail.
    """
    if answer not in CheckInAnswer.values:
        raise ValueError(f"Unknown check-in answer: {answer!r}")
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                check_in = CheckIn.objects.create(
                    partnership=partnership,
                    participant=participant,
                    period=period,
                    answer=answer,
                    created_at=now,
                )
        except IntegrityError:
            return existing_check_in(partnership, participant, period), False
        if answer == CheckInAnswer.IN_TOUCH:
            Partnership.objects.filter(pk=partnership.pk).filter(
                Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=now)
            ).update(last_contact_at=now)
        elif answer == CheckInAnswer.NEED_HELP:
            enqueue_after_commit(notify_need_help, check_in.pk)
    return check_in, True


def ask_for_help(partnership, participant, period, now=None):
    """Record that a member asks for help in ``period``, whatever they answered before.

    ``(check_in, recorded)``. A request for help is never turned away: when the
    member already answered for the period, that answer becomes "we need help"
    (the contact it reported stays in the partnership's ``last_contact_at``),
    and the ``MANAGERS`` are told. ``recorded`` is False when they had asked
    for help already: nothing changes and nobody is told again.
    """
    check_in, created = record_check_in(
        partnership, participant, period, CheckInAnswer.NEED_HELP, now
    )
    if created:
        return check_in, True
    with transaction.atomic():
        # One update: two requests at the same moment turn the answer once.
        changed = (
            CheckIn.objects.filter(pk=check_in.pk)
            .exclude(answer=CheckInAnswer.NEED_HELP)
            .update(answer=CheckInAnswer.NEED_HELP, created_at=now or timezone.now())
        )
        if changed:
            enqueue_after_commit(notify_need_help, check_in.pk)
    check_in.refresh_from_db()
    return check_in, bool(changed)


# Overdue and needing help


def needs_help_exists():
    """True for a partnership one of whose members' latest answer is "we need help"."""
    later = CheckIn.objects.filter(
        partnership=OuterRef("partnership"),
        participant=OuterRef("participant"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return Exists(
        CheckIn.objects.filter(partnership=OuterRef("pk"), answer=CheckInAnswer.NEED_HELP).exclude(
            Exists(later)
        )
    )


def with_health(queryset):
    """Annotate ``contact_since`` (last contact, else start) and ``needs_help``."""
    return queryset.annotate(
        contact_since=Coalesce("last_contact_at", Cast("started_on", output_field=DateTimeField())),
        needs_help=needs_help_exists(),
    )


# Sending check-ins and reminders


def claim(partnership, kind, period, now=None):
    """Claim e-mail ``kind`` of ``period`` for ``partnership``: True for the first caller only."""
    try:
        with transaction.atomic():
            PartnershipEmail.objects.create(
                partnership=partnership, kind=kind, period=period, sent_at=now or timezone.now()
            )
    except IntegrityError:
        return False
    return True


def reachable_members(partnership):
    """The members' participants the programme may e-mail (uses the prefetched members)."""
    people = [member.enrolment.participant for member in partnership.members.all()]
    return [person for person in people if person.may_be_emailed]


def queue_emails(partnership, kind, period):
    """Queue ``kind`` to each reachable member after commit; returns how many."""
    people = reachable_members(partnership)
    for person in people:
        enqueue_after_commit(send_health_email, partnership.pk, person.pk, kind, period)
    return len(people)


def send_once(partnership, kind, period, now=None):
    """Claim and queue ``kind`` of ``period``: how many e-mails were queued, None if sent before."""
    with transaction.atomic():
        if not claim(partnership, kind, period, now):
            return None
        return queue_emails(partnership, kind, period)


def send_reminder(partnership, now=None):
    """An editor's reminder to an overdue partnership, once per period.

    Returns the number of e-mails queued; None when this period's reminder was
    sent before; raises ``ValueError`` when the partnership is not overdue.
    """
    now = now or timezone.now()
    if not is_overdue(partnership, now):
        raise ValueError("The partnership is not overdue.")
    period = period_on(partnership.started_on, timezone.localtime(now).date())
    return send_once(partnership, PartnershipEmailKind.REMINDER, period, now)


def _claimed(partnerships, kind):
    return set(
        PartnershipEmail.objects.filter(partnership__in=partnerships, kind=kind).values_list(
            "partnership_id", "period"
        )
    )


def due_check_ins(today):
    """``(partnership, period)`` whose check-in of the current period has not been sent."""
    first_due = today - datetime.timedelta(days=interval_days())
    partnerships = list(
        with_members(running_partnerships(today).filter(started_on__lte=first_due)).order_by("pk")
    )
    claimed = _claimed([p.pk for p in partnerships], PartnershipEmailKind.CHECK_IN)
    due = []
    for partnership in partnerships:
        period = period_on(partnership.started_on, today)
        if (partnership.pk, period) not in claimed:
            due.append((partnership, period))
    return due


def due_reminders(now):
    """``(partnership, period)`` overdue, half-way through a period, not yet reminded in it."""
    today = timezone.localtime(now).date()
    partnerships = list(
        with_members(
            running_partnerships(today).filter(overdue_q(now), started_on__lte=today)
        ).order_by("pk")
    )
    claimed = _claimed([p.pk for p in partnerships], PartnershipEmailKind.REMINDER)
    due = []
    for partnership in partnerships:
        if day_in_period(partnership.started_on, today) < interval_days() // 2:
            continue
        period = period_on(partnership.started_on, today)
        if (partnership.pk, period) not in claimed:
            due.append((partnership, period))
    return due


# Ending partnerships


def finished_rounds(today):
    """Rounds whose ``ends_on`` has passed and that still have active partnerships."""
    return Round.objects.filter(
        Exists(Partnership.objects.filter(round=OuterRef("pk"), status=PartnershipStatus.ACTIVE)),
        ends_on__lt=today,
    )


def end_finished_partnerships(today=None, dry_run=False):
    """End the active partnerships of rounds that have ended, on the round's end date."""
    today = today or timezone.localdate()
    count = 0
    for round in finished_rounds(today).order_by("pk"):
        partnerships = Partnership.objects.filter(round=round, status=PartnershipStatus.ACTIVE)
        if dry_run:
            count += partnerships.count()
        else:
            count += partnerships.update(status=PartnershipStatus.ENDED, ended_on=round.ends_on)
    return count


# The scheduled run


@dataclass
class HealthReport:
    ended: int = 0
    check_ins: int = 0
    reminders: int = 0
    emails: int = 0


def run(now=None, dry_run=False):
    """End finished partnerships, then send due check-ins and reminders. Idempotent.

    Running it again the same day sends nothing twice. ``dry_run`` counts what
    would be done (e-mails to the members who may be e-mailed) and changes nothing.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    report = HealthReport(ended=end_finished_partnerships(today, dry_run=dry_run))
    for kind, due in (
        (PartnershipEmailKind.CHECK_IN, due_check_ins(today)),
        (PartnershipEmailKind.REMINDER, due_reminders(now)),
    ):
        for partnership, period in due:
            if dry_run:
                sent = len(reachable_members(partnership))
            else:
                sent = send_once(partnership, kind, period, now)
                if sent is None:
                    continue  # claimed by a run at the same moment
            if kind == PartnershipEmailKind.CHECK_IN:
                report.check_ins += 1
            else:
                report.reminders += 1
            report.emails += sent
    return report


@task()
def partnership_health():
    """``run()`` for sites with a task worker; schedule it daily."""
    return asdict(run())
