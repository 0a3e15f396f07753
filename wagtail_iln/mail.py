"""The app's e-mails: rendered in the recipient's language, sent by a task, retried on failure.

An e-mail is a task made with :func:`email_task`, queued once the transaction
commits with :func:`enqueue_after_commit`; the task looks its recipient up and
calls :func:`send`::

    from wagtail_iln.mail import email_task, enqueue_after_commit, send

    @email_task
    def send_checkin_email(member_id, links):
        member = PartnershipMember.objects.filter(pk=member_id).first()
        if member is None:  # erased since: there is no one to write to
            return
        send(
            "wagtail_iln/health/emails/checkin",  # checkin_subject.txt, checkin_body.txt
            {"member": member, **links},
            to=[member.participant.email],
            language=member.participant.language,
        )

    enqueue_after_commit(send_checkin_email, member.pk, {"checkin_url": url})

Rules for an e-mail task:

- Its arguments are stored in the database by a worker backend (and shown in
  its admin): pass ids and absolute URLs, never an e-mail address. Look the
  address up inside the task, and send nothing when the record has gone.
  Only when no record keeps the address (it was typed into a form, or only
  its hash is kept), pass it through :func:`seal` and :func:`unseal` it in
  the task; seal a link that opens someone's data too. A link never holds an
  address in the clear (:func:`hide` it).
- It sends one message (or one message to a list): when the mail server
  refuses or cannot be reached (any ``OSError``, which includes
  ``smtplib.SMTPException`` and ``ConnectionRefusedError``), the whole task is
  queued again with the same arguments, ``EMAIL_RETRY_DELAY`` seconds later,
  twice as long each time, up to ``EMAIL_RETRIES`` times; each failed attempt
  is logged and recorded as a failed task result. After the last attempt the
  failure stays in the task results.
- With a backend that cannot run a task later (the immediate one) a refused
  e-mail is logged and not retried; it never reaches the request that queued
  it, and nothing the request stored is undone.
"""

import base64
import datetime
import functools
import hashlib
import hmac
import logging
import secrets
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .conf import get_setting

logger = logging.getLogger(__name__)

# Mail-server refusals (smtplib.SMTPException) and network failures are all OSErrors.
MAIL_ERRORS = (OSError,)
# The keyword argument that carries the number of the attempt to a retried task.
ATTEMPT = "email_attempt"
SEAL_SALT = "wagtail_iln.mail.seal"


def render(template, context, language=None):
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language``.

    Returns ``(subject, body)``; the subject is one line, whatever the context holds.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body


def send(template, context, to, language=None, headers=None):
    """Render ``template`` in ``language`` and send it to the addresses in ``to``.

    Sends nothing when ``to`` is empty. Mail errors are raised, for
    :func:`email_task` to retry.
    """
    to = [address for address in to if address]
    if not to:
        return 0
    subject, body = render(template, context, language)
    return EmailMessage(subject, body, to=to, headers=headers or {}).send()


def retry_delay(attempt):
    """Seconds to wait before attempt number ``attempt + 1`` (the first attempt is 0)."""
    return get_setting("EMAIL_RETRY_DELAY") * 2**attempt


def email_task(function=None, **options):
    """Like django-tasks' ``@task``, for a task that sends e-mail: retried on mail errors.

    ``options`` are passed to ``@task`` (``priority``, ``queue_name``, ``backend``).
    """

    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 0)
            try:
                return function(*args, **kwargs)
            except MAIL_ERRORS as error:
                _retry(email, args, kwargs, attempt, error)
                raise

        email = task(**options)(run)
        return email

    return decorate(function) if function is not None else decorate


def _retry(email, args, kwargs, attempt, error):
    backend = email.get_backend()
    if not backend.supports_defer:
        logger.error("E-mail task %s failed and cannot be retried: %s", email.name, error)
        return
    if attempt >= get_setting("EMAIL_RETRIES"):
        logger.error("E-mail task %s failed %d times: %s", email.name, attempt + 1, error)
        return
    delay = retry_delay(attempt)
    logger.warning("E-mail task %s failed (%s); retrying in %d s", email.name, error, delay)
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    email.using(run_after=run_after).enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})


def enqueue_after_commit(email, *args, **kwargs):
    """Queue the task ``email`` once the current transaction commits (at once outside one).

    A failure to queue is logged and does not reach the request: what it stored stays stored.
    """
    transaction.on_commit(partial(email.enqueue, *args, **kwargs), robust=True)


def _keystream(nonce, length):
    key = hashlib.sha256(f"{SEAL_SALT}:{settings.SECRET_KEY}".encode()).digest()
    blocks = (
        hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        for counter in range(-(-length // 32))
    )
    return b"".join(blocks)[:length]


def hide(value):
    """``value`` (a string) encrypted with ``SECRET_KEY``, as URL-safe text.

    Not signed: sign the result (as :func:`seal` does) before anyone may send it back.
    """
    nonce = secrets.token_bytes(16)
    data = value.encode()
    hidden = bytes(a ^ b for a, b in zip(data, _keystream(nonce, len(data)), strict=True))
    return base64.urlsafe_b64encode(nonce + hidden).decode()


def reveal(text):
    """The string :func:`hide` hid; ``ValueError`` when ``text`` is not one."""
    if not isinstance(text, str):
        raise ValueError("not hidden text")
    raw = base64.urlsafe_b64decode(text.encode())
    nonce, hidden = raw[:16], raw[16:]
    return bytes(
        a ^ b for a, b in zip(hidden, _keystream(nonce, len(hidden)), strict=True)
    ).decode()


def seal(value):
    """``value`` (a string) encrypted and signed with ``SECRET_KEY``, safe to store in a task.

    The stored text tells nothing about the value; :func:`unseal` gives it back.
    """
    return signing.dumps(hide(value), salt=SEAL_SALT)


def unseal(sealed):
    """The string :func:`seal` hid; ``signing.BadSignature`` when it was altered."""
    return reveal(signing.loads(sealed, salt=SEAL_SALT))
