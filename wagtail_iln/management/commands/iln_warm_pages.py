"""Render the live discussion topics for the fragment cache, before their readers come."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import fragments
from ...topics.models import DiscussionTopicPage
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
        topics = DiscussionTopicPage.objects.live().public()
        if days is not None:
            since = timezone.now() - datetime.timedelta(days=days)
            topics = topics.filter(first_published_at__gte=since)
        ids = list(topics.order_by("-first_published_at").values_list("pk", flat=True))
        rendered = warm_pages.call(ids) if ids else 0
        self.stdout.write(f"{rendered} of {len(ids)} topic page(s) rendered for the cache.")
