"""The e-mails telling an applicant that the coordinators accepted or declined them."""

from ..mail import email_task, enqueue_after_commit, send
from .choices import EnrolmentStatus

DECISION_TEMPLATES = {
    EnrolmentStatus.ACCEPTED: "wagtail_iln/programme/emails/accepted",
    EnrolmentStatus.DECLINED: "wagtail_iln/programme/emails/declined",
}


@email_task
def send_enrolment_decision(enrolment_id):
    """Tell a participant, in their language, the coordinators' decision on their application.

    Sends nothing when the enrolment has gone, is no longer accepted or
    declined, or the person may not be e-mailed.
    """
    from .models import Enrolment

    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None or enrolment.status not in DECISION_TEMPLATES:
        return
    participant = enrolment.participant
    if not participant.may_be_emailed:
        return
    send(
        DECISION_TEMPLATES[enrolment.status],
        # The templates name ``round.localized``: in the language they are rendered in.
        {"participant": participant, "round": enrolment.round},
        to=[participant.email],
        language=participant.email_language,
        # The closing time of applications, in the time zone the person gave.
        time_zone=participant.time_zone,
    )


def tell_decisions(enrolment_ids):
    """Queue the decision e-mail of each enrolment once the transaction commits."""
    for enrolment_id in enrolment_ids:
        enqueue_after_commit(send_enrolment_decision, enrolment_id)
