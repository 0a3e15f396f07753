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
  its admin): pass ids and absolute URLs, never an e-mail address, and no link
  that opens someone's data. Look the address up inside the task, and send
  nothing when the record has gone. An address typed into a form is kept on a
  record (the comment, the data request) until the task has sent; the task
  may then forget it.
- A view whose answer must not tell whether an address is known (asking for
  one's data, applying, subscribing to a thread) does the same work for every
  address and leaves the rest to the task: deciding, writing, sending. Wrap it
  in :func:`after_response`, so that even the immediate backend runs the task
  once the answer has been sent, not while the visitor waits for it.
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

import contextvars
import datetime
import functools
import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django_tasks import task

from .conf import get_setting

logger = logging.getLogger(__name__)

# Mail-server refusals (smtplib.SMTPException) and network failures are all OSErrors.
MAIL_ERRORS = (OSError,)
# The keyword argument that carries the number of the attempt to a retried task.
ATTEMPT = "email_attempt"
# The tasks a view wrapped in after_response queues, while it runs.
_after_response = contextvars.ContextVar("wagtail_iln_after_response", default=None)


def _zone(name):
    """The time zone named ``name``, or the current one when it names none."""
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.get_current_timezone()
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return timezone.get_current_timezone()


def render(template, context, language=None, time_zone=None):
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language``.

    Times are shown in ``time_zone`` (an IANA name, such as the recipient's),
    or else the current one. Returns ``(subject, body)``; the subject is one
    line, whatever the context holds.
    """
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(_zone(time_zone)),
    ):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body


def send(template, context, to, language=None, headers=None, time_zone=None):
    """Render ``template`` in ``language`` and send it to the addresses in ``to``.

    The message's ``Content-Language`` is the language it is written in;
    its times are in ``time_zone`` (see ``render``). Sends nothing when ``to``
    is empty. Mail errors are raised, for :func:`email_task` to retry.
    """
    to = [address for address in to if address]
    if not to:
        return 0
    subject, body = render(template, context, language, time_zone)
    headers = {"Content-Language": language or settings.LANGUAGE_CODE, **(headers or {})}
    return EmailMessage(subject, body, to=to, headers=headers).send()


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

    Inside a view wrapped in :func:`after_response`, once its answer has been
    sent as well. A failure to queue is logged and does not reach the request:
    what it stored stays stored.
    """

    def enqueue():
        email.enqueue(*args, **kwargs)

    pending = _after_response.get()

    def queue_after_response():
        pending.add(enqueue)

    # Functions, not functools.partial: Django logs a failed robust hook by its __qualname__.
    transaction.on_commit(enqueue if pending is None else queue_after_response, robust=True)


def enqueue_gathered_after_commit(task, items):
    """Queue ``task(sorted(items))`` once the current transaction commits.

    Inside a view wrapped in :func:`after_response`, the items of every such
    call of the view are gathered and the task is queued once, with all of
    them, once its answer has been sent: a moderator approving fifty photos of
    one campaign queues one task for the pages showing it, not fifty.
    """
    items = sorted(set(items))
    pending = _after_response.get()
    if pending is None:
        enqueue_after_commit(task, items)
        return

    def gather_after_response():
        pending.gather(task, items)

    transaction.on_commit(gather_after_response, robust=True)


class _AfterResponse:
    """The tasks one view queued, to queue once its answer has been sent."""

    def __init__(self):
        self.calls = []
        self.gathered = {}
        self.sent = False

    def add(self, call):
        if self.sent:  # the transaction committed after the answer went out
            _queue(call)
        else:
            self.calls.append(call)

    def gather(self, task, items):
        """Queue ``task`` once, with the items of every call of this answer (sorted)."""
        if self.sent:

            def enqueue_now():
                task.enqueue(sorted(items))

            _queue(enqueue_now)
            return
        if task not in self.gathered:
            self.gathered[task] = set()

            def enqueue_gathered():
                task.enqueue(sorted(self.gathered.pop(task)))

            self.calls.append(enqueue_gathered)
        self.gathered[task].update(items)

    def run(self):
        self.sent = True
        calls, self.calls = self.calls, []
        for call in calls:
            _queue(call)


def _queue(call):
    try:
        call()
    except Exception:
        logger.exception("Could not queue an e-mail task")


def after_response(view):
    """Decorate a view: the e-mail tasks it queues are queued once its answer has been sent.

    The answer then takes the same time whatever the tasks do, even with the
    immediate backend, which runs a task as it is queued. Django closes a
    response once the server has sent it; the tasks are queued then.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        pending = _AfterResponse()
        token = _after_response.set(pending)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _after_response.reset(token)
        # Django's own file responses close their files through these closers.
        response._resource_closers.append(pending.run)
        return response

    return wrapped


def base_url(request):
    """The absolute URL of the site's root as ``request`` reached it, for links made in a task."""
    return request.build_absolute_uri(get_script_prefix())


def absolute_link(base, viewname, *args):
    """The absolute URL of ``viewname`` under ``base`` (see :func:`base_url`), in a task too."""
    return base + reverse(viewname, args=args).removeprefix(get_script_prefix())
