"""What partnership health holds about a person: their answers to check-in e-mails.

Kept on erasure, pointing at the anonymised participant: round figures count them.
"""

from ..privacy.registry import register, when
from ..programme.personal_data import participant_with_email
from .models import CheckIn


def check_ins_for(email):
    """The person's answers to check-in e-mails, oldest first."""
    participant = participant_with_email(email)
    if participant is None:
        return []
    return list(
        CheckIn.objects.filter(participant=participant)
        .select_related("partnership__round")
        .order_by("created_at", "pk")
    )


def export(email):
    return {
        "check_ins": [
            {
                "round": check_in.partnership.round.name,
                "period": check_in.period,
                "answer": check_in.answer,
                "answered_at": when(check_in.created_at),
            }
            for check_in in check_ins_for(email)
        ]
    }


def context(email):
    check_ins = check_ins_for(email)
    return {"check_ins": check_ins} if check_ins else None


register(
    "check_ins",
    export=export,
    template="wagtail_iln/health/_my_data.html",
    context=context,
)
