"""People see, correct, download, withdraw and erase their data; old records are forgotten."""

import datetime
import io
import json
import re
import time
import uuid
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail, signing
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import (
    EnrolmentFactory,
    ParticipantFactory,
    PartnershipFactory,
    PhotoSubmissionFactory,
    RoundFactory,
)
from wagtail_iln.applications.confirm import confirm_application
from wagtail_iln.comments.models import Comment, CommentSubscription, email_hash
from wagtail_iln.comments.moderation import notify_subscribers
from wagtail_iln.models import (
    Application,
    DataLink,
    Enrolment,
    Follower,
    Participant,
    Partnership,
    PhotoSubmission,
    TopicOptOut,
)
from wagtail_iln.photos import moderation as photo_moderation
from wagtail_iln.photos.gallery import approved_photos
from wagtail_iln.privacy.data_rights import DATA_SALT, data_token, erase_participant
from wagtail_iln.privacy.retention import anonymise_expired_participants
from wagtail_iln.programme.models import PartnershipMember
from wagtail_iln.programme.stats import round_stats

EMAIL = "ana.souza@example.org"
NAME = "Ana Souza"
REQUEST_URL = "/iln/my-data/"


def link(email=EMAIL):
    return f"/iln/my-data/{data_token(email)}/"


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def round(db):
    return RoundFactory(name="2025 round", status="running")


@pytest.fixture
def ana(round):
    ana = ParticipantFactory(
        name=NAME,
        email=EMAIL,
        country="BR",
        city="Recife",
        workplace_kind="public",
        workplace="Biblioteca Municipal",
        role="Children's librarian",
        hopes_partnership="Ideas for reaching teenagers.",
        consent_given_at=timezone.now(),
        consent_version="2025-01",
    )
    partner = ParticipantFactory(name="Kofi Mensah", email="kofi@example.org", country="GH")
    mine = EnrolmentFactory(participant=ana, round=round, status="accepted")
    theirs = EnrolmentFactory(participant=partner, round=round, status="accepted")
    partnership = PartnershipFactory(round=round)
    PartnershipMember.objects.create(partnership=partnership, enrolment=mine)
    PartnershipMember.objects.create(partnership=partnership, enrolment=theirs)
    return ana


@pytest.fixture
def published(ana, topic_page):
    """Ana's approved photo, a pending application, a comment and a subscription."""
    submission = PhotoSubmissionFactory(email=EMAIL.upper(), credit_name=NAME)
    photo_moderation.approve(submission, None)
    Application.objects.create(
        round=RoundFactory(name="2026 round"),
        email=EMAIL,
        data={"name": NAME, "role": "Head of children's"},
        form_key=uuid.uuid4(),
        consent_version="2025-01",
        consent_given_at=timezone.now(),
    )
    comment = Comment.objects.create(
        thread_key=topic_page.translation_key,
        page=topic_page,
        language="en",
        name=NAME,
        email_hash=email_hash(EMAIL),
        email=EMAIL,
        body="Our reading club meets on Saturdays.",
        status=Comment.Status.APPROVED,
    )
    CommentSubscription.objects.create(
        thread_key=topic_page.translation_key,
        email=EMAIL,
        email_hash=email_hash(EMAIL),
        language="en",
        confirmed_at=timezone.now(),
    )
    return {"submission": PhotoSubmission.objects.get(pk=submission.pk), "comment": comment}


# Asking for the link


def test_the_answer_is_the_same_for_known_and_unknown_addresses(
    client, ana, django_capture_on_commit_callbacks
):
    form = client.get(REQUEST_URL)
    assert form.status_code == 200
    assert BeautifulSoup(form.content, "html.parser").select_one("form[data-iln-data-request]")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(REQUEST_URL, {"email": EMAIL.upper()})
        unknown = client.post(REQUEST_URL, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content.replace(b"csrfmiddlewaretoken", b"") == unknown.content.replace(
        b"csrfmiddlewaretoken", b""
    )
    assert "If we hold data for this address" in text_of(known)
    [message] = mail.outbox
    assert [address.lower() for address in message.to] == [EMAIL]
    path = re.search(r"http://testserver(/iln/my-data/\S+/)", message.body).group(1)
    assert NAME in client.get(path).content.decode()


def test_asking_too_often_is_refused(client, db):
    with override_settings(WAGTAIL_ILN={"DATA_REQUEST_RATE_LIMIT": (2, 60)}):
        for _ in range(2):
            assert client.post(REQUEST_URL, {"email": "x@example.org"}).status_code == 200
        assert client.post(REQUEST_URL, {"email": "x@example.org"}).status_code == 429
    assert mail.outbox == []


def test_a_bad_address_is_an_error(client, db):
    assert client.post(REQUEST_URL, {"email": "nope"}).status_code == 400


# The link


def test_the_link_shows_the_data_held(client, published):
    page = client.get(link(EMAIL.upper()))
    assert page.status_code == 200
    text = text_of(page)
    for expected in (
        "2025 round",
        "Kofi Mensah",
        "2026 round",  # the pending application
        "The reading room window",
        "Our reading club meets on Saturdays.",
        "2025-01",
        "Recife",
    ):
        assert expected in text or expected in page.content.decode(), expected


def test_the_json_download_is_complete(client, published):
    response = client.get(link() + "?format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["participant"]["profile"]["name"] == NAME
    assert data["participant"]["profile"]["country"] == "BR"
    assert data["participant"]["consent_version"] == "2025-01"
    assert data["rounds"][0]["round"] == "2025 round"
    assert data["rounds"][0]["partners"] == ["Kofi Mensah"]
    assert data["applications"][0]["data"]["role"] == "Head of children's"
    assert data["photo_submissions"][0]["status"] == "approved"
    assert data["comments"][0]["body"] == "Our reading club meets on Saturdays."
    assert len(data["comment_subscriptions"]) == 1


def profile_post(participant, **changes):
    data = {
        "action": "correct",
        "name": participant.name,
        "country": participant.country.code,
        "city": participant.city,
        "time_zone": participant.time_zone,
        "languages": participant.languages,
        "workplace": participant.workplace,
        "workplace_kind": participant.workplace_kind,
        "workplace_size": participant.workplace_size,
        "role": participant.role,
        "day_to_day": "",
        "career_path": "",
        "hopes_career": "",
        "hopes_partnership": participant.hopes_partnership,
        "contact_frequency": participant.contact_frequency,
        "contact_methods": participant.contact_methods,
    }
    data.update(changes)
    return data


def test_correcting_the_profile(client, ana):
    response = client.post(link(), profile_post(ana, city="Olinda", languages=["pt", "en"]))
    assert response.status_code == 200
    assert "Your profile has been corrected." in text_of(response)
    ana.refresh_from_db()
    assert (ana.city, ana.languages, ana.email) == ("Olinda", ["pt", "en"], EMAIL)


@pytest.mark.parametrize(
    "changes",
    [{"time_zone": "Mars/Olympus"}, {"name": ""}, {"country": "XX"}, {"contact_methods": ["owl"]}],
)
def test_invalid_corrections_change_nothing(client, ana, changes):
    before = Participant.objects.values().get(pk=ana.pk)
    response = client.post(link(), profile_post(ana, city="Olinda", **changes))
    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").select(".iln-field__error")
    assert Participant.objects.values().get(pk=ana.pk) == before


def test_a_correction_keeps_each_choice_once(client, ana):
    changes = {"languages": ["en"] * 900, "contact_methods": ["email", "email"] * 40}
    assert client.post(link(), profile_post(ana, **changes)).status_code == 200
    ana.refresh_from_db()
    assert (ana.languages, ana.contact_methods) == (["en"], ["email"])
    response = client.post(link(), profile_post(ana, languages=[f"x{n}" for n in range(900)]))
    assert response.status_code == 400
    assert "Choose at most" in text_of(response)


def test_a_correction_loses_its_direction_controls(client, ana):
    rlo, lri, pdi = "\u202e", "\u2066", "\u2069"
    changes = {"name": f"Ana{rlo}azuoS", "city": f"{lri}Olinda{pdi}", "role": f"Head{rlo}"}
    assert client.post(link(), profile_post(ana, **changes)).status_code == 200
    ana.refresh_from_db()
    assert (ana.name, ana.city, ana.role) == ("AnaazuoS", "Olinda", "Head")


def test_the_email_cannot_be_changed_through_the_link(client, ana):
    client.post(link(), profile_post(ana, email="someone@else.org"))
    ana.refresh_from_db()
    assert ana.email == EMAIL


def test_withdrawing_consent_hides_photos_and_stops_e_mails(
    client, published, ana, topic_page, django_capture_on_commit_callbacks
):
    campaign = published["submission"].campaign
    assert list(approved_photos(campaign)) == [published["submission"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(), {"action": "withdraw"})
    assert response.status_code == 200
    assert "Your consent is withdrawn" in text_of(response)
    assert list(approved_photos(campaign)) == []
    comment = Comment.objects.get(pk=published["comment"].pk)
    assert (comment.name, comment.email, comment.email_hash) == ("", "", "")
    assert not CommentSubscription.objects.exists()
    ana.refresh_from_db()
    assert ana.consent_given_at is None
    assert ana.consent_withdrawn_at is not None
    assert not ana.may_be_emailed
    assert ana not in Participant.objects.reachable()

    # A new comment in the thread tells nobody at Ana's address.
    other = Comment.objects.create(
        thread_key=topic_page.translation_key,
        page=topic_page,
        language="en",
        name="Kofi",
        email_hash=email_hash("kofi@example.org"),
        body="Hello!",
        status=Comment.Status.APPROVED,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_subscribers(other)
    assert all(EMAIL not in message.to for message in mail.outbox)


# Erasure


def dump():
    buffer = io.StringIO()
    call_command("dumpdata", stdout=buffer)
    return buffer.getvalue()


def all_stats(round):
    stats = round_stats(round)
    return (
        stats.participants,
        stats.countries,
        stats.returning,
        [(c.country.code, c.count) for c in stats.per_country],
        [(k.kind, k.count) for k in stats.workplace_kinds],
    )


def test_erasing_through_the_link(client, published, ana, round):
    stats_before = all_stats(round)
    confirm = client.get(link() + "?step=erase")
    assert confirm.status_code == 200
    assert BeautifulSoup(confirm.content, "html.parser").select_one("form[data-iln-erase-confirm]")
    assert Participant.objects.get(pk=ana.pk).name == NAME  # the GET changed nothing

    response = client.post(link(), {"action": "erase"})
    assert response.status_code == 200
    assert "Your data has been erased." in text_of(response)
    ana.refresh_from_db()
    assert ana.name == "Erased participant"
    assert ana.email == f"erased-{ana.pk}@erased.invalid"
    assert (ana.country.code, ana.workplace_kind) == ("BR", "public")
    assert (ana.city, ana.workplace, ana.role, ana.hopes_partnership, ana.time_zone) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert ana.languages == ana.contact_methods == []
    assert ana.erased_at is not None
    assert Enrolment.objects.filter(participant=ana).count() == 1
    assert not Application.objects.exists()
    submission = PhotoSubmission.objects.get(pk=published["submission"].pk)
    assert (submission.status, submission.email, submission.credit_name, submission.story) == (
        "withdrawn",
        "",
        "",
        "",
    )
    assert all_stats(round) == stats_before

    # The link now finds nothing.
    assert NAME not in client.get(link()).content.decode()


def test_after_erasure_the_address_and_name_are_nowhere_in_the_database(
    published, ana, round, admin_user
):
    ModelLogEntry.objects.log_action(ana, "wagtail.create", user=admin_user)
    ModelLogEntry.objects.log_action(
        ana, "wagtail.edit", user=admin_user, data={"note": f"{NAME} <{EMAIL}>"}
    )
    stats_before = all_stats(round)
    before = dump()
    assert EMAIL in before.lower()
    assert NAME in before
    erase_participant(ana)
    after = dump()
    assert EMAIL not in after.lower()
    assert NAME not in after
    assert all_stats(round) == stats_before
    # Erasing again changes nothing and does not fail.
    erase_participant(ana)
    assert dump().count("Erased participant") == after.count("Erased participant")


def test_participants_are_not_in_the_search_index():
    from wagtail.search import index

    # If this changes, erase_participant re-indexes the anonymised record.
    assert not issubclass(Participant, index.Indexed)


def test_translating_a_round_puts_no_personal_data_in_wagtail_localize(
    ana, round, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale
    from wagtail_localize.models import String, TranslationSource

    french = Locale.objects.create(language_code="fr")
    with django_capture_on_commit_callbacks(execute=True):
        source, _ = TranslationSource.get_or_create_from_instance(round)
        translation_ = source.translations.create(target_locale=french)
        po = translation_.export_po()
        for entry in po:
            entry.msgstr = entry.msgid
        translation_.import_po(po)
        translation_.save_target(publish=True)
    values = list(String.objects.values_list("data", flat=True))
    assert "2025 round" in values
    for field in ("name", "email", "city", "workplace", "role", "hopes_partnership"):
        value = getattr(ana, field)
        assert all(value not in string for string in values), field


# The admin


def admin_url(action, participant):
    return f"/admin/snippets/wagtail_iln/participant/{action}/{participant.pk}/"


def test_an_editor_downloads_and_erases_from_the_admin(admin_client, published, ana, round):
    inspect = admin_client.get(admin_url("inspect", ana)).content.decode()
    assert admin_url("data", ana) in inspect
    assert admin_url("erase", ana) in inspect

    download = admin_client.get(admin_url("data", ana))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["participant"]["profile"]["email"] == EMAIL

    stats_before = all_stats(round)
    confirm = admin_client.get(admin_url("erase", ana))
    assert confirm.status_code == 200
    assert NAME in confirm.content.decode()
    assert Participant.objects.get(pk=ana.pk).name == NAME
    response = admin_client.post(admin_url("erase", ana))
    assert response.status_code == 302
    assert Participant.objects.get(pk=ana.pk).name == "Erased participant"
    assert all_stats(round) == stats_before


def test_editors_without_the_delete_permission_are_refused(client, ana, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(user)
    inspect = client.get(admin_url("inspect", ana))
    assert inspect.status_code == 200
    assert admin_url("erase", ana) not in inspect.content.decode()
    assert client.get(admin_url("data", ana)).status_code in (302, 403)
    assert client.get(admin_url("erase", ana)).status_code in (302, 403)
    assert client.post(admin_url("erase", ana)).status_code in (302, 403)
    assert Participant.objects.get(pk=ana.pk).name == NAME


# Bad links


def test_nobody_reading_a_link_learns_whose_data_it_opens(client, ana):
    token = data_token(EMAIL)
    # The link carries the id of the request it answers, signed; the address stays in the database.
    assert isinstance(signing.loads(token, salt=DATA_SALT), int)
    assert NAME in client.get(f"/iln/my-data/{token}/").content.decode()


def test_tampered_and_expired_links_are_refused(client, ana):
    token = data_token(EMAIL)
    tampered = client.get(f"/iln/my-data/{token[:-2]}xx/")
    assert tampered.status_code == 404
    assert NAME not in tampered.content.decode()
    forged = signing.dumps(EMAIL, salt="another.salt")
    assert client.get(f"/iln/my-data/{forged}/").status_code == 404
    # Signed with the right key, but with the address in the clear as links once were.
    clear = signing.dumps(EMAIL, salt=DATA_SALT)
    assert client.get(f"/iln/my-data/{clear}/").status_code == 404
    assert client.post(f"/iln/my-data/{forged}/", {"action": "erase"}).status_code == 404
    with override_settings(WAGTAIL_ILN={"DATA_LINK_DAYS": 2}):
        with mock.patch("time.time", return_value=time.time() - 3 * 86400):
            token = signing.dumps(EMAIL, salt=DATA_SALT)
        expired = client.get(f"/iln/my-data/{token}/")
    assert expired.status_code == 404
    assert "This link has expired." in text_of(expired)
    assert client.post(f"/iln/my-data/{token}/", {"action": "erase"}).status_code == 404
    assert Participant.objects.get(pk=ana.pk).name == NAME


# Retention


def test_retention_dry_run_then_real_run_idempotent(db):
    today = timezone.localdate()
    old_round = RoundFactory(
        starts_on=today - datetime.timedelta(days=1000),
        ends_on=today - datetime.timedelta(days=900),
    )
    recent_round = RoundFactory(
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=10),
    )
    gone = EnrolmentFactory(round=old_round, participant__name="Old Timer").participant
    back = EnrolmentFactory(round=old_round, participant__name="Came Back").participant
    EnrolmentFactory(round=recent_round, participant=back)
    current = EnrolmentFactory(round=recent_round, participant__name="Current").participant
    stats_before = all_stats(old_round)

    out = io.StringIO()
    call_command("iln_apply_retention", "--dry-run", stdout=out)
    assert "1 participant(s) would be anonymised." in out.getvalue()
    assert Participant.objects.get(pk=gone.pk).name == "Old Timer"

    out = io.StringIO()
    call_command("iln_apply_retention", stdout=out)
    assert "1 participant(s) anonymised." in out.getvalue()
    assert Participant.objects.get(pk=gone.pk).name == "Erased participant"
    assert Participant.objects.get(pk=back.pk).name == "Came Back"
    assert Participant.objects.get(pk=current.pk).name == "Current"
    assert all_stats(old_round) == stats_before

    out = io.StringIO()
    call_command("iln_apply_retention", stdout=out)
    assert "0 participant(s) anonymised." in out.getvalue()

    # Later, the others' time comes too.
    assert anonymise_expired_participants(today=today + datetime.timedelta(days=800)) == 2


def test_retention_forgets_the_addresses_of_expired_data_links(db):
    fresh = DataLink.objects.create(email="fresh@example.org")
    DataLink.objects.create(
        email="old@example.org", created_at=timezone.now() - datetime.timedelta(days=3)
    )
    out = io.StringIO()
    call_command("iln_apply_retention", stdout=out)
    assert list(DataLink.objects.all()) == [fresh]
    assert "1 expired personal data link(s) forgotten." in out.getvalue()


def test_retention_can_be_turned_off(db):
    today = timezone.localdate()
    old_round = RoundFactory(
        starts_on=today - datetime.timedelta(days=1000),
        ends_on=today - datetime.timedelta(days=900),
    )
    EnrolmentFactory(round=old_round)
    with override_settings(WAGTAIL_ILN={"PARTICIPANT_RETENTION_DAYS": None}):
        out = io.StringIO()
        call_command("iln_apply_retention", stdout=out)
        assert "Retention is off" in out.getvalue()
        assert anonymise_expired_participants() == 0


def test_the_retention_task_runs(db):
    from wagtail_iln.privacy.retention import apply_retention

    result = apply_retention.enqueue()
    assert result.return_value == 0


# Check-ins


def test_check_ins_are_shown_exported_and_kept_anonymously_on_erasure(client, ana, round):
    from wagtail_iln.health.checkins import record_check_in
    from wagtail_iln.models import CheckIn

    partnership = PartnershipMember.objects.get(enrolment__participant=ana).partnership
    answered = timezone.make_aware(datetime.datetime(2025, 4, 10, 12, 0))
    record_check_in(partnership, ana, 2, "in_touch", now=answered)

    page = client.get(link())
    assert "Check-in of April 10, 2025: We've been in touch" in text_of(page)
    exported = json.loads(client.get(link() + "?format=json").content)
    assert exported["check_ins"] == [
        {
            "round": "2025 round",
            "period": 2,
            "answer": "in_touch",
            "answered_at": answered.isoformat(),
        }
    ]

    stats_before = all_stats(round), round_stats(round).kept_in_touch
    erase_participant(ana)
    check_in = CheckIn.objects.get()
    assert check_in.participant_id == ana.pk
    assert check_in.participant.name == "Erased participant"
    assert (check_in.answer, check_in.period) == ("in_touch", 2)
    assert (all_stats(round), round_stats(round).kept_in_touch) == stats_before


# Withdrawing consent, asked first


def test_withdrawing_consent_asks_first_then_takes_the_person_out_of_coming_rounds(
    client, published, ana, round, django_capture_on_commit_callbacks
):
    coming = RoundFactory(name="2027 round", status="matching")
    mine = EnrolmentFactory(participant=ana, round=coming, status="accepted")
    kofi = EnrolmentFactory(round=coming, status="accepted", participant__name="Kofi Boateng")
    PartnershipFactory(round=coming, status="proposed", members=[mine, kofi])
    page = BeautifulSoup(client.get(link()).content, "html.parser")
    confirm_url = page.select_one("a[data-iln-withdraw-consent]")["href"]
    assert not page.select("form input[value=withdraw]")  # no one-click withdrawal

    confirm = BeautifulSoup(client.get(link() + confirm_url).content, "html.parser")
    changes = [
        item.get_text(" ", strip=True) for item in confirm.select("[data-iln-withdraw-changes] li")
    ]
    assert changes == [
        "You are taken out of 2027 round: you will not be paired in it.",
        "Your partnership in 2025 round goes on: your partner keeps your address. "
        "Tell them yourself if you wish to stop.",
        "Your application to 2026 round, not yet confirmed, is deleted.",
        "Your photo is taken down and its file deleted.",
        "Your comment stays, without your name.",
        "New comments in discussions no longer reach you by e-mail.",
        "We will not e-mail you about the programme any more.",
    ]
    ana.refresh_from_db()
    assert ana.may_be_emailed and Partnership.objects.filter(round=coming).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(), {"action": "withdraw"})
    assert "Your consent is withdrawn" in text_of(response)
    assert "2027 round: withdrawn" in text_of(response)
    mine.refresh_from_db(), kofi.refresh_from_db()
    assert (mine.status, kofi.status) == ("withdrawn", "accepted")
    assert not Partnership.objects.filter(round=coming).exists()  # Kofi goes back to be paired
    going_on = Enrolment.objects.get(participant=ana, round=round)
    assert (going_on.status, going_on.partnership_member.partnership.status) == (
        "accepted",
        "active",
    )
    # Nothing more to withdraw: the step shows the page.
    assert not BeautifulSoup(client.get(link() + "?step=withdraw").content, "html.parser").select(
        "[data-iln-withdraw-confirm]"
    )


def test_applying_again_after_withdrawing_gives_consent_and_reopens_the_round(
    client, ana, django_capture_on_commit_callbacks
):
    coming = RoundFactory(name="2027 round", status="applications_open")
    EnrolmentFactory(participant=ana, round=coming, status="applied")
    client.post(link(), {"action": "withdraw"})
    assert Enrolment.objects.get(participant=ana, round=coming).status == "withdrawn"
    application = Application.objects.create(
        round=coming,
        email=EMAIL,
        data={"name": NAME},
        form_key=uuid.uuid4(),
        consent_version="2026-01",
        consent_given_at=timezone.now(),
    )
    confirm_application(application)
    ana.refresh_from_db()
    assert ana.may_be_emailed and ana.consent_withdrawn_at is None
    assert Enrolment.objects.get(participant=ana, round=coming).status == "applied"


# The e-mails a person receives, stopped from My data


def test_topic_e_mails_and_followed_discussions_are_stopped_from_my_data(client, ana, index_page):
    follower = Follower.objects.create(
        index=index_page, email=EMAIL.upper(), form_key=uuid.uuid4(), confirmed_at=timezone.now()
    )
    page = BeautifulSoup(client.get(link()).content, "html.parser")
    section = page.select_one("[data-iln-my-emails]")
    assert "Each new topic of your rounds reaches you by e-mail." in section.get_text()
    assert section.select_one(f"[data-iln-follow='{follower.pk}'] a")["href"] == index_page.url

    response = client.post(link(), {"action": "stop_topic_emails"})
    assert "New topics no longer reach you by e-mail." in text_of(response)
    assert TopicOptOut.objects.filter(participant=ana).exists()
    assert "Receive them again" in text_of(response)
    client.post(link(), {"action": "resume_topic_emails"})
    assert not TopicOptOut.objects.exists()

    response = client.post(link(), {"action": "stop_following", "follower": follower.pk})
    assert f"You no longer follow {index_page.title}." in text_of(response)
    assert not Follower.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "stop_following", "follower": "theirs"},  # replaced by the other's id
        {"action": "stop_following", "follower": "abc"},
        {"action": "stop_following", "follower": "999999"},
        {"action": "stop_following", "follower": "9" * 40},
        {"action": "stop_following", "follower": "-1"},
        {"action": "stop_following"},
        {"action": "stop_comment_emails"},
        {"action": "delete_everything"},
    ],
)
def test_a_post_naming_what_is_not_the_persons_changes_nothing(client, ana, index_page, data):
    theirs = Follower.objects.create(
        index=index_page,
        email="kofi@example.org",
        form_key=uuid.uuid4(),
        confirmed_at=timezone.now(),
    )
    TopicOptOut.objects.create(participant=Participant.objects.get(email="kofi@example.org"))
    if data.get("follower") == "theirs":
        data = {**data, "follower": theirs.pk}
    response = client.post(link(), data)
    assert response.status_code == 400
    assert "Nothing was changed" in text_of(response)
    assert Follower.objects.filter(pk=theirs.pk).exists()
    assert TopicOptOut.objects.count() == 1


def test_the_profile_asks_in_the_applications_words(client, ana):
    page = BeautifulSoup(client.get(link()).content, "html.parser")
    form = page.select_one("form[data-iln-profile-form]")
    labels = [" ".join(label.get_text().split()) for label in form.select("label, legend")]
    assert "What you do day to day (optional):" in labels
    assert "Languages you are happy to talk in (optional):" in labels
    # The model's help speaks of "the person" to the admin; the person reads the form's.
    assert "the person" not in form.get_text()
    # How often, as the application asks it: buttons, not a dropdown.
    assert form.select("input[type=radio][name=contact_frequency]")
    assert not form.select("select[name=contact_frequency]")


# The participant's history


def history_of(admin_client, participant):
    response = admin_client.get(admin_url("history", participant))
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("table tbody tr")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in rows]


def test_the_history_says_who_withdrew_and_erased_and_keeps_no_name(
    client, admin_client, admin_user, ana
):
    client.post(link(), {"action": "withdraw"})
    client.post(link(), {"action": "withdraw"})  # already withdrawn: no second entry
    client.post(link(), {"action": "erase"})
    erase_participant(ana)  # already erased: no second entry
    history = history_of(admin_client, ana)
    assert len(history) == 2, history
    assert "Personal data erased at the person's request, from their data page" in history[0]
    assert "Consent withdrawn by the person, from their data page" in history[1]
    page = admin_client.get(admin_url("history", ana)).content.decode()
    assert NAME not in page and EMAIL not in page.lower()

    kofi = ParticipantFactory(name="Kofi Mensah")
    admin_client.post(admin_url("erase", kofi))
    (entry,) = history_of(admin_client, kofi)
    assert "Personal data erased" in entry and admin_user.get_username() in entry
    assert "Kofi" not in entry


def test_the_history_says_the_retention_erased(admin_client, db):
    today = timezone.localdate()
    old_round = RoundFactory(
        starts_on=today - datetime.timedelta(days=1000),
        ends_on=today - datetime.timedelta(days=900),
    )
    gone = EnrolmentFactory(round=old_round, participant__name="Old Timer").participant
    anonymise_expired_participants()
    (entry,) = history_of(admin_client, gone)
    assert "Personal data erased: kept longer than the retention period" in entry


def test_a_forged_link_erases_nothing_and_writes_no_history(client, admin_client, ana):
    forged = signing.dumps(EMAIL, salt="another.salt")
    assert client.post(f"/iln/my-data/{forged}/", {"action": "erase"}).status_code == 404
    assert client.post(f"/iln/my-data/{forged}/", {"action": "withdraw"}).status_code == 404
    assert history_of(admin_client, ana) == []
    assert Participant.objects.get(pk=ana.pk).name == NAME
