"""The e-mail introducing the members of a published partnership to each other."""

from django.conf import settings
from wagtail.models import Locale

from ..mail import email_task, send

INTRODUCTION_TEMPLATE = "wagtail_iln/people/emails/introduction"


def email_language(participant):
    """The participant's language if the site has it, else the site's default language."""
    codes = {code for code, _name in settings.LANGUAGES}
    return participant.language if participant.language in codes else settings.LANGUAGE_CODE


@email_task
def send_introduction(member_id):
    """Introduce one member of a partnership to their partners, in the member's language.

    Sends nothing when the member has gone or may not be e-mailed. A partner's
    address is shared only while that partner may be e-mailed too.
    """
    from .models import PartnershipMember

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
    language = email_language(participant)
    round = member.partnership.round
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None:
        # The round's name as the member reads it, when the round is translated.
        round = round.get_translation_or_none(locale) or round
    send(
        INTRODUCTION_TEMPLATE,
        {
            "participant": participant,
            "partners": partners,
            "partnership": member.partnership,
            "round": round,
        },
        to=[participant.email],
        language=language,
        headers={"Content-Language": language},
    )
