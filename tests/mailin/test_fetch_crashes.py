"""The fetch stopped at every step of handling a message, then run again: nothing lost or doubled.

200 e-mails of 3 photos each wait in a real Dovecot mailbox. Each run of the
fetch is stopped (a ``BaseException``, as a killed process would stop) at one
step of one message: after fetching it, after the intake of a photo, after
storing a file, after saving a submission, after recording the Message-ID,
before flagging it handled. The fetch is run again until one run goes through.
Then every photo is pending exactly once, every sender had one reply, every
message is flagged, and no file is left in storage without its submission.
"""

import io
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from tests.mailin.messages import photo_email, small_jpeg
from wagtail_iln.mailin import handling, imap
from wagtail_iln.models import InboundMessage, MailedPhoto, PhotoSubmission

pytestmark = pytest.mark.slow

MESSAGES = 200
PHOTOS = 3


class Crash(BaseException):
    """The process stops here (not an Exception: nothing of the app may catch it)."""


# step -> (module, function, whether the crash comes after the call or before it,
#          how many calls one message makes)
STEPS = {
    "after fetch": (imap.Mailbox, "fetch", "after", 1),
    "after intake": (handling, "clean_photo", "after", PHOTOS),
    "after storing a file": (handling, "store_file", "after", PHOTOS),
    "after saving a submission": (handling, "save_submission", "after", PHOTOS),
    "after recording the Message-ID": (handling, "save_record", "after", 1),
    "before flagging": (imap.Mailbox, "mark_handled", "before", 1),
}


def crashing(owner, name, when, at_call):
    """Patch ``owner.name`` to stop the process at its ``at_call``-th call."""
    real = getattr(owner, name)
    calls = {"count": 0}

    def wrapper(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == at_call and when == "before":
            raise Crash(name)
        result = real(*args, **kwargs)
        if calls["count"] == at_call:
            raise Crash(name)
        return result

    return mock.patch.object(owner, name, wrapper)


def pending_files(media_root):
    private = Path(media_root).with_name(Path(media_root).name + "_private") / "wagtail_iln"
    return sorted(str(p.relative_to(private)) for p in private.rglob("*") if p.is_file())


def test_every_photo_is_pending_exactly_once_whatever_step_the_fetch_stopped_at(
    dovecot, mailbox, campaign, media_root, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_ILN = {**settings.WAGTAIL_ILN, "MAIL_FETCH_BATCH": MESSAGES}
    dovecot.deliver(
        mailbox,
        *(
            photo_email(
                *(small_jpeg(number * PHOTOS + k) for k in range(PHOTOS)),
                sender=f"sender{number}@example.org",
            )
            for number in range(MESSAGES)
        ),
    )

    crashes = []
    run = 0
    while True:
        step = list(STEPS)[run % len(STEPS)]
        owner, name, when, per_message = STEPS[step]
        # About ten messages get through before each stop; the last run is left alone.
        at_call = 10 * per_message + run % 3 if len(crashes) < 18 else None
        with ExitStack() as stack:
            if at_call:
                stack.enter_context(crashing(owner, name, when, at_call))
            stack.enter_context(django_capture_on_commit_callbacks(execute=True))
            try:
                call_command("iln_fetch_mail", stdout=io.StringIO())
            except Crash:
                crashes.append(step)
            else:
                if at_call is None or dovecot.count(mailbox, "UNSEEN") == 0:
                    break
        run += 1

    assert set(crashes) == set(STEPS), "the fetch stopped at every step"
    assert len(crashes) == 18
    assert dovecot.count(mailbox, "UNSEEN") == 0

    assert InboundMessage.objects.count() == MESSAGES
    assert PhotoSubmission.objects.filter(status="pending").count() == MESSAGES * PHOTOS
    assert MailedPhoto.objects.count() == MESSAGES * PHOTOS
    assert PhotoSubmission.objects.values("sha256").distinct().count() == MESSAGES * PHOTOS
    for message in InboundMessage.objects.all():
        assert message.photos.count() == PHOTOS
        assert message.replied_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"sender{number}@example.org" for number in range(MESSAGES)
    )
    # Every stored file has its submission, and every submission its file.
    assert pending_files(media_root) == sorted(
        PhotoSubmission.objects.values_list("file", flat=True)
    )
