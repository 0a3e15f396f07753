from ...health.checkins import run
from ..command import DryRunCommand


class Command(DryRunCommand):
    help = (
        "End the partnerships of rounds that have ended, send the fortnightly check-in "
        "e-mails and remind overdue partnerships. Run it daily; running it again sends "
        "nothing twice."
    )
    dry_run_help = "Count what would be done, change nothing."

    def handle(self, *args, dry_run=False, **options):
        report = run(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: what would be done; nothing was changed or sent.")
        self.stdout.write(f"Partnerships ended: {report.ended}")
        self.stdout.write(f"Partnerships sent a check-in: {report.check_ins}")
        self.stdout.write(f"Partnerships sent a reminder: {report.reminders}")
        self.stdout.write(f"E-mails queued: {report.emails}")
