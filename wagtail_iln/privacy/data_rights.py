"""A person's rights over the data the programme holds about them.

Everything is found by e-mail address, ignoring case: the participant, their
applications, their partnership check-ins, the photos they sent and the
comments they wrote. ``export``
gathers it, ``withdraw_consent`` hides what they published and stops e-mails,
``erase_participant`` anonymises them while keeping what round figures need
(country, kind of workplace and enrolments).
"""

import datetime
import re

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ..applications.models import Application
from ..comments.models import Comment, CommentSubscription, email_hashes
from ..comments.moderation import erase_commenter
from ..conf import get_setting
from ..health.models import CheckIn
from ..links import is_id
from ..mail import absolute_link, email_task, enqueue_after_commit, send
from ..pageforms import DistinctMultipleChoiceField, OneLineField
from ..programme.choices import ContactMethod, language_choices
from ..programme.models import PROFILE_FIELDS, Enrolment, Participant, PartnershipMember
from .models import DataLink

DATA_SALT = "wagtail_iln.programme.data"

VALID = "valid"
INVALID = "invalid"
EXPIRED = "expired"

ERASED_NAME = _("Erased participant")


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
    try:
        pk = signing.loads(token, salt=DATA_SALT, max_age=data_link_expiry())
    except signing.SignatureExpired:
        return None, EXPIRED
    except signing.BadSignature:
        return None, INVALID
    if not is_id(pk):
        return None, INVALID
    link = DataLink.objects.filter(pk=pk).first()
    if link is None:  # erased, or forgotten with nothing held
        return None, INVALID
    if link.created_at < timezone.now() - data_link_expiry():
        return None, EXPIRED
    return link.email, VALID


def forget_expired_links():
    """Delete the links that no longer work, and with them the addresses they name."""
    return DataLink.objects.filter(created_at__lt=timezone.now() - data_link_expiry()).delete()[0]


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
    context = {
        "link": absolute_link(base, "wagtail_iln:my_data", link_token(link)),
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


# Finding what is held


def participant_with_email(email):
    return (
        Participant.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .first()
    )


def applications_for(email):
    return Application.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )


def photo_submissions_for(email):
    from ..photos.models import PhotoSubmission

    return PhotoSubmission.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )


def comments_for(email):
    return Comment.objects.filter(email_hash__in=email_hashes(email))


def subscriptions_for(email):
    return CommentSubscription.objects.filter(email_hash__in=email_hashes(email))


def holds_data(email):
    """Whether anything about ``email`` is stored."""
    return bool(
        participant_with_email(email)
        or applications_for(email).exists()
        or photo_submissions_for(email).exists()
        or comments_for(email).exists()
        or subscriptions_for(email).exists()
    )


def check_ins_of(participant):
    """The participant's answers to check-in e-mails, oldest first."""
    if participant is None:
        return []
    return list(
        CheckIn.objects.filter(participant=participant)
        .select_related("partnership__round")
        .order_by("created_at", "pk")
    )


def rounds_of(participant):
    """Each round of the participant, oldest first: enrolment, partners' names and check-ins."""
    if participant is None:
        return []
    check_ins = {}
    for check_in in check_ins_of(participant):
        check_ins.setdefault(check_in.partnership_id, []).append(check_in)
    partners = PartnershipMember.objects.select_related("enrolment__participant")
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("partnership_member__partnership")
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
        rounds.append(
            {
                "enrolment": enrolment,
                "partners": names,
                "check_ins": check_ins.get(member.partnership_id, []) if member else [],
            }
        )
    return rounds


def _value(participant, name):
    value = getattr(participant, name)
    if name == "country":
        return value.code
    return value


def _when(value):
    return value.isoformat() if value else None


def export(email):
    """Everything held about ``email``, as a dict that serialises to JSON."""
    participant = participant_with_email(email)
    data = {"email": email, "exported_at": timezone.now().isoformat(), "participant": None}
    if participant is not None:
        data["participant"] = {
            "profile": {name: _value(participant, name) for name in PROFILE_FIELDS},
            "consent_given_at": _when(participant.consent_given_at),
            "consent_version": participant.consent_version,
            "consent_withdrawn_at": _when(participant.consent_withdrawn_at),
            "created_at": _when(participant.created_at),
            "updated_at": _when(participant.updated_at),
        }
        data["rounds"] = [
            {
                "round": item["enrolment"].round.name,
                "starts_on": _when(item["enrolment"].round.starts_on),
                "ends_on": _when(item["enrolment"].round.ends_on),
                "status": item["enrolment"].status,
                "applied_at": _when(item["enrolment"].applied_at),
                "partners": item["partners"],
            }
            for item in rounds_of(participant)
        ]
    else:
        data["rounds"] = []
    data["check_ins"] = [
        {
            "round": check_in.partnership.round.name,
            "period": check_in.period,
            "answer": check_in.answer,
            "answered_at": _when(check_in.created_at),
        }
        for check_in in check_ins_of(participant)
    ]
    data["applications"] = [
        {
            "round": application.round.name,
            "data": application.data,
            "created_at": _when(application.created_at),
            "confirmed_at": _when(application.confirmed_at),
            "consent_version": application.consent_version,
        }
        for application in applications_for(email).select_related("round")
    ]
    data["photo_submissions"] = [
        {
            "title": submission.title,
            "story": submission.story,
            "credit_name": submission.credit_name,
            "country": submission.country.code,
            "workplace": submission.workplace,
            "licence": submission.licence,
            "status": submission.status,
            "submitted_at": _when(submission.submitted_at),
        }
        for submission in photo_submissions_for(email)
    ]
    data["comments"] = [
        {
            "name": comment.name,
            "body": comment.body,
            "status": comment.status,
            "written_at": _when(comment.created_at),
        }
        for comment in comments_for(email)
    ]
    data["comment_subscriptions"] = [
        {"created_at": _when(s.created_at), "confirmed_at": _when(s.confirmed_at)}
        for s in subscriptions_for(email)
    ]
    return data


# Correcting the profile


class ProfileForm(forms.ModelForm):
    """The person's own profile, every field but the address the link was sent to.

    Saving goes through the model's validation (``full_clean``), as in the admin.
    """

    languages = DistinctMultipleChoiceField(
        label=_("languages"),
        choices=language_choices,
        required=False,
        help_text=_("Languages the person is happy to talk in."),
    )
    contact_methods = DistinctMultipleChoiceField(
        label=_("ways of keeping in touch"),
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Participant
        fields = [name for name in PROFILE_FIELDS if name != "email"]
        field_classes = dict.fromkeys(["name", "city", "workplace", "role"], OneLineField)


# Withdrawing consent and erasing


def _withdraw_photos(email):
    from ..photos.models import PhotoSubmission
    from ..photos.moderation import withdraw

    submissions = photo_submissions_for(email).exclude(status=PhotoSubmission.Status.WITHDRAWN)
    for submission in submissions:
        withdraw(submission)
    return len(submissions)


def withdraw_consent(email):
    """Hide what the person published and stop e-mailing them.

    Their photos are withdrawn, their comments kept without their name, their
    comment subscriptions and pending applications deleted, and their
    participant record marked so that no programme e-mail goes to them.
    """
    with transaction.atomic():
        _withdraw_photos(email)
        erase_commenter(email, anonymise=True)
        applications_for(email).filter(confirmed_at__isnull=True).delete()
        participant = participant_with_email(email)
        if participant is not None:
            participant.consent_given_at = None
            participant.consent_withdrawn_at = participant.consent_withdrawn_at or timezone.now()
            participant.save(update_fields=["consent_given_at", "consent_withdrawn_at"])
        return participant


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
    count = 0
    for model in (ModelLogEntry, PageLogEntry):
        matches = Q()
        for value in values:
            if value:
                matches |= Q(label__icontains=value) | Q(data__icontains=value)
        for entry in model.objects.filter(matches):
            entry.label = _scrub(entry.label, pattern, replacement)
            entry.data = _scrub(entry.data, pattern, replacement)
            entry.save(update_fields=["label", "data"])
            count += 1
    if apps.is_installed("django.contrib.admin"):
        from django.contrib.admin.models import LogEntry

        matches = Q()
        for value in values:
            if value:
                matches |= Q(object_repr__icontains=value) | Q(change_message__icontains=value)
        for entry in LogEntry.objects.filter(matches):
            entry.object_repr = _scrub(entry.object_repr, pattern, replacement)
            entry.change_message = _scrub(entry.change_message, pattern, replacement)
            entry.save(update_fields=["object_repr", "change_message"])
            count += 1
    return count


def _erase_published(email):
    DataLink.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    ).delete()
    _withdraw_photos(email)
    photo_submissions_for(email).update(credit_name="", email="", story="")
    erase_commenter(email, anonymise=True)
    subscriptions_for(email).delete()
    applications_for(email).delete()


def erase_participant(participant):
    """Anonymise ``participant`` and everything sent from their address; idempotent.

    Kept: country, kind of workplace, enrolments (and so partnerships) and
    check-in answers, which round figures are counted from; they now point at
    the anonymised record. Gone: name, address and every other field
    that says who the person is; their applications and comment subscriptions;
    their photos (withdrawn, with the submitter's name, address and story blanked);
    their name on comments; their name and address in admin log entries.
    """
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        email, name = participant.email, participant.name
        if participant.erased_at is None:
            _erase_published(email)
        # Stored data, not a message: in the site's language, whoever erases.
        with translation.override(settings.LANGUAGE_CODE):
            replacement = str(ERASED_NAME)
        participant.name = replacement
        participant.email = f"erased-{participant.pk}@erased.invalid"
        for field in (
            "city",
            "time_zone",
            "workplace",
            "workplace_size",
            "role",
            "day_to_day",
            "career_path",
            "hopes_career",
            "hopes_partnership",
            "contact_frequency",
            "consent_version",
        ):
            setattr(participant, field, "")
        participant.languages = []
        participant.contact_methods = []
        participant.consent_given_at = None
        participant.consent_withdrawn_at = participant.consent_withdrawn_at or timezone.now()
        participant.erased_at = participant.erased_at or timezone.now()
        participant.save()
        if email != participant.email:
            scrub_log_entries([email, name], replacement)
        if isinstance(participant, index.Indexed):
            index.insert_or_update_object(participant)
    return participant


def erase_data(email):
    """Erase everything held about ``email``: the participant if there is one, and the rest."""
    participant = participant_with_email(email)
    if participant is not None:
        return erase_participant(participant)
    with transaction.atomic():
        _erase_published(email)
        scrub_log_entries([email], gettext("erased"))
    return None
