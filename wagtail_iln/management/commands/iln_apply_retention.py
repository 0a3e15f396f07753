from ...conf import get_setting
from ...privacy.data_rights import forget_expired_links
from ...privacy.retention import anonymise_expired_participants
from ..command import DryRunCommand


class Command(DryRunCommand):
    help = (
        "Anonymise participants whose last round ended more than "
        "WAGTAIL_ILN['PARTICIPANT_RETENTION_DAYS'] days ago, and forget the addresses "
        "of expired personal-data links. Safe to run again."
    )
    dry_run_help = "Count the participants, change nothing."

    def handle(self, *args, dry_run=False, **options):
        if not dry_run and (forgotten := forget_expired_links()):
            self.stdout.write(f"{forgotten} expired personal data link(s) forgotten.")
        days = get_setting("PARTICIPANT_RETENTION_DAYS")
        if days is None:
            self.stdout.write("Retention is off (PARTICIPANT_RETENTION_DAYS is None).")
            return
        count = anonymise_expired_participants(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} participant(s) would be anonymised.")
        else:
            self.stdout.write(f"{count} participant(s) anonymised.")
