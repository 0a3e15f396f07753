from django.core.management.base import BaseCommand

from ...comments.moderation import erase_commenter


class Command(BaseCommand):
    help = "Remove the comments written from an e-mail address (or keep them without a name)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Keep the comments, without the name and the address.",
        )

    def handle(self, email, anonymise, **options):
        count = erase_commenter(email, anonymise=anonymise)
        action = "anonymised" if anonymise else "removed"
        self.stdout.write(f"{count} comment(s) {action}; subscriptions of the address deleted.")
