"""Render the live discussion topics for the fragment cache, before their readers come."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import fragments
from ...topics.publishing import live_topic_ids
from ...warming import warm_pages


class Command(BaseCommand):
    help = (
        "Render every live, public discussion topic as an anonymous reader would, so its "
        "next readers find its parts in the fragment cache: after a deploy or a cache flush."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Only the topics first published in the last DAYS days.",
        )

    def handle(self, *args, days=None, **options):
        if not fragments.enabled():
            self.stdout.write("The fragment cache is off (FRAGMENT_CACHE_TIMEOUT): nothing to do.")
            return
        since = None if days is None else timezone.now() - datetime.timedelta(days=days)
        ids = live_topic_ids(since)
        rendered = warm_pages.call(ids) if ids else 0
        self.stdout.write(f"{rendered} of {len(ids)} topic page(s) rendered for the cache.")
