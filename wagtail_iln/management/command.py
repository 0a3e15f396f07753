from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..programme.importing import ParticipantImporter
from ..programme.models import Round


class DryRunCommand(BaseCommand):
    """A command that can say what it would do: ``--dry-run``, described by ``dry_run_help``."""

    dry_run_help = "Report what would be done; change nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)


class ImportParticipantsCommand(DryRunCommand):
    help = "Import applicants from a CSV file into a round (see wagtail_iln.programme.importing)."
    dry_run_help = "Check the file and report; store nothing."
    importer_class = ParticipantImporter

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file, UTF-8.")
        parser.add_argument("--round", type=int, required=True, help="The id of the round.")
        super().add_arguments(parser)

    def handle(self, *args, file, round, dry_run, **options):
        try:
            round = Round.objects.get(pk=round)
        except Round.DoesNotExist:
            raise CommandError(_("There is no round with id %(id)s.") % {"id": round}) from None
        try:
            with open(file, "rb") as handle:
                data = handle.read(self.importer_class.max_bytes + 1)
        except OSError as error:
            raise CommandError(str(error)) from error

        report = self.importer_class(round).run(data, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        if report.ignored_columns:
            self.stderr.write(
                _("Columns ignored: %(columns)s.") % {"columns": ", ".join(report.ignored_columns)}
            )
        if not report.is_valid:
            raise CommandError(
                ngettext(
                    "%(counter)s problem: nothing was imported.",
                    "%(counter)s problems: nothing was imported.",
                    len(report.errors),
                )
                % {"counter": len(report.errors)}
            )
        summary = _(
            "%(created)s new, %(updated)s updated, %(unchanged)s unchanged participants; "
            "%(enrolled)s newly enrolled in %(round)s."
        ) % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "enrolled": report.enrolled,
            "round": round,
        }
        if dry_run:
            summary = _("Dry run, nothing stored: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
