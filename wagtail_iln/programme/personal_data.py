"""What the programme holds about a person: their participant record and their rounds.

Registered with ``privacy.registry`` when the app is ready. Erasure keeps
what round figures are counted from (country, kind of workplace, enrolments
and so partnerships), now pointing at an anonymised record.
"""

import datetime

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.search import index

from .. import widgets
from ..conf import get_setting
from ..history import log_apart
from ..matching import history
from ..pageforms import OneLineField
from ..privacy.data_rights import PERSON, RETENTION, requested_by, scrub_log_entries
from ..privacy.registry import register, when, with_email
from .choices import EnrolmentStatus, PartnershipStatus, RoundStatus, time_zone_choices
from .forms import contact_methods_field, languages_field
from .models import PROFILE_FIELDS, Enrolment, Participant, Partnership, PartnershipMember

PUBLISHED = [PartnershipStatus.ACTIVE, PartnershipStatus.ENDED]

ERASED_NAME = _("Erased participant")

# Written in the participant's history (who asked: ``data["by"]``, or the admin user).
CONSENT_WITHDRAWN = "wagtail_iln.withdraw_consent"
ERASED = "wagtail_iln.erase"


class ConsentWithdrawnFormatter(LogFormatter):
    label = _("Withdraw consent")

    def format_message(self, log_entry):
        if (log_entry.data or {}).get("by") == PERSON:
            return _("Consent withdrawn by the person, from their data page")
        return _("Consent withdrawn")


class ErasedFormatter(LogFormatter):
    label = _("Erase")

    def format_message(self, log_entry):
        by = (log_entry.data or {}).get("by")
        if by == PERSON:
            return _("Personal data erased at the person's request, from their data page")
        if by == RETENTION:
            return _("Personal data erased: kept longer than the retention period")
        return _("Personal data erased")


def register_log_actions(actions):
    """The ``register_log_actions`` hook: withdrawing consent and erasure."""
    actions.register_action(CONSENT_WITHDRAWN)(ConsentWithdrawnFormatter)
    actions.register_action(ERASED)(ErasedFormatter)


# Kept on erasure: what round figures are counted from. Every other field of
# the profile is emptied, and the name and the address replaced.
KEPT_FIELDS = {"country", "workplace_kind"}
LIST_FIELDS = {"languages", "contact_methods"}


def participant_with_email(email):
    return with_email(Participant.objects.all(), email).first()


def rounds_of(participant):
    """Each round of the participant, oldest first: the enrolment and the partners' names."""
    partners = PartnershipMember.objects.select_related("enrolment__participant")
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("round", "partnership_member__partnership")
        .prefetch_related(Prefetch("partnership_member__partnership__members", queryset=partners))
        .order_by("round__starts_on", "pk")
    )
    rounds = []
    for enrolment in enrolments:
        member = getattr(enrolment, "partnership_member", None)
        names = []
        if member is not None:
            names = [
                other.enrolment.participant.name
                for other in member.partnership.members.all()
                if other.enrolment_id != enrolment.pk
            ]
        rounds.append({"enrolment": enrolment, "partners": names})
    return rounds


def _value(participant, name):
    value = getattr(participant, name)
    if name == "country":
        return value.code
    return value


def export(email):
    participant = participant_with_email(email)
    if participant is None:
        return {"participant": None, "rounds": []}
    return {
        "participant": {
            "profile": {name: _value(participant, name) for name in PROFILE_FIELDS},
            "consent_given_at": when(participant.consent_given_at),
            "consent_version": participant.consent_version,
            "consent_withdrawn_at": when(participant.consent_withdrawn_at),
            "created_at": when(participant.created_at),
            "updated_at": when(participant.updated_at),
        },
        "rounds": [
            {
                "round": item["enrolment"].round.name,
                "starts_on": when(item["enrolment"].round.starts_on),
                "ends_on": when(item["enrolment"].round.ends_on),
                "status": item["enrolment"].status,
                "applied_at": when(item["enrolment"].applied_at),
                "partners": item["partners"],
            }
            for item in rounds_of(participant)
        ],
    }


class ProfileForm(forms.ModelForm):
    """The person's own profile, every field but the address the link was sent to.

    Saving goes through the model's validation (``full_clean``), as in the admin.
    """

    languages = languages_field(widget=widgets.SelectMultiple(attrs=widgets.LANGUAGE_LIST_ATTRS))
    contact_methods = contact_methods_field()

    class Meta:
        model = Participant
        fields = [name for name in PROFILE_FIELDS if name != "email"]
        field_classes = dict.fromkeys(["name", "city", "workplace", "role"], OneLineField)
        # The same dropdown and buttons as in the application.
        widgets = {"time_zone": widgets.Select, "contact_frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        from ..applications.forms import RoundApplicationForm

        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        zone.widget.choices = time_zone_choices(current=self.instance.time_zone)
        applied_with = RoundApplicationForm.base_fields
        for name, field in self.fields.items():
            if name in applied_with:
                # The words the person read when they applied ("What you do day to day"),
                # where the model's are the admin's ("languages the person is happy in").
                asked = applied_with[name]
                field.label, field.help_text = asked.label, asked.help_text
                field.error_messages = {**field.error_messages, **asked.error_messages}
            else:
                # The model's verbose names are lower-case; on the page, a label starts a line.
                field.label = capfirst(field.label)


def context(email):
    participant = participant_with_email(email)
    if participant is None:
        return None
    return {
        "participant": participant,
        "rounds": rounds_of(participant),
        "form": ProfileForm(instance=participant),
    }


def correct(email, data):
    participant = participant_with_email(email)
    if participant is None:
        return None
    form = ProfileForm(data, instance=participant)
    if form.is_valid():
        form.save()
    return form


# Rounds not yet under way: withdrawing consent takes the person out of them.
NOT_STARTED = [RoundStatus.PLANNING, RoundStatus.APPLICATIONS_OPEN, RoundStatus.MATCHING]


def upcoming_enrolments(participant):
    """The person's applied or accepted enrolments in rounds not yet under way.

    An enrolment in a published partnership is left out: that partnership goes on.
    """
    return (
        Enrolment.objects.filter(
            participant=participant,
            status__in=[EnrolmentStatus.APPLIED, EnrolmentStatus.ACCEPTED],
            round__status__in=NOT_STARTED,
        )
        .exclude(partnership_member__partnership__status__in=PUBLISHED)
        .order_by("round__starts_on", "pk")
    )


def partnerships_going_on(participant):
    """The person's published partnerships that have not ended: they go on."""
    return (
        Enrolment.objects.filter(
            participant=participant,
            partnership_member__partnership__status=PartnershipStatus.ACTIVE,
        )
        .select_related("partnership_member__partnership")
        .order_by("round__starts_on", "pk")
    )


def withdrawing(email):
    participant = participant_with_email(email)
    if participant is None:
        return []
    changes = [
        gettext("You are taken out of %(round)s: you will not be paired in it.")
        % {"round": enrolment.round.localized.name}
        for enrolment in upcoming_enrolments(participant)
    ]
    for enrolment in partnerships_going_on(participant):
        others = enrolment.partnership_member.partnership.members.count() - 1
        changes.append(
            ngettext(
                "Your partnership in %(round)s goes on: your partner keeps your address. "
                "Tell them yourself if you wish to stop.",
                "Your partnership in %(round)s goes on: your partners keep your address. "
                "Tell them yourself if you wish to stop.",
                others,
            )
            % {"round": enrolment.round.localized.name}
        )
    return changes


def withdraw(email):
    """No programme e-mail goes to the person any more, nor are they paired in a coming round.

    Their enrolments in rounds not yet under way are withdrawn, and a proposed
    partnership they were in is broken up: its other members go back to
    those to be paired.
    """
    participant = participant_with_email(email)
    if participant is None:
        return
    if participant.consent_withdrawn_at is None:
        log_apart(participant, CONSENT_WITHDRAWN, data={"by": requested_by()})
    participant.consent_given_at = None
    participant.consent_withdrawn_at = participant.consent_withdrawn_at or timezone.now()
    participant.save(update_fields=["consent_given_at", "consent_withdrawn_at"])
    upcoming = list(upcoming_enrolments(participant))
    proposals = Partnership.objects.filter(
        status=PartnershipStatus.PROPOSED, members__enrolment__in=upcoming
    ).select_related("round")
    for partnership in proposals:
        history.broken_up_by_withdrawal(partnership.round)
        partnership.delete()
    for enrolment in upcoming:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status"])


def consent_withdrawn(email):
    participant = participant_with_email(email)
    return participant is not None and participant.consent_withdrawn_at is not None


def erase(email):
    """Anonymise the participant with this address; idempotent.

    Gone: name, address and every other field that says who the person is,
    and their name and address in admin log entries. The participant's history
    says when it was erased, and who asked.
    """
    participant = participant_with_email(email)
    if participant is None:
        return
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        email, name = participant.email, participant.name
        # Stored data, not a message: in the site's language, whoever erases.
        with translation.override(settings.LANGUAGE_CODE):
            replacement = str(ERASED_NAME)
        for field in PROFILE_FIELDS:
            if field not in KEPT_FIELDS:
                setattr(participant, field, [] if field in LIST_FIELDS else "")
        participant.name = replacement
        participant.email = f"erased-{participant.pk}@erased.invalid"
        participant.consent_version = ""
        participant.consent_given_at = None
        participant.consent_withdrawn_at = participant.consent_withdrawn_at or timezone.now()
        first_time = participant.erased_at is None
        participant.erased_at = participant.erased_at or timezone.now()
        participant.save()
        if email != participant.email:
            scrub_log_entries([email, name], replacement)
        if first_time:
            # Under the anonymised name: the entry outlives what it says was erased.
            log_apart(participant, ERASED, data={"by": requested_by()})
        if isinstance(participant, index.Indexed):
            index.insert_or_update_object(participant)


def expired_participants(today=None):
    """Participants not yet erased whose last round ended more than the retention ago.

    People never enrolled in a round count from the day their record was made.
    ``None`` as ``PARTICIPANT_RETENTION_DAYS`` keeps everyone: an empty queryset.
    """
    days = get_setting("PARTICIPANT_RETENTION_DAYS")
    if days is None:
        return Participant.objects.none()
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    last_ended = Subquery(
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("-round__ends_on")
        .values("round__ends_on")[:1]
    )
    cutoff_start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        Participant.objects.filter(erased_at__isnull=True)
        .annotate(last_ended=last_ended)
        .filter(Q(last_ended__lt=cutoff) | Q(last_ended__isnull=True, created_at__lt=cutoff_start))
    )


def expired(today):
    return list(expired_participants(today).order_by("pk").values_list("email", flat=True))


register(
    "participants",
    export=export,
    withdraw=withdraw,
    withdrawing=withdrawing,
    consent_withdrawn=consent_withdrawn,
    erase=erase,
    expired=expired,
    template="wagtail_iln/programme/_my_data.html",
    context=context,
    correct=correct,
)
