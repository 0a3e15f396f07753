"""Importing a CSV file of participants in the task worker, with its progress in the admin."""

import logging

from django.db import transaction
from django_tasks import task

from .choices import MatchingRunStatus, RoundJobKind
from .importing import ParticipantImporter

logger = logging.getLogger(__name__)


def job_model():
    from ..matching.models import MatchingRun

    return MatchingRun


def start_import(round, data, user=None):
    """Queue the import of ``data`` (a previewed file) into ``round``; the job."""
    with transaction.atomic():
        job = job_model().objects.create(
            round=round, kind=RoundJobKind.IMPORT, requested_by=user, payload=bytes(data)
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


@task()
def run_import(job_id):
    """Import the file of the queued import ``job_id``; once only. The file is then dropped."""
    job = job_model().claim(job_id, RoundJobKind.IMPORT)
    if job is None:
        return
    try:
        report = ParticipantImporter(job.round).run(
            bytes(job.payload), progress=job.progress_writer()
        )
    except Exception as error:
        logger.exception("Import %s failed", job_id)
        job.fail(repr(error), payload=b"")
        return
    figures = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "enrolled": report.enrolled,
        "errors": len(report.errors),
    }
    job.finish(
        status=MatchingRunStatus.FINISHED if report.imported else MatchingRunStatus.FAILED,
        figures=figures,
        error="" if report.imported else "; ".join(str(e) for e in report.errors[:20]),
        payload=b"",
    )
