"""The programme's models: rounds, participants and their enrolments, partnerships."""

from .participants import (
    PROFILE_FIELDS,
    Enrolment,
    EnrolmentQuerySet,
    Participant,
    ParticipantQuerySet,
    enrolment_status_scope,
)
from .partnerships import Partnership, PartnershipMember
from .rounds import ROUND_SYNCHRONISED_FIELDS, Round

__all__ = [
    "PROFILE_FIELDS",
    "ROUND_SYNCHRONISED_FIELDS",
    "Enrolment",
    "EnrolmentQuerySet",
    "Participant",
    "ParticipantQuerySet",
    "Partnership",
    "PartnershipMember",
    "Round",
    "enrolment_status_scope",
]
