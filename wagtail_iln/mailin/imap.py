"""Reading the campaign mailbox over IMAP: each new message handled, then flagged or moved.

:func:`fetch_mail` connects with ``WAGTAIL_ILN["MAIL_IMAP"]`` (IMAPS, or
STARTTLS before logging in), reads the messages not yet flagged ``\\Seen`` in
``FOLDER`` and hands each to :func:`handling.handle_message`. A message is
marked handled (``\\Seen``, or moved to ``PROCESSED_FOLDER``) only once its
record has been committed; a message handled before but not marked, because
the process stopped in between, is recognised by its Message-ID and only marked.
Messages over ``MAIL_MAX_BYTES`` are not downloaded: their header is enough to
answer that they are too big.
"""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from ..conf import DEFAULTS, get_setting
from . import handling

logger = logging.getLogger(__name__)

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def imap_settings():
    config = {**DEFAULTS["MAIL_IMAP"], **get_setting("MAIL_IMAP")}
    if not config["HOST"]:
        raise ImproperlyConfigured('WAGTAIL_ILN["MAIL_IMAP"]["HOST"] is not set.')
    if config["SECURITY"] not in ("ssl", "starttls", "none"):
        raise ImproperlyConfigured(
            'WAGTAIL_ILN["MAIL_IMAP"]["SECURITY"] must be "ssl", "starttls" or "none".'
        )
    return config


@dataclass
class FetchResult:
    handled: int = 0
    marked: int = 0


class Mailbox:
    """One connection to the configured folder."""

    def __init__(self, config):
        self.config = config
        self.connection = None

    def __enter__(self):
        config = self.config
        context = ssl.create_default_context(cafile=config["CA_FILE"])
        security, timeout = config["SECURITY"], config["TIMEOUT"]
        if security == "ssl":
            connection = imaplib.IMAP4_SSL(
                config["HOST"], config["PORT"] or 993, ssl_context=context, timeout=timeout
            )
        else:
            connection = imaplib.IMAP4(config["HOST"], config["PORT"] or 143, timeout=timeout)
            if security == "starttls":
                connection.starttls(ssl_context=context)
        self.connection = connection
        connection.login(config["USER"], config["PASSWORD"])
        self._ok(connection.select(_quote(config["FOLDER"])))
        return self

    def __exit__(self, *exc_info):
        try:
            self.connection.logout()
        except Exception:
            logger.debug("The IMAP connection did not close cleanly", exc_info=True)

    def _ok(self, answer):
        status, data = answer
        if status != "OK":
            raise imaplib.IMAP4.error(f"IMAP answered {status}: {data!r}")
        return data

    def unseen(self):
        """The UIDs of the messages not yet handled, oldest first."""
        data = self._ok(self.connection.uid("SEARCH", None, "UNSEEN"))
        return [int(uid) for uid in b" ".join(data).split()]

    def size(self, uid):
        data = self._ok(self.connection.uid("FETCH", str(uid), "(RFC822.SIZE)"))
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            match = _SIZE.search(line or b"")
            if match:
                return int(match.group(1))
        return None

    def fetch(self, uid, part="BODY.PEEK[]"):
        """The message's bytes (PEEK: reading it does not flag it \\Seen)."""
        data = self._ok(self.connection.uid("FETCH", str(uid), f"({part})"))
        for item in data:
            if isinstance(item, tuple):
                return item[1]
        return None

    def mark_handled(self, uid):
        processed = self.config["PROCESSED_FOLDER"]
        if not processed:
            self._ok(self.connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"))
            return
        self._ok(self.connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"))
        if b"MOVE" in b" ".join(self._ok(self.connection.capability())):
            self._ok(self.connection.uid("MOVE", str(uid), _quote(processed)))
        else:
            self._ok(self.connection.uid("COPY", str(uid), _quote(processed)))
            self._ok(self.connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"))
            self._ok(self.connection.expunge())

    def ensure_folder(self, name):
        if name:
            self.connection.create(_quote(name))  # answers NO when it exists: fine


def _quote(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch_mail(limit=None):
    """Handle every new message of the mailbox (at most ``limit``, else
    ``MAIL_FETCH_BATCH``); return how many were handled and marked."""
    config = imap_settings()
    limit = limit or get_setting("MAIL_FETCH_BATCH")
    max_bytes = get_setting("MAIL_MAX_BYTES")
    result = FetchResult()
    with Mailbox(config) as mailbox:
        mailbox.ensure_folder(config["PROCESSED_FOLDER"])
        for uid in mailbox.unseen()[:limit]:
            size = mailbox.size(uid)
            if size is not None and size > max_bytes:
                raw = mailbox.fetch(uid, "BODY.PEEK[HEADER]")
            else:
                raw = mailbox.fetch(uid)
            if raw is None:  # expunged by someone else meanwhile
                continue
            if not handle(raw, size):
                continue
            result.handled += 1
            mailbox.mark_handled(uid)
            result.marked += 1
    return result


def handle(raw, size):
    """Handle one fetched message; whatever it holds, the mailbox goes on to the next.

    Returns whether it was handled. An unreadable message is handled (recorded as
    such); a fault of ours or of the database is logged and the message stays unseen,
    to be tried again by the next fetch.
    """
    try:
        handling.handle_message(raw, size=size)
    except Exception:
        logger.exception("An e-mail could not be handled; it stays in the mailbox")
        return False
    return True


@task()
def fetch_mail_task():
    """The periodic task: run it from the worker's scheduler (see docs/photos-by-email.md)."""
    result = fetch_mail()
    return {"handled": result.handled, "marked": result.marked}
