"""Sending a topic to 20,000 participants, in batches, against Django's ``send_mass_mail``.

Run from the repository root::

    .venv/bin/python benchmarks/topic_mailing.py

Builds a round of 20,000 accepted participants (English, French and Spanish)
and a topic with a credited hero image in a fresh SQLite database in memory,
then sends the topic (``send_mailing``: batches of ``TOPIC_MAILING_BATCH``,
each claiming its recipients and sending their HTML and text messages with
their own signed unsubscribe link over one connection) to Django's locmem
backend, and the same number of messages with ``send_mass_mail`` to the same
backend in the same process, in batches of the same size; the in-memory mail
box is emptied after each batch in both. Three alternating rounds, medians:
the time per 1,000 messages of each and their ratio. Then, under tracemalloc,
the peak memory growth of the mailing after its first tenth and at its end:
batched, it stays flat. It reports; it always exits 0.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# A fresh database in memory, whatever DATABASE_URL says.
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

RECIPIENTS = 20_000
ROUNDS = 3
GOAL = 1.5
LANGUAGES = ["en", "fr", "es"]


def build(media_root):
    from django.conf import settings
    from django.utils import timezone
    from wagtail.models import Site

    from tests.factories import (
        DiscussionIndexPageFactory,
        DiscussionTopicPageFactory,
        ImageCreditFactory,
        RoundFactory,
    )
    from wagtail_iln.models import Enrolment, Participant

    settings.MEDIA_ROOT = media_root
    round = RoundFactory(name="Round 12")
    people = Participant.objects.bulk_create(
        Participant(
            name=f"Person {n}",
            email=f"person-{n}@example.org",
            country="AU",
            time_zone="Australia/Sydney",
            languages=["en"],
            language=LANGUAGES[n % len(LANGUAGES)],
            consent_given_at=timezone.now(),
        )
        for n in range(RECIPIENTS)
    )
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, round=round, status="accepted") for person in people
    )
    root = Site.objects.get(is_default_site=True).root_page
    index = DiscussionIndexPageFactory(parent=root, slug="discussion")
    return DiscussionTopicPageFactory(
        parent=index,
        title="Your workplace",
        round=round,
        hero_image=ImageCreditFactory().image,
        live=True,
    )


class Outbox:
    """Empties the in-memory mail box after each batch; counts what went through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        from django.core import mail

        self.count += len(mail.outbox)
        mail.outbox.clear()


def new_mailing(topic):
    from wagtail_iln.models import TopicDelivery, TopicMailing

    TopicDelivery.objects.all().delete()
    TopicMailing.objects.all().delete()
    return TopicMailing.objects.create(topic_key=topic.translation_key, topic=topic)


def time_mailing(topic):
    from wagtail_iln.mailings.sending import send_mailing

    mailing, outbox = new_mailing(topic), Outbox()
    started = time.perf_counter()
    sent = send_mailing(mailing, progress=outbox)
    elapsed = time.perf_counter() - started
    assert sent == outbox.count == RECIPIENTS, (sent, outbox.count)
    return elapsed


def time_send_mass_mail(topic):
    from django.conf import settings
    from django.core.mail import get_connection, send_mass_mail

    from wagtail_iln.conf import get_setting
    from wagtail_iln.mailings.sending import render_content

    content = render_content(topic, "en")
    addresses = [f"person-{n}@example.org" for n in range(RECIPIENTS)]
    size = get_setting("TOPIC_MAILING_BATCH")
    outbox, connection = Outbox(), get_connection()
    started = time.perf_counter()
    for start in range(0, RECIPIENTS, size):
        datatuple = [
            (content.subject, content.text, settings.DEFAULT_FROM_EMAIL, [address])
            for address in addresses[start : start + size]
        ]
        send_mass_mail(datatuple, connection=connection)
        outbox()
    elapsed = time.perf_counter() - started
    assert outbox.count == RECIPIENTS
    return elapsed


def memory(topic):
    """Peak growth of traced memory after the first tenth of the batches and at the end."""
    from wagtail_iln.mailings.sending import send_mailing

    mailing, outbox = new_mailing(topic), Outbox()
    peaks = []

    def progress(sent, total):
        outbox()
        peaks.append((sent, tracemalloc.get_traced_memory()[1]))

    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    send_mailing(mailing, progress=progress)
    tracemalloc.stop()
    tenth = next(peak for sent, peak in peaks if sent >= RECIPIENTS // 10)
    return (tenth - baseline), (peaks[-1][1] - baseline)


def main():
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the locmem mail backend
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as media_root:
        print(f"Building a round of {RECIPIENTS:,} participants ...", flush=True)
        topic = build(media_root)
        time_mailing(topic)  # warm up: renditions, templates, translations
        ours, baseline = [], []
        for _ in range(ROUNDS):
            ours.append(time_mailing(topic))
            baseline.append(time_send_mass_mail(topic))
        mine, theirs = statistics.median(ours), statistics.median(baseline)
        per = 1000 / RECIPIENTS
        print(f"topic mailing:   {mine * per * 1000:7.1f} ms per 1,000 messages (HTML and text)")
        print(f"send_mass_mail:  {theirs * per * 1000:7.1f} ms per 1,000 messages (text only)")
        ratio = mine / theirs
        print(f"ratio: {ratio:.2f}  goal <= {GOAL}: {'yes' if ratio <= GOAL else 'NO'}")
        tenth, end = memory(topic)
        print(
            f"peak memory growth: {tenth / 1024:,.0f} KiB after {RECIPIENTS // 10:,} messages, "
            f"{end / 1024:,.0f} KiB after {RECIPIENTS:,} (x{end / tenth:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
