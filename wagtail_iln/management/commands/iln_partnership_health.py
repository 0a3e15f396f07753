from django.core.management.base import BaseCommand

from ...health.checkins import run


class Command(BaseCommand):
    help = (
        "End the partnerships of rounds that have ended, send the fortnightly check-in "
        "e-mails and remind overdue partnerships. Run it daily; running it again sends "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be done, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = run(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: what would be done; nothing was changed or sent.")
        self.stdout.write(f"Partnerships ended: {report.ended}")
        self.stdout.write(f"Partnerships sent a check-in: {report.check_ins}")
        self.stdout.write(f"Partnerships sent a reminder: {report.reminders}")
        self.stdout.write(f"E-mails queued: {report.emails}")
