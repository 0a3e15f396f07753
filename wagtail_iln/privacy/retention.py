"""Forgetting people some time after their last round: ``PARTICIPANT_RETENTION_DAYS``.

Each holder registered in ``registry`` with ``expired`` names the addresses
whose data has outlived the site's retention; everything held about them is
erased (``data_rights.erase_data``).
"""

from django.utils import timezone
from django_tasks import task

from .data_rights import RETENTION, erase_data, forget_expired_links
from .registry import holders


def expired_addresses(today=None):
    """The addresses the holders report as kept longer than the site's retention."""
    today = today or timezone.localdate()
    found = {}
    for holder in holders():
        if holder.expired is not None:
            for email in holder.expired(today):
                found.setdefault(email.strip().lower(), email)
    return list(found.values())


def anonymise_expired_participants(today=None, dry_run=False):
    """Erase what is held about the expired addresses; returns how many. Idempotent."""
    addresses = expired_addresses(today)
    if not dry_run:
        for email in addresses:
            erase_data(email, by=RETENTION)
    return len(addresses)


@task()
def apply_retention():
    """``anonymise_expired_participants`` for sites with a task worker; schedule it daily.

    Also forgets the addresses of expired personal-data links.
    """
    forget_expired_links()
    return anonymise_expired_participants()
