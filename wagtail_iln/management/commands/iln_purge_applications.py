from ...applications.confirm import expired_applications
from ..command import DryRunCommand


class Command(DryRunCommand):
    help = (
        "Delete applications to a round whose confirmation link has expired "
        "(WAGTAIL_ILN['APPLICATION_CONFIRM_DAYS']): those never confirmed, with the "
        "profile they hold, and the bare records of confirmed ones. Safe to run at any time."
    )
    dry_run_help = "Count what would be deleted; delete nothing."

    def handle(self, dry_run, **options):
        applications = expired_applications()
        pending = applications.filter(confirmed_at__isnull=True).count()
        confirmed = applications.filter(confirmed_at__isnull=False).count()
        if not dry_run:
            applications.delete()
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{pending} unconfirmed and {confirmed} confirmed application(s) {verb}.")
