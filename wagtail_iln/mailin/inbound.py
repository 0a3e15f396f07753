"""Photos by e-mail through a sending service's inbound webhook (django-anymail).

A site whose mail goes through a service anymail supports (Mailgun, Postmark,
SendGrid, Amazon SES...) points the service's inbound route at anymail's
inbound URL; anymail sends its ``inbound`` signal, and :func:`receive` hands
the message to the same handler as the IMAP mailbox. Connected from
``WagtailIlnAppConfig.ready()`` only when anymail is installed (the ``mailin``
extra): a site without it imports nothing of anymail.
"""

import logging

from django.apps import apps

from .handling import handle_message

logger = logging.getLogger(__name__)

ANYMAIL_APP = "anymail"


def enabled():
    return apps.is_installed(ANYMAIL_APP)


def receive(sender, event, esp_name, **kwargs):
    """anymail's ``inbound`` signal: one message, handled once like a fetched one."""
    message = event.message
    if message is None:
        return
    envelope = getattr(message, "envelope_recipient", None)
    handle_message(message.as_bytes(), recipients=[envelope] if envelope else None)


def connect():
    if not enabled():
        return
    from anymail.signals import inbound, tracking

    from ..mailings.bounces import record_tracking

    inbound.connect(receive, dispatch_uid="wagtail_iln_mail_inbound")
    tracking.connect(record_tracking, dispatch_uid="wagtail_iln_mail_tracking")
