"""A person's rights over the data the site holds about them.

Everything is found by e-mail address, ignoring case, by asking each holder
registered in ``registry`` (the participant, their check-ins, applications,
photos and comments, and whatever a site registers). ``export`` gathers it,
``withdraw_consent`` hides what they published and stops e-mails,
``erase_data`` removes or anonymises it.
"""

import datetime
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..conf import get_setting
from ..fragments import forget_stored_parts
from ..links import EXPIRED, INVALID, VALID, read_id
from ..mail import absolute_link, email_task, enqueue_after_commit, send
from .models import DataLink
from .registry import holders

DATA_SALT = "wagtail_iln.programme.data"

# Who asked for a withdrawal or an erasure, for the history a holder writes:
# the person (through their data page), the site's retention, or else staff
# (the admin user Wagtail's history names).
PERSON = "person"
RETENTION = "retention"
_requested_by = ContextVar("wagtail_iln_requested_by", default=None)


def requested_by():
    """``PERSON``, ``RETENTION`` or ``None`` (staff) while consent is withdrawn or data erased."""
    return _requested_by.get()


@contextmanager
def _requesting(by):
    token = _requested_by.set(by)
    try:
        yield
    finally:
        _requested_by.reset(token)


# Signed links


def data_link_expiry():
    return datetime.timedelta(days=get_setting("DATA_LINK_DAYS"))


def link_token(link):
    """The token of the link to a ``DataLink``'s data: its id, signed and dated.

    Links end up in mail servers' and proxies' logs and in browser histories;
    nobody reading one learns whose data it opens.
    """
    return signing.dumps(link.pk, salt=DATA_SALT)


def data_token(email, language=""):
    """A token for a new link to ``email``'s data (stored as a ``DataLink``)."""
    return link_token(DataLink.objects.create(email=email.strip().lower(), language=language))


def email_from_token(token):
    """``(email, VALID)``, or ``(None, INVALID)`` / ``(None, EXPIRED)``."""
    pk, status = read_id(token, DATA_SALT, data_link_expiry())
    if status != VALID:
        return None, status
    link = DataLink.objects.filter(pk=pk).first()
    if link is None:  # erased, or forgotten with nothing held
        return None, INVALID
    if link.created_at < timezone.now() - data_link_expiry():
        return None, EXPIRED
    return link.email, VALID


def forget_expired_links():
    """Delete the links that no longer work, and with them the addresses they name."""
    return DataLink.objects.filter(created_at__lt=timezone.now() - data_link_expiry()).delete()[0]


def forget_links_of(email):
    """Delete the links to ``email``'s data: erasure leaves no address behind."""
    return (
        DataLink.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .delete()[0]
    )


@email_task
def send_data_link_email(link_id, base):
    """E-mail the link to a person's data, if any is held, to the address it was asked for.

    The request made the ``DataLink`` whatever the address; here, after the
    answer was sent, the address is looked up. With nothing held, nothing is
    sent and the row (and the address in it) is deleted.
    """
    forget_expired_links()
    link = DataLink.objects.filter(pk=link_id).first()
    if link is None:
        return
    if not holds_data(link.email):
        link.delete()
        return
    with translation.override(link.language or None):
        # Under the site's i18n_patterns, the link opens the page in the asker's language.
        url = absolute_link(base, "wagtail_iln:my_data", link_token(link))
    context = {
        "link": url,
        "expires_at": link.created_at + data_link_expiry(),
        "days": get_setting("DATA_LINK_DAYS"),
    }
    send("wagtail_iln/privacy/emails/link", context, to=[link.email], language=link.language)


def request_data_link(email, base, language=""):
    """Note a request for the link to ``email``'s data, and queue its e-mail.

    The same work for any address: one row written, one task queued.
    """
    link = DataLink.objects.create(email=email.strip().lower(), language=language or "")
    enqueue_after_commit(send_data_link_email, link.pk, base)
    return link


# What is held


def export(email):
    """Everything held about ``email``, as a dict that serialises to JSON."""
    data = {"email": email, "exported_at": timezone.now().isoformat()}
    for holder in holders():
        if holder.export is not None:
            data.update(holder.export(email))
    return data


def holds_data(email):
    """Whether anything about ``email`` is stored."""
    for holder in holders():
        if holder.export is not None and any(holder.export(email).values()):
            return True
    return False


# Withdrawing consent and erasing


def withdraw_consent(email, by=None):
    """Hide what the person published and stop e-mailing them.

    With the app's holders: their photos are withdrawn, their comments kept
    without their name, their comment subscriptions, the discussions they
    follow and their pending applications deleted, their enrolments in rounds
    not yet under way withdrawn, and their participant record marked so that
    no programme e-mail goes to them. ``by`` says who asked (``PERSON``; ``None``
    for staff), for the participant's history.
    """
    with transaction.atomic(), _requesting(by):
        for holder in holders():
            if holder.withdraw is not None:
                holder.withdraw(email)


def withdrawing(email):
    """What withdrawing consent would change for the person: sentences, in holder order."""
    return [
        sentence
        for holder in holders()
        if holder.withdrawing is not None
        for sentence in holder.withdrawing(email)
    ]


def act(email, action, data):
    """Run a holder's own ``action`` on the person's data: its message, or None when refused."""
    for holder in holders():
        run = (holder.actions or {}).get(action)
        if run is not None:
            with transaction.atomic():
                return run(email, data)
    return None


def consent_withdrawn(email):
    """Whether the person has already withdrawn their consent."""
    return any(
        holder.consent_withdrawn(email)
        for holder in holders()
        if holder.consent_withdrawn is not None
    )


def _pattern(values):
    words = sorted({value for value in values if value and len(value) > 2}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE
    )


def _scrub(value, pattern, replacement):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    return value


def scrub_log_entries(values, replacement):
    """Replace ``values`` (a name, an address) in the labels and data of admin log entries."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    pattern = _pattern(values)
    if pattern is None:
        return 0
    logs = [(ModelLogEntry, ("label", "data")), (PageLogEntry, ("label", "data"))]
    if apps.is_installed("django.contrib.admin"):
        from django.contrib.admin.models import LogEntry

        logs.append((LogEntry, ("object_repr", "change_message")))
    count = 0
    for model, fields in logs:
        matches = Q()
        for value in filter(None, values):
            for field in fields:
                matches |= Q(**{f"{field}__icontains": value})
        for entry in model.objects.filter(matches):
            for field in fields:
                setattr(entry, field, _scrub(getattr(entry, field), pattern, replacement))
            entry.save(update_fields=fields)
            count += 1
    return count


def erase_data(email, by=None):
    """Erase everything held about ``email``; idempotent.

    With the app's holders: the participant is anonymised, keeping what round
    figures are counted from (country, kind of workplace, enrolments and
    check-in answers); their applications and comment subscriptions are
    deleted; their photos withdrawn, with the submitter's name, address and
    story blanked; their name taken off their comments; the address taken out
    of admin log entries. ``by`` says who asked (``PERSON``, ``RETENTION``;
    ``None`` for staff), for the participant's history.
    """
    with transaction.atomic(), _requesting(by):
        forget_links_of(email)
        for holder in holders():
            if holder.erase is not None:
                holder.erase(email)
        scrub_log_entries([email], gettext("erased"))
        # Parts rendered with their name are kept no longer than the cache keeps them.
        transaction.on_commit(forget_stored_parts)


def erase_participant(participant):
    """``erase_data`` for a participant's address; returns the anonymised participant."""
    erase_data(participant.email)
    participant.refresh_from_db()
    return participant
