"""Check-in answers for the demo's ended round, so its stats say who kept in touch.

Each partnership of the round answers the fortnightly check-ins in its own
repeatable way: most keep in touch to the end, one drifts off half-way, one
never manages and asks for help. Running it again adds nothing.
"""

import datetime
import itertools

from django.db import transaction

from wagtail_iln.conf import get_setting
from wagtail_iln.models import CheckIn, Partnership, PartnershipEmail
from wagtail_iln.programme.choices import CheckInAnswer, PartnershipEmailKind, PartnershipStatus

# By partnership, in order of creation and round and round again: how it goes,
# and for a drifting one the last period it reported contact in.
STORIES = [
    ("steady", None),
    ("steady", None),
    ("steady", None),
    ("steady", None),
    ("drifting", 5),
    ("struggling", None),
]


def answer_for(story, period, drift_after):
    if story == "steady":
        return CheckInAnswer.NOT_YET if period % 4 == 3 else CheckInAnswer.IN_TOUCH
    if story == "drifting":
        return CheckInAnswer.IN_TOUCH if period <= drift_after else CheckInAnswer.NOT_YET
    return CheckInAnswer.NEED_HELP if period % 3 == 0 else CheckInAnswer.NOT_YET


@transaction.atomic
def add_check_ins(round):
    """Answer the check-ins of ``round``'s partnerships; returns how many answers were added."""
    partnerships = list(
        Partnership.objects.filter(
            round=round, status=PartnershipStatus.ENDED, started_on__isnull=False
        )
        .prefetch_related("members__enrolment__participant")
        .order_by("pk")
    )
    if CheckIn.objects.filter(partnership__in=partnerships).exists():
        return 0
    interval = get_setting("CHECKIN_INTERVAL_DAYS")
    check_ins, emails = [], []
    for partnership, (story, drift_after) in zip(partnerships, itertools.cycle(STORIES)):
        last_contact = None
        period = 1
        while True:
            opens = partnership.started_on + datetime.timedelta(days=period * interval)
            if opens > round.ends_on:
                break
            emails.append(
                PartnershipEmail(
                    partnership=partnership,
                    kind=PartnershipEmailKind.CHECK_IN,
                    period=period,
                    sent_at=datetime.datetime.combine(opens, datetime.time(7), datetime.UTC),
                )
            )
            answer = answer_for(story, period, drift_after)
            for number, member in enumerate(partnership.members.all()):
                answered = datetime.datetime.combine(
                    opens + datetime.timedelta(days=1 + number), datetime.time(10), datetime.UTC
                )
                check_ins.append(
                    CheckIn(
                        partnership=partnership,
                        participant=member.enrolment.participant,
                        period=period,
                        answer=answer,
                        created_at=answered,
                    )
                )
                if answer == CheckInAnswer.IN_TOUCH:
                    last_contact = answered
            period += 1
        partnership.last_contact_at = last_contact
        partnership.ended_on = round.ends_on
    CheckIn.objects.bulk_create(check_ins)
    PartnershipEmail.objects.bulk_create(emails)
    Partnership.objects.bulk_update(partnerships, ["last_contact_at", "ended_on"])
    return len(check_ins)
