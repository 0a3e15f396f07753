"""E-mail backends that fail the way real mail servers do, for the fault tests.

``RefusingMailServer`` keeps what it accepts in ``django.core.mail.outbox``
(one process). ``FolderMailServer`` writes each accepted message as a file in
``settings.EMAIL_FILE_PATH``, so a test can read what a worker process sent,
and keeps its counts there too, so they survive the worker being restarted.
"""

import json
import smtplib
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingMailServer(LocmemBackend):
    """Refuses the first ``refusals`` messages, then delivers to ``mail.outbox``."""

    refusals = 0

    def send_messages(self, messages):
        cls = type(self)
        if cls.refusals > 0:
            cls.refusals -= 1
            if cls.refusals % 2:
                raise ConnectionRefusedError(111, "Connection refused")
            raise smtplib.SMTPServerDisconnected("the mail server closed the connection")
        return super().send_messages(messages)


class FolderMailServer(BaseEmailBackend):
    """Delivers each message as ``sent-<uuid>.json`` in ``EMAIL_FILE_PATH``.

    Files the test puts in that folder steer it:

    - ``refuse``: holds a number; that many sends are refused, counting down.
    - ``hold-after``: holds a number n; after delivering the n-th message it writes
      ``holding`` and waits until ``release`` exists: the worker is caught mid-task.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(settings.EMAIL_FILE_PATH)

    def _number(self, name):
        path = self.folder / name
        return int(path.read_text()) if path.exists() else None

    def send_messages(self, messages):
        refusals = self._number("refuse")
        if refusals:
            (self.folder / "refuse").write_text(str(refusals - 1))
            raise smtplib.SMTPServerDisconnected("the mail server closed the connection")
        for message in messages:
            record = {"to": message.to, "subject": message.subject, "body": message.body}
            (self.folder / f"sent-{uuid.uuid4().hex}.json").write_text(json.dumps(record))
        hold_after = self._number("hold-after")
        if hold_after is not None and len(sent(self.folder)) == hold_after:
            (self.folder / "holding").touch()
            while not (self.folder / "release").exists():
                time.sleep(0.05)
        return len(messages)


def sent(folder):
    """The messages a ``FolderMailServer`` delivered in ``folder``, as dicts."""
    return [json.loads(path.read_text()) for path in sorted(Path(folder).glob("sent-*.json"))]
