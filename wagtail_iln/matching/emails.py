"""The e-mail introducing the members of a published partnership to each other."""

from ..mail import email_task, send

INTRODUCTION_TEMPLATE = "wagtail_iln/matching/emails/introduction"


@email_task
def send_introduction(member_id):
    """Introduce one member of a partnership to their partners, in the member's language.

    Sends nothing when the member has gone or may not be e-mailed. A partner's
    address is shared only while that partner may be e-mailed too.
    """
    from ..programme.models import PartnershipMember

    member = (
        PartnershipMember.objects.select_related("enrolment__participant", "partnership__round")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        return
    participant = member.enrolment.participant
    if not participant.may_be_emailed:
        return
    partners = [
        other.enrolment.participant
        for other in member.partnership.members.select_related("enrolment__participant")
        if other.pk != member.pk
    ]
    send(
        INTRODUCTION_TEMPLATE,
        {
            "participant": participant,
            "partners": partners,
            "partnership": member.partnership,
            # The template names ``round.localized``: in the language it is rendered in.
            "round": member.partnership.round,
        },
        to=[participant.email],
        language=participant.email_language,
    )
