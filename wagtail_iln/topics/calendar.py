"""A round's topic calendar: a discussion topic every fortnight from its start to its end.

The plan is the round's topics themselves: each planned topic is a
:class:`DiscussionTopicPage` with ``round`` set, kept as a draft and scheduled
with Wagtail's go-live date (``manage.py publish_scheduled`` publishes it on
the day). Its discussion window follows the plan: it opens on the topic's day
and closes the day before the next topic's, or at the end of the round.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..conf import get_setting
from ..per_request import active_locale


def topic_model():
    # Looked up, not imported: the topic page's body holds the calendar block.
    return apps.get_model("wagtail_iln", "DiscussionTopicPage")


def fortnight():
    return datetime.timedelta(days=get_setting("CHECKIN_INTERVAL_DAYS"))


def proposed_dates(round):
    """A date every two weeks from the round's start, before its end."""
    dates, day = [], round.starts_on
    while day <= round.ends_on:
        dates.append(day)
        day += fortnight()
    return dates


def round_topics(round, locale=None):
    """The planned topics of ``round`` (any translation), in the plan's order.

    In ``locale`` when given: a topic's translation there, else the topic itself.
    """
    topics = list(
        topic_model()
        .objects.filter(round__translation_key=round.translation_key, alias_of__isnull=True)
        .order_by("discussion_opens", "pk")
    )
    originals = {}
    for topic in topics:
        originals.setdefault(topic.translation_key, topic)
    if locale is None:
        return [t for t in topics if originals[t.translation_key] is t]
    by_key = {}
    for topic in topics:
        if topic.locale_id == locale.pk or topic.translation_key not in by_key:
            by_key[topic.translation_key] = topic
    return sorted(by_key.values(), key=lambda t: (t.discussion_opens or datetime.date.max, t.pk))


def window(dates, index, round):
    """The discussion window of the ``index``-th planned date."""
    closes = dates[index + 1] - datetime.timedelta(days=1) if index + 1 < len(dates) else None
    return dates[index], closes or round.ends_on


def go_live_at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def schedule(topic, day, closes):
    """Set a topic's day and window; a draft is (re)scheduled to go live that day."""
    topic.discussion_opens, topic.discussion_closes = day, closes
    if topic.live:
        topic.save_revision().publish()
        return topic
    topic.go_live_at = go_live_at(day)
    revision = topic.save_revision()
    # Publishing a revision whose go-live date is to come schedules it: the page stays a draft.
    revision.publish()
    return topic


@dataclass
class PlannedTopic:
    day: datetime.date
    title: str
    topic: object = None  # its DiscussionTopicPage, once planned


def save_plan(round, index_page, rows):
    """Save the calendar: ``rows`` of ``PlannedTopic``, in order of their days.

    A row with a topic gets its day and window; a row with a title and no
    topic becomes a new draft topic under ``index_page``, scheduled for its
    day. Rows with neither are left out. Returns the topics, in order.
    """
    rows = sorted((row for row in rows if row.topic or row.title), key=lambda row: row.day)
    dates = [row.day for row in rows]
    topics = []
    with transaction.atomic():
        for number, row in enumerate(rows):
            opens, closes = window(dates, number, round)
            topic = row.topic
            if topic is None:
                topic = topic_model()(
                    title=row.title,
                    slug=f"{slugify(row.title)[:40] or 'topic'}-{opens:%Y-%m-%d}",
                    round=round,
                    live=False,
                )
                index_page.add_child(instance=topic)
            elif row.title and row.title != topic.title and not topic.live:
                topic.title = topic.draft_title = row.title
            topics.append(schedule(topic, opens, closes))
    return topics


def current_topic(round, today=None, locale=None):
    """The live topic of ``round`` whose discussion window holds ``today``: this fortnight's."""
    today = today or timezone.localdate()
    for topic in round_topics(round, locale):
        if (
            topic.live
            and topic.discussion_opens
            and topic.discussion_opens <= today <= (topic.discussion_closes or today)
        ):
            return topic
    return None


def calendar_context(round, today=None):
    """This fortnight's topic and the calendar of ``round``, in the active language."""
    from wagtail.models import Locale

    try:
        locale = active_locale()
    except Locale.DoesNotExist:
        locale = None
    round = round.localized
    return {
        "round": round,
        "current_topic": current_topic(round, today=today, locale=locale),
        "topics": round_topics(round, locale),
    }
