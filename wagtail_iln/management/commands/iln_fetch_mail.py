from django.core.management.base import BaseCommand, CommandError

from ...mailin.imap import fetch_mail, imap_settings


class Command(BaseCommand):
    help = (
        "Read the photo campaigns' mailbox (WAGTAIL_ILN['MAIL_IMAP']): every new e-mail's "
        "photos go through the photo intake and wait, pending, for their sender's "
        "confirmation. Each e-mail is handled once; safe to run again, and from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Read at most this many e-mails.")

    def handle(self, *args, limit=None, **options):
        try:
            imap_settings()
        except Exception as error:
            raise CommandError(str(error)) from error
        result = fetch_mail(limit=limit)
        self.stdout.write(f"{result.handled} e-mail(s) handled.")
