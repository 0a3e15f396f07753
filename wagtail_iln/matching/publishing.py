"""Publishing a round's proposal: the partnerships become active and the partners are introduced.

The admin queues the work (:func:`start_publishing`) and shows its progress;
the task worker runs :func:`run_publishing`, which calls :func:`publish`.
With the immediate task backend it all happens once the request's work commits.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext
from django_tasks import task

from ..health.models import PartnershipEmail
from ..mail import enqueue_after_commit
from ..programme.choices import (
    EnrolmentStatus,
    PartnershipEmailKind,
    PartnershipStatus,
    RoundJobKind,
    RoundStatus,
)
from ..programme.models import Enrolment, Participant, Partnership, PartnershipMember, Round
from . import history
from .emails import send_introduction
from .models import MatchingRun
from .runs import running_run

logger = logging.getLogger(__name__)


def _lock(round):
    list(Round.objects.select_for_update().filter(translation_key=round.translation_key))


def proposed(round):
    return Partnership.objects.filter(
        round__translation_key=round.translation_key, status=PartnershipStatus.PROPOSED
    )


def publishing_figures(round):
    """What publishing ``round`` now would do, for the coordinator to confirm.

    ``partnerships`` proposed, ``people`` in them, ``emailed``: those of them
    who will be introduced by e-mail (not yet introduced, and they may be
    e-mailed, as :func:`~wagtail_iln.matching.emails.send_introduction` checks),
    and ``proposal``: a key of the proposal the figures are about, which changes
    when a partnership is proposed or dropped.
    """
    ids = sorted(proposed(round).values_list("pk", flat=True))
    members = PartnershipMember.objects.filter(partnership_id__in=ids)
    introduced = PartnershipEmail.objects.filter(
        partnership_id__in=ids, kind=PartnershipEmailKind.INTRODUCTION
    ).values("partnership_id")
    emailed = members.exclude(partnership_id__in=introduced).filter(
        enrolment__participant__in=Participant.objects.reachable()
    )
    return {
        "partnerships": len(ids),
        "people": members.count(),
        "emailed": emailed.count(),
        "proposal": hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16],
    }


def what_publishing_closes(round):
    """What publishing ``round`` now would stop, for the coordinator to confirm, or None.

    A published round runs: it takes no more applications, and the ones still
    waiting for a decision are left out. ``{"open_until": datetime or None,
    "waiting": count}`` when its applications are still open or some wait.
    """
    still_open = round.current_status == RoundStatus.APPLICATIONS_OPEN
    waiting = Enrolment.objects.filter(
        round__translation_key=round.translation_key, status=EnrolmentStatus.APPLIED
    ).count()
    if not still_open and not waiting:
        return None
    return {"open_until": round.applications_close_at if still_open else None, "waiting": waiting}


def publish(round, job=None, progress=None):
    """Make every proposed partnership of ``round`` active and introduce the partners.

    Each partnership's introduction is claimed once (:class:`PartnershipEmail`);
    then one e-mail task per member is queued, ``progress(fraction)`` told as
    they go. The round becomes *running*. Returns how many partnerships were
    published; publishing again publishes and sends nothing. ``job`` is the
    :class:`MatchingRun` doing it, if any: the one run allowed to be under way.
    """
    with transaction.atomic():
        _lock(round)
        under_way = running_run(round)
        if under_way is not None and (job is None or under_way.pk != job.pk):
            raise ValidationError(
                gettext("The matching is still running; publish once it has finished.")
            )
        ids = list(proposed(round).select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        round.move_to(RoundStatus.RUNNING)
        Partnership.objects.filter(pk__in=ids).update(
            status=PartnershipStatus.ACTIVE, started_on=Partnership.start_date(round)
        )
        claimed = set(
            PartnershipEmail.objects.filter(
                partnership_id__in=ids, kind=PartnershipEmailKind.INTRODUCTION
            ).values_list("partnership_id", flat=True)
        )
        new = [pk for pk in ids if pk not in claimed]
        PartnershipEmail.objects.bulk_create(
            [
                PartnershipEmail(partnership_id=pk, kind=PartnershipEmailKind.INTRODUCTION)
                for pk in new
            ]
        )
        members = list(
            PartnershipMember.objects.filter(partnership_id__in=new)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        history.published(round, len(ids), user=job.requested_by if job is not None else None)
    # Committed: each introduction is queued now (sent now, by the immediate backend).
    for number, member_id in enumerate(members, start=1):
        enqueue_after_commit(send_introduction, member_id)
        if progress is not None:
            progress(number / len(members))
    return len(ids)


def start_publishing(round, user=None):
    """Queue the publishing of ``round``'s proposal (after commit).

    Returns the :class:`MatchingRun` of kind *publish*, or ``None`` when a
    matching or a publishing of the round is under way; raises
    ``ValidationError`` when nothing is proposed.
    """
    with transaction.atomic():
        _lock(round)
        if running_run(round) is not None:
            return None
        if not proposed(round).exists():
            raise ValidationError(gettext("There is no proposed partnership to publish."))
        job = MatchingRun.objects.create(round=round, kind=RoundJobKind.PUBLISH, requested_by=user)
        transaction.on_commit(lambda: run_publishing.enqueue(job.pk))
    return job


@task()
def run_publishing(job_id):
    """Publish the round of the queued :class:`MatchingRun` ``job_id``; once only."""
    job = MatchingRun.claim(job_id, RoundJobKind.PUBLISH)
    if job is None:
        return
    try:
        count = publish(job.round, job=job, progress=job.progress_writer())
    except Exception as error:
        logger.exception("Publishing %s failed", job_id)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else repr(error)
        job.fail(message)
        return
    job.finish(figures={"published": count})


def publish_message(count, started=False):
    """What the editor reads once ``count`` partnerships are published, or ``started`` to be."""
    if started:
        return ngettext(
            "Publishing %(count)s partnership has started; its members will be "
            "introduced by e-mail.",
            "Publishing %(count)s partnerships has started; their members will be "
            "introduced by e-mail.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)s partnership is now active; its members are being introduced by e-mail.",
        "%(count)s partnerships are now active; their members are being introduced by e-mail.",
        count,
    ) % {"count": count}


def unmatched_message(count):
    """What the editor reads after publishing when ``count`` accepted people have no partner."""
    return ngettext(
        "%(count)s accepted participant has no partner yet.",
        "%(count)s accepted participants have no partner yet.",
        count,
    ) % {"count": count}
