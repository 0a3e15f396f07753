"""Turning a confirmed application into a participant enrolled in the round."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from .. import tracking
from ..conf import get_setting
from ..links import EXPIRED, INVALID, VALID, read_id
from ..programme.choices import EnrolmentStatus
from ..programme.models import PROFILE_FIELDS, Enrolment, Participant
from .models import Application

CONFIRM_SALT = "wagtail_iln.programme.application"


def confirm_expiry():
    return datetime.timedelta(days=get_setting("APPLICATION_CONFIRM_DAYS"))


def confirm_token(application):
    return signing.dumps(application.pk, salt=CONFIRM_SALT)


def application_from_token(token):
    """``(application, VALID)``, or ``(None, INVALID)`` / ``(None, EXPIRED)``."""
    expiry = confirm_expiry()
    pk, status = read_id(token, CONFIRM_SALT, expiry)
    if status != VALID:
        return None, status
    application = Application.objects.select_related("round").filter(pk=pk).first()
    if application is None:
        return None, INVALID
    if application.confirmed_at is None and application.created_at < timezone.now() - expiry:
        return None, EXPIRED
    return application, VALID


def expired_applications():
    """Applications whose link no longer works: pending or confirmed, older than the expiry."""
    return Application.objects.filter(created_at__lt=timezone.now() - confirm_expiry())


def _participant_with_email(email):
    return (
        Participant.objects.select_for_update()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .first()
    )


def _save_participant(application):
    participant = _participant_with_email(application.email)
    if participant is None:
        participant = Participant(email=application.email)
    for name in PROFILE_FIELDS:
        if name != "email" and name in application.data:
            setattr(participant, name, application.data[name])
    if application.language:
        # The programme writes to them in the language of the page they applied on.
        participant.language = application.language
    participant.consent_given_at = application.consent_given_at
    participant.consent_version = application.consent_version
    # Applying again gives consent again, after a withdrawal.
    participant.consent_withdrawn_at = None
    try:
        # A new participant is in no stats until an enrolment of theirs is accepted.
        with transaction.atomic(), tracking.rows_created_unshown():
            participant.save()
    except IntegrityError:
        if participant.pk is not None:
            raise
        # The same address was confirmed for another application at the same moment.
        existing = _participant_with_email(application.email)
        participant.pk, participant.created_at = existing.pk, existing.created_at
        participant.email = existing.email
        participant.save()
    return participant


def _enrol(participant, round):
    same_round = Enrolment.objects.filter(
        participant=participant, round__translation_key=round.translation_key
    )
    if same_round.exists():
        # Withdrawn (with their consent, or by a coordinator): applying again reopens it.
        for enrolment in same_round.filter(status=EnrolmentStatus.WITHDRAWN):
            enrolment.status = EnrolmentStatus.APPLIED
            enrolment.save(update_fields=["status"])
        return
    try:
        with transaction.atomic():
            Enrolment.objects.create(participant=participant, round=round)
    except IntegrityError:
        pass  # enrolled by a confirmation running at the same moment


def confirm_application(application):
    """Create or update the participant and enrol them in the round; once only.

    The participant is matched by e-mail address, ignoring case, and takes every
    profile field of the application, its language for their e-mails, and its
    consent (a withdrawal of consent ends). An enrolment the person already
    has in the round (in any of its translations) is left as it is, unless
    withdrawn: it is *applied* again; otherwise they are enrolled as *applied*. Returns the
    participant, or ``None`` when the application had already been confirmed.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.confirmed_at is not None:
            return None
        participant = _save_participant(application)
        _enrol(participant, application.round)
        application.confirmed_at = timezone.now()
        # The profile now lives on the participant; keep no second copy.
        application.data = {}
        application.save(update_fields=["confirmed_at", "data"])
    return participant
