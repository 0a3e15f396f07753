"""Signed check-in links: one per member, period and answer, valid for ``CHECKIN_LINK_DAYS``."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from ..conf import get_setting
from ..links import INVALID, VALID, is_id, read_token
from ..programme.choices import CheckInAnswer, PartnershipStatus
from ..programme.models import Participant, Partnership, PartnershipMember
from .periods import period_on

CHECKIN_SALT = "wagtail_iln.programme.checkin"


def link_expiry():
    return datetime.timedelta(days=get_setting("CHECKIN_LINK_DAYS"))


def check_in_token(partnership_id, participant_id, period):
    """A token for one member's answer about one period of one partnership."""
    return signing.dumps([partnership_id, participant_id, period], salt=CHECKIN_SALT)


@dataclass(frozen=True)
class CheckInLink:
    partnership: Partnership
    participant: Participant
    period: int


def link_from_token(token):
    """``(CheckInLink, VALID)``, or ``(None, INVALID)`` / ``(None, EXPIRED)``.

    A link is invalid when its signature is wrong, when its person is no longer
    a member of its partnership (or was erased), or when the partnership is
    only proposed.
    """
    value, status = read_token(token, CHECKIN_SALT, link_expiry())
    if status != VALID:
        return None, status
    if not isinstance(value, list) or len(value) != 3:
        return None, INVALID
    partnership_id, participant_id, period = value
    if not (is_id(partnership_id) and is_id(participant_id) and type(period) is int):
        return None, INVALID
    if period < 0:
        return None, INVALID
    partnership = (
        Partnership.objects.select_related("round")
        .filter(pk=partnership_id, status__in=[PartnershipStatus.ACTIVE, PartnershipStatus.ENDED])
        .first()
    )
    if partnership is None:
        return None, INVALID
    member = (
        PartnershipMember.objects.select_related("enrolment__participant")
        .filter(partnership=partnership, enrolment__participant_id=participant_id)
        .first()
    )
    if member is None or member.enrolment.participant.erased_at is not None:
        return None, INVALID
    # A link is sent during its period: one for a period not begun yet was never sent.
    current = period_on(partnership.started_on, timezone.localdate()) or 0
    if period > current + 1:
        return None, INVALID
    return CheckInLink(partnership, member.enrolment.participant, period), VALID


def site_root_url():
    """The root URL of the default Wagtail site, for links in e-mails sent without a request.

    Falls back to ``WAGTAILADMIN_BASE_URL`` when no site is the default.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_url
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def check_in_links(partnership_id, participant_id, period, root_url=None):
    """The absolute URL of each answer, by answer value."""
    root_url = site_root_url() if root_url is None else root_url
    token = check_in_token(partnership_id, participant_id, period)
    return {
        answer: root_url + reverse("wagtail_iln:check_in", args=[token, answer])
        for answer in CheckInAnswer.values
    }
