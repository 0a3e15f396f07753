"""Sending a topic to its round's participants and its discussion's followers, in batches.

Publishing a topic (:func:`start_mailing`, from Wagtail's ``page_published``)
makes its :class:`TopicMailing` once and queues :func:`run_topic_mailing`
after commit; the task worker claims the mailing and sends it batch by batch
(``TOPIC_MAILING_BATCH``). Each batch claims its recipients (a
:class:`TopicDelivery` each, unique per mailing and participant or
follower) and sends their messages in one transaction: a batch the mail
server refuses is rolled back and sent again when the task is retried, and
no one gets a topic twice (only a worker killed between handing a batch to
the mail server and committing it would send that batch again).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Locale

from ..conf import get_setting
from ..credits.rendering import credit_html, credit_text, get_credit
from ..mail import MAIL_ERRORS, absolute_link, email_task, enqueue_after_commit
from ..programme.choices import EnrolmentStatus, MatchingRunStatus
from ..programme.models import Enrolment, Participant
from .bounces import deliverable, undeliverable
from .follow import followers_of, leave_token
from .messages import ADDRESS_MARK, Prototype, TopicMessage
from .models import Follower, TopicDelivery, TopicMailing

logger = logging.getLogger(__name__)

TEMPLATE = "wagtail_iln/mailings/emails/topic"
UNSUBSCRIBE_SALT = "wagtail_iln.mailings.unsubscribe"
# Stands for each recipient's own unsubscribe link in a message rendered once per language.
LINK_MARK = "ILN-UNSUBSCRIBE-LINK"
# Written in the topic's history when its mailing ends: ``data["sent"]`` messages.
EMAILED = "wagtail_iln.topic_emailed"
EMAIL_FAILED = "wagtail_iln.topic_email_failed"


class EmailedFormatter(LogFormatter):
    label = _("E-mail the topic")

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("sent", 0)
        return ngettext("E-mailed to %(count)s person", "E-mailed to %(count)s people", count) % {
            "count": formats.localize(count)
        }


class EmailFailedFormatter(LogFormatter):
    label = _("E-mail the topic")

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("sent", 0)
        return ngettext(
            "E-mailing stopped on an error after %(count)s message; the Topic e-mail page says why",
            "E-mailing stopped on an error after %(count)s messages; "
            "the Topic e-mail page says why",
            count,
        ) % {"count": formats.localize(count)}


def register_log_actions(actions):
    """The ``register_log_actions`` hook: a topic's mailing ending, sent or stopped."""
    actions.register_action(EMAILED)(EmailedFormatter)
    actions.register_action(EMAIL_FAILED)(EmailFailedFormatter)


def unsubscribe_token(participant_id):
    return signing.dumps(participant_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(root, token):
    return absolute_link(root, "wagtail_iln:topic_unsubscribe", token)


def round_participants(topic):
    """The participants of ``topic``'s round it would go to, undeliverable addresses included."""
    if topic.round_id is None:
        return Participant.objects.none()
    accepted = Enrolment.objects.filter(
        participant=OuterRef("pk"),
        round__translation_key=topic.round.translation_key,
        status=EnrolmentStatus.ACCEPTED,
    )
    return Participant.objects.reachable().filter(
        Exists(accepted), erased_at__isnull=True, topic_opt_out__isnull=True
    )


def recipients(topic):
    """The participants ``topic`` is e-mailed to: accepted in its round, reachable, not erased,
    not unsubscribed from topics, and at an address the mail reaches (``bounces``)."""
    return deliverable(round_participants(topic))


def undeliverable_count(topic):
    """How many of the topic's participants and followers are skipped: their address bounced."""
    count = undeliverable(round_participants(topic)).count()
    index = topic.get_index()
    if index is not None:
        count += undeliverable(followers_of(index)).count()
    return count


def site_root(page):
    """The absolute URL of the root of ``page``'s site, ending with a slash."""
    site = page.get_site()
    return (site.root_url if site else "").rstrip("/") + "/"


def topic_in(topic, language):
    """The live translation of ``topic`` in ``language``, else the original (the default
    language's), else ``topic``."""
    for code in (language, settings.LANGUAGE_CODE):
        locale = Locale.objects.filter(language_code=code).first()
        page = topic.get_translation_or_none(locale) if locale else None
        if page is not None and page.live:
            return page.specific
    return topic


def hero(page):
    """The hero image's absolute URL, alternative text and credit lines, or None."""
    image = page.hero_image
    if image is None:
        return None
    url = image.get_rendition(get_setting("HERO_IMAGE_FILTER")).url
    if not url.startswith(("http://", "https://")):
        url = site_root(page) + url.lstrip("/")
    credit = get_credit(image)
    return {
        "url": url,
        "alt": image.title,
        "credit_html": credit_html(credit) if credit else "",
        "credit_text": credit_text(credit) if credit else "",
    }


@dataclass
class Content:
    """A topic's e-mail in one language, the unsubscribe link left as ``LINK_MARK``."""

    language: str
    subject: str
    text: str
    html: str
    prototype: Prototype | None = None

    def message(self, to, unsubscribe_url, test=False):
        """The message to ``to``, with their own unsubscribe link (RFC 8058 headers)."""
        headers = {"Content-Language": self.language}
        if not test:
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = TopicMessage(
            self.subject,
            self.text.replace(LINK_MARK, unsubscribe_url),
            to=[to],
            headers=headers,
            unsubscribe_url=unsubscribe_url,
            prototype=None if test else self.prototype,
        )
        message.attach_alternative(self.html.replace(LINK_MARK, unsubscribe_url), "text/html")
        return message

    def prepare(self):
        """Encode the message once (see ``messages.Prototype``), for many recipients."""
        self.prototype = Prototype.make(self.message(ADDRESS_MARK, LINK_MARK), LINK_MARK)
        return self


def render_content(topic, language):
    """The e-mail of ``topic`` in ``language``: its translation there, else the original."""
    with translation.override(language):
        page = topic_in(topic, language)
        context = {
            "topic": page,
            "topic_url": page.get_full_url() or "",
            "hero": hero(page),
            "unsubscribe_url": LINK_MARK,
        }
        subject = render_to_string(f"{TEMPLATE}_subject.txt", context)
        text = render_to_string(f"{TEMPLATE}_body.txt", context)
        html = render_to_string(f"{TEMPLATE}_body.html", context)
    return Content(language, " ".join(subject.split()), text, html)


def email_language(code, codes):
    """As ``Participant.email_language``, for a row read without its model."""
    return code if code in codes else settings.LANGUAGE_CODE


def pending_followers(topic, mailing):
    """The confirmed followers of ``topic``'s discussion who have not had it yet, at an
    address the mail reaches.

    A follower who gets the topic as a participant of its round is left out:
    one message per address.
    """
    index = topic.get_index()
    if index is None:
        return Follower.objects.none()
    delivered = TopicDelivery.objects.filter(mailing=mailing, follower=OuterRef("pk"))
    as_participant = recipients(topic).filter(email__iexact=OuterRef("email"))
    return deliverable(
        followers_of(index).exclude(Exists(delivered)).exclude(Exists(as_participant))
    )


def send_mailing(mailing, progress=None, connection=None):
    """Send ``mailing``'s topic to every recipient who has not had it yet, batch by batch:
    the participants of its round, then the followers of its discussion.

    ``progress(sent, total)`` is told after each batch. Returns how many were sent.
    """
    topic = mailing.topic
    delivered = TopicDelivery.objects.filter(mailing=mailing, participant=OuterRef("pk"))
    participants = recipients(topic).exclude(Exists(delivered))
    followers = pending_followers(topic, mailing)
    sender = _Sender(mailing, connection or get_connection(), progress)
    sender.total = mailing.sent + participants.count() + followers.count()
    mailing.set(total=sender.total)
    sender.send(participants, "participant", "wagtail_iln:topic_unsubscribe", unsubscribe_token)
    sender.send(followers, "follower", "wagtail_iln:follow_leave", leave_token)
    return sender.sent


class _Sender:
    """Sends a mailing in batches, counting as it goes; one language's content rendered once."""

    def __init__(self, mailing, connection, progress):
        self.mailing, self.connection, self.progress = mailing, connection, progress
        self.topic = mailing.topic
        self.root = site_root(self.topic)
        self.codes = {code for code, _name in settings.LANGUAGES}
        self.contents = {}
        self.sent = mailing.sent
        self.total = 0
        self.database = router.db_for_write(TopicDelivery)

    def content(self, language):
        language = email_language(language, self.codes)
        if language not in self.contents:
            self.contents[language] = render_content(self.topic, language).prepare()
        return self.contents[language]

    def claim(self, field, pks):
        """Write the batch's ``TopicDelivery`` rows in one statement.

        Not ``bulk_create``: making and compiling 200 model instances took a
        quarter of the time of a batch, more than the rest of the database work.
        """
        connection = connections[self.database]
        quote, meta = connection.ops.quote_name, TopicDelivery._meta
        columns = ", ".join(
            quote(meta.get_field(name).column) for name in ("mailing", field, "sent_at")
        )
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s)"
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(self.mailing.pk, pk, now) for pk in pks])

    def send(self, pending, field, link_name, make_token):
        size = get_setting("TOPIC_MAILING_BATCH")
        head, tail = absolute_link(self.root, link_name, "_").rsplit("_", 1)
        last = 0
        while True:
            rows = pending.filter(pk__gt=last).order_by("pk")
            batch = list(rows.values_list("pk", "email", "language")[:size])
            if not batch:
                return
            last = batch[-1][0]
            messages = [
                self.content(language).message(email, head + make_token(pk) + tail)
                for pk, email, language in batch
            ]
            with transaction.atomic(using=self.database):
                self.claim(field, [row[0] for row in batch])
                self.connection.send_messages(messages)
                self.sent += len(batch)
                self.mailing.set(sent=self.sent)
            if self.progress is not None:
                self.progress(self.sent, self.total)


def start_mailing(topic):
    """Make ``topic``'s mailing and queue it after commit, the first time only.

    A topic of no round whose discussion has no follower is e-mailed to no one.
    A translation published while the topic has a version in the site's
    default language is not the topic going live: that version is. Returns the mailing, or None.
    """
    index = topic.get_index()
    if topic.round_id is None and (index is None or not followers_of(index).exists()):
        return None
    default = Locale.get_default()
    if topic.locale_id != default.pk and topic.get_translation_or_none(default) is not None:
        return None
    mailing, created = TopicMailing.objects.get_or_create(
        topic_key=topic.translation_key, defaults={"topic": topic}
    )
    if created:
        enqueue_after_commit(run_topic_mailing, mailing.pk)
    return mailing


@email_task
def run_topic_mailing(mailing_id):
    """Send the queued :class:`TopicMailing` ``mailing_id``; a mailing already running or
    done is left alone."""
    mailing = TopicMailing.claim(mailing_id)
    if mailing is None:
        return
    try:
        send_mailing(mailing)
    except MAIL_ERRORS as error:
        # Queued again, for the retry to claim; a backend that cannot retry has failed.
        retried = run_topic_mailing.get_backend().supports_defer
        status = MatchingRunStatus.QUEUED if retried else MatchingRunStatus.FAILED
        mailing.set(status=status, error=str(error))
        if not retried:
            log(mailing.topic, EMAIL_FAILED, data={"sent": mailing.sent})
        raise
    except Exception as error:
        logger.exception("Sending the topic mailing %s failed", mailing_id)
        mailing.set(status=MatchingRunStatus.FAILED, finished_at=timezone.now(), error=repr(error))
        log(mailing.topic, EMAIL_FAILED, data={"sent": mailing.sent})
        return
    mailing.set(status=MatchingRunStatus.FINISHED, finished_at=timezone.now(), error="")
    log(mailing.topic, EMAILED, data={"sent": mailing.sent})


@email_task
def send_test(page_id, user_id, language):
    """Send the topic ``page_id`` in ``language`` to the admin user ``user_id``, marked a test."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext

    from ..topics.models import DiscussionTopicPage

    topic = DiscussionTopicPage.objects.filter(pk=page_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if topic is None or user is None or not user.email:
        return
    content = render_content(topic, language)
    with translation.override(language):
        content.subject = gettext("[Test] %(subject)s") % {"subject": content.subject}
    root = site_root(topic)
    url = unsubscribe_link(root, "test")
    content.message(user.email, url, test=True).send()
