"""The e-mails of partnership health: check-ins and reminders to members, help to managers.

Templates: ``wagtail_iln/health/emails/check_in_{subject,body}.txt``,
``wagtail_iln/health/emails/reminder_{subject,body}.txt`` and
``wagtail_iln/health/emails/need_help_{subject,body}.txt``.
"""

from django.conf import settings
from django.urls import reverse

from ..conf import get_setting
from ..mail import email_task, send
from ..programme.models import Partnership
from .links import check_in_links
from .models import CheckIn
from .periods import days_without_contact, with_members

VIEWSET_NAME = "iln_partnership_health"


@email_task
def send_health_email(partnership_id, participant_id, kind, period):
    """Send ``kind`` (``check_in`` or ``reminder``) of ``period`` to one member, in their language.

    Nothing is sent when the person has left the partnership or may no longer
    be e-mailed. The links are signed when the e-mail is sent.
    """
    partnership = with_members(Partnership.objects.filter(pk=partnership_id)).first()
    if partnership is None:
        return 0
    people = [member.enrolment.participant for member in partnership.members.all()]
    person = next((p for p in people if p.pk == participant_id), None)
    if person is None or not person.may_be_emailed:
        return 0
    context = {
        "participant": person,
        "partners": [p for p in people if p.pk != participant_id],
        "partner_names": [p.name for p in people if p.pk != participant_id],
        "partnership": partnership,
        # The template names ``round.localized``: in the language it is rendered in.
        "round": partnership.round,
        "period": period,
        "days_without_contact": days_without_contact(partnership),
        "link_days": get_setting("CHECKIN_LINK_DAYS"),
        "links": check_in_links(partnership_id, participant_id, period),
    }
    return send(
        f"wagtail_iln/health/emails/{kind}",
        context,
        to=[person.email],
        language=person.email_language,
    )


def report_url():
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse(f"{VIEWSET_NAME}:index") + "?needs_help=true"


@email_task
def notify_need_help(check_in_id):
    """Tell the addresses in ``MANAGERS`` that a member asked for help, in the site's language."""
    recipients = [address for _name, address in getattr(settings, "MANAGERS", [])]
    check_in = (
        CheckIn.objects.select_related("partnership__round", "participant")
        .filter(pk=check_in_id)
        .first()
    )
    if check_in is None or not recipients:
        return 0
    context = {
        "check_in": check_in,
        "partnership": check_in.partnership,
        "round": check_in.partnership.round,
        "participant": check_in.participant,
        "report_url": report_url(),
    }
    return send(
        "wagtail_iln/health/emails/need_help",
        context,
        to=recipients,
        language=settings.LANGUAGE_CODE,
    )
