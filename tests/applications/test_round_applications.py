"""A librarian applies to a round through the form embedded in a page, then confirms by e-mail."""

import datetime
import re
import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale, Page

from tests.factories import EnrolmentFactory, ParticipantFactory
from tests.helpers import APPLICATION_PROFILE as PROFILE
from tests.helpers import application_form_data as form_data
from tests.helpers import open_round
from tests.testapp.models import BlocksPage
from wagtail_iln.applications.confirm import confirm_token
from wagtail_iln.applications.forms import CONSENT_VERSION
from wagtail_iln.models import Application, Enrolment, Participant
from wagtail_iln.pageforms import email_errors

FORM = "form[data-iln-application-form]"


@pytest.fixture
def round(db):
    return open_round()


@pytest.fixture
def apply_page(site_root, round):
    page = BlocksPage(
        title="Join the network",
        slug="join",
        body=[("round_application", {"round": round, "heading": "Apply now"})],
    )
    site_root.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def confirm_path(message):
    link = re.search(r"http://testserver((?:/fr|/es)?/iln/rounds/confirm/\S+/)", message.body)
    return link.group(1)


def apply(client, page, capture, **overrides):
    action, data = form_data(page, client, **overrides)
    with capture(execute=True):
        response = client.post(action, data)
    assert response.status_code == 302, response.content.decode()
    return response


def test_an_application_counts_once_its_owner_follows_the_link(
    client, apply_page, round, django_capture_on_commit_callbacks
):
    action, data = form_data(apply_page, client)
    assert action == f"/iln/rounds/{round.pk}/apply/?page={apply_page.pk}#iln-round-{round.pk}-form"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/iln/rounds/{round.pk}/apply/?page={apply_page.pk}&iln-applied={round.pk}"
        f"#iln-round-{round.pk}"
    )
    thanks = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "We have sent you an e-mail" in thanks.select_one(".iln-notice").get_text()
    assert thanks.select_one(FORM) is None
    # The thank-you leads back to the topic the applicant came from.
    assert thanks.select_one(".iln-application-form__back a")["href"] == "/join/"

    # Nothing about the person is stored yet: only the pending application.
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()
    application = Application.objects.get()
    assert application.email == "ana@example.org"
    assert application.round == round
    assert application.data["languages"] == ["pt", "en"]
    assert application.consent_version == CONSENT_VERSION
    assert application.consent_given_at is not None
    assert application.confirmed_at is None
    assert application.language == "en"

    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Confirm your application to 2026 round"
    assert message.body.startswith("Hello Ana Souza,")
    url = confirm_path(message)

    # Opening the link (a person, or a mail scanner) only shows the button.
    page = client.get(url)
    assert page.status_code == 200
    html = BeautifulSoup(page.content, "html.parser")
    assert html.select_one("main form[method=post] button") is not None
    assert "ana@example.org" in html.get_text()
    assert not Participant.objects.exists()
    assert Application.objects.get().confirmed_at is None

    done = client.post(url)
    assert done.status_code == 200
    notice = BeautifulSoup(done.content, "html.parser").select_one(".iln-notice--success")
    assert "Your application to 2026 round is confirmed" in notice.get_text()

    participant = Participant.objects.get()
    for name, value in PROFILE.items():
        assert getattr(participant, name) == value, name
    assert participant.consent_version == CONSENT_VERSION
    assert participant.consent_given_at == application.consent_given_at
    enrolment = Enrolment.objects.get()
    assert (enrolment.participant, enrolment.round, enrolment.status) == (
        participant,
        round,
        "applied",
    )
    # The profile is not kept twice.
    assert Application.objects.get().data == {}

    # The link works once.
    again = client.post(url)
    assert again.status_code == 200
    assert Participant.objects.count() == Enrolment.objects.count() == 1
    assert participant.updated_at == Participant.objects.get().updated_at


def test_typing_someone_elses_address_changes_nothing_until_they_confirm(
    client, apply_page, round, django_capture_on_commit_callbacks
):
    owner = ParticipantFactory(email="Maria@Example.org", name="Maria Lopez", role="Director")
    before = Participant.objects.values().get()
    apply(
        Client(),
        apply_page,
        django_capture_on_commit_callbacks,
        email="maria@example.org",
        name="Not Maria",
        role="Impostor",
    )
    # Same answer as for anyone; the profile and enrolments are untouched.
    assert Participant.objects.values().get() == before
    assert not Enrolment.objects.exists()
    # The link goes to the owner's mailbox, not to the person who typed the address.
    [message] = mail.outbox
    assert message.to == ["maria@example.org"]

    # Only following it would change the profile; the owner sees what would be
    # saved, and can just leave the page.
    url = confirm_path(message)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    summary = page.select_one(".iln-application-confirm__summary").get_text()
    assert "Not Maria" in summary
    assert "Impostor" in summary
    assert "Brazil" in summary
    assert Participant.objects.values().get() == before
    client.post(url)
    owner.refresh_from_db()
    assert owner.name == "Not Maria"
    assert owner.email == "Maria@Example.org"
    assert Participant.objects.count() == 1


def test_applying_again_updates_the_profile_and_keeps_the_enrolment(
    client, apply_page, round, django_capture_on_commit_callbacks
):
    participant = ParticipantFactory(email="ana@example.org", role="Assistant")
    enrolment = EnrolmentFactory(participant=participant, round=round, status="accepted")
    apply(client, apply_page, django_capture_on_commit_callbacks, email="ANA@example.org")
    client.post(confirm_path(mail.outbox[-1]))
    participant.refresh_from_db()
    assert participant.role == "Children's librarian"
    assert participant.time_zone == "America/Recife"
    assert Enrolment.objects.get() == enrolment
    assert Enrolment.objects.get().status == "accepted"

    apply(client, apply_page, django_capture_on_commit_callbacks, role="Head of children's")
    client.post(confirm_path(mail.outbox[-1]))
    assert Participant.objects.get().role == "Head of children's"
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("when", ["before", "after"])
def test_outside_the_application_window_the_form_says_so_and_posts_are_refused(
    client, apply_page, round, when
):
    action, data = form_data(apply_page, client)
    now = timezone.now()
    if when == "before":
        round.applications_open_at = now + datetime.timedelta(days=2)
        expected = "Applications to this round open on"
    else:
        round.applications_close_at = now - datetime.timedelta(minutes=1)
        expected = "Applications to this round closed on"
    round.save()
    page = BeautifulSoup(client.get(apply_page.url).content, "html.parser")
    assert page.select_one("a[data-iln-apply-link]") is None
    assert expected in page.select_one(".iln-application-block").get_text()
    own_page = BeautifulSoup(client.get(action).content, "html.parser")
    assert own_page.select_one(FORM) is None
    assert expected in own_page.select_one(".iln-application-form").get_text()
    response = client.post(action, data)
    assert response.status_code == 403
    assert expected in response.content.decode()
    assert not Application.objects.exists()
    assert mail.outbox == []


def test_a_round_without_an_opening_time_takes_no_applications(client, apply_page, round):
    action, data = form_data(apply_page, client)
    round.applications_open_at = None
    round.save()
    page = BeautifulSoup(client.get(apply_page.url).content, "html.parser")
    assert page.select_one("a[data-iln-apply-link]") is None
    assert client.post(action, data).status_code == 403


BAD_INPUT = {
    "bad e-mail": {"email": "ana@"},
    "header injection in e-mail": {"email": "ana@example.org\nBcc: x@example.org"},
    "unknown country": {"country": "XX"},
    "bad time zone": {"time_zone": "Mars/Olympus_Mons"},
    "unknown language code": {"languages": ["en", "zz"]},
    "unknown contact method": {"contact_methods": ["carrier_pigeon"]},
    "unknown kind of workplace": {"workplace_kind": "castle"},
    "missing consent": {"consent": ""},
    "missing time zone": {"time_zone": ""},
    "10,000-character text": {"hopes_partnership": "x" * 10_000},
    "10,000-character line": {"workplace": "x" * 10_000},
    "honeypot filled": {"website": "http://spam.example"},
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_refused_with_a_clear_error_and_stores_nothing(client, apply_page, case):
    action, data = form_data(apply_page, client, **BAD_INPUT[case])
    response = client.post(action, data)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    errors = [e.get_text().strip() for e in page.select(".iln-error-summary li, .iln-field__error")]
    assert errors, "the form says what is wrong"
    assert all(errors)
    assert not Application.objects.exists()
    assert not Participant.objects.exists()
    assert mail.outbox == []
    # What the visitor typed is kept.
    form = page.select_one(FORM)
    assert form.select_one("input[name=name]")["value"] == "Ana Souza"
    assert form.select_one("input[name=city]")["value"] == "Recife"
    assert form.select_one("textarea[name=day_to_day]").get_text().strip() == PROFILE["day_to_day"]
    if case != "unknown country":
        assert form.select_one("select[name=country] option[selected]")["value"] == "BR"


def test_the_errors_name_what_is_wrong(client, apply_page):
    action, data = form_data(
        apply_page,
        client,
        time_zone="Mars/Olympus_Mons",
        languages=["en", "zz"],
        hopes_partnership="x" * 10_000,
    )
    page = BeautifulSoup(client.post(action, data).content, "html.parser")

    def errors(name):
        field = page.select_one(f".iln-field--{name}")
        return " ".join(e.get_text() for e in field.select(".iln-field__error"))

    assert "“Mars/Olympus_Mons” is not a time zone name such as Europe/Paris." in errors(
        "time_zone"
    )
    assert "Unknown language code: zz." in errors("languages")
    assert "at most 2000 characters" in errors("hopes_partnership")


def test_an_empty_form_says_what_to_do_for_each_field(client, apply_page):
    empty = dict.fromkeys(
        ["name", "email", "country", "time_zone", "workplace_kind", "hopes_partnership"], ""
    )
    action, data = form_data(apply_page, client, consent="", **empty)
    for name in ("languages", "contact_frequency"):
        data.pop(name)
    page = BeautifulSoup(client.post(action, data).content, "html.parser")

    def error(name):
        return page.select_one(f".iln-field--{name} .iln-field__error").get_text()

    assert error("name") == "Enter your name."
    assert error("email") == "Enter your e-mail address: we send a link to it."
    assert error("country") == "Choose the country you work in."
    assert error("time_zone") == "Choose your time zone."
    assert error("languages") == "Choose at least one language you are happy to talk in."
    assert error("workplace_kind") == "Choose the kind of library you work in."
    assert error("contact_frequency") == "Choose how often you would like to be in touch."
    assert error("consent") == "Tick the box to agree, or we cannot take your application."
    # The summary names the consent briefly, not by its whole paragraph.
    summary = [link.get_text() for link in page.select(".iln-error-summary a")]
    assert "Your consent — Tick the box to agree, or we cannot take your application." in summary
    assert not any("I agree" in line for line in summary)
    assert "This field is required." not in page.get_text()


def test_a_mistyped_address_is_explained_in_the_readers_words(client, apply_page):
    action, data = form_data(apply_page, client, email="ana.example.org")
    page = BeautifulSoup(client.post(action, data).content, "html.parser")
    error = page.select_one(".iln-field--email .iln-field__error").get_text()
    assert error == "Enter an e-mail address such as name@example.org."
    with translation.override("es"):
        # Django's own Spanish says "Introduzca" (usted); the site speaks "tú".
        assert str(email_errors("")["invalid"]) == (
            "Escribe una dirección de correo electrónico como nombre@ejemplo.org."
        )


def test_html_typed_into_the_form_comes_back_escaped(client, apply_page):
    action, data = form_data(apply_page, client, name="<script>alert('n')</script>", consent="")
    html = client.post(action, data).content.decode()
    assert "<script>alert('n')</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_form_refuses_posts_without_csrf(apply_page, django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    action, data = form_data(apply_page, strict)
    token = data.pop("csrfmiddlewaretoken")
    assert strict.post(action, data).status_code == 403
    assert not Application.objects.exists()
    data["csrfmiddlewaretoken"] = token
    with django_capture_on_commit_callbacks(execute=True):
        assert strict.post(action, data).status_code == 302
    # The confirmation button is a form with its own token.
    url = confirm_path(mail.outbox[-1])
    assert strict.post(url).status_code == 403
    assert not Participant.objects.exists()
    html = BeautifulSoup(strict.get(url).content, "html.parser")
    button_token = html.select_one("main form input[name=csrfmiddlewaretoken]")["value"]
    assert strict.post(url, {"csrfmiddlewaretoken": button_token}).status_code == 200
    assert Participant.objects.exists()


def test_applications_with_mistakes_do_not_count_toward_the_limit(client, apply_page):
    statuses = []
    for _ in range(5):
        action, data = form_data(apply_page, client, consent="")
        statuses.append(client.post(action, data).status_code)
    assert statuses == [400] * 5
    action, data = form_data(apply_page, client)
    assert client.post(action, data).status_code == 302
    assert Application.objects.count() == 1


@override_settings(WAGTAIL_ILN={"APPLICATION_RATE_LIMIT": (2, 3600)})
def test_the_rate_limit_counts_applications_sent_and_a_forged_header_does_not_reset_it(
    client, apply_page
):
    for n in range(2):
        action, data = form_data(apply_page, client, email=f"person{n}@example.org")
        assert client.post(action, data).status_code == 302
    for n, fields in enumerate([{"email": "third@example.org"}, {"consent": ""}]):
        action, data = form_data(apply_page, client, **fields)
        response = client.post(action, data, headers={"x-forwarded-for": f"10.0.0.{n}"})
        assert response.status_code == 429
        notice = BeautifulSoup(response.content, "html.parser").select_one(".iln-notice--error")
        assert notice.get_text(strip=True) == (
            "You have sent many applications in a short time. Please try again later."
        )
    assert Application.objects.count() == 2


@override_settings(WAGTAIL_ILN={"INVALID_POST_RATE_LIMIT": (3, 3600)})
def test_a_flood_of_applications_with_mistakes_meets_its_own_ceiling(client, apply_page):
    statuses = []
    for n in range(6):
        action, data = form_data(apply_page, client, consent="", email=f"x{n}")
        statuses.append(client.post(action, data).status_code)
    assert statuses == [400] * 3 + [429] * 3
    action, data = form_data(apply_page, client)
    response = client.post(action, data)
    assert response.status_code == 429
    assert "sent with mistakes many times" in response.content.decode()
    assert not Application.objects.exists() and mail.outbox == []


def test_a_replayed_post_makes_one_application(
    client, apply_page, django_capture_on_commit_callbacks
):
    action, data = form_data(apply_page, client)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(action, data)
        second = client.post(action, data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1


def test_tampered_and_unknown_links_are_refused(
    client, apply_page, django_capture_on_commit_callbacks
):
    apply(client, apply_page, django_capture_on_commit_callbacks)
    url = confirm_path(mail.outbox[-1])
    token = url.rstrip("/").rsplit("/", 1)[1]
    pk, rest = token.split(":", 1)
    forged = Application.objects.get()
    other = url.replace(token, f"{forged.pk + 1}:{rest}")
    for bad in (url.replace("/confirm/", "/confirm/x"), url[:-3] + "/", other):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 404
            assert "This link is not valid" in response.content.decode()
    assert not Participant.objects.exists()


def test_an_expired_link_says_so_and_changes_nothing(
    client, apply_page, django_capture_on_commit_callbacks
):
    apply(client, apply_page, django_capture_on_commit_callbacks)
    application = Application.objects.get()
    # Signed more than a week ago.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 86400):
        old_token = confirm_token(application)
    # Or a fresh signature on an application from more than a week ago.
    fresh_url = confirm_path(mail.outbox[-1])
    Application.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    for url in (f"/iln/rounds/confirm/{old_token}/", fresh_url):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404
            assert "This link has expired" in response.content.decode()
    assert not Participant.objects.exists()


@override_settings(WAGTAIL_ILN={"APPLICATION_CONFIRM_DAYS": 30})
def test_the_expiry_is_a_setting(client, apply_page, django_capture_on_commit_callbacks):
    apply(client, apply_page, django_capture_on_commit_callbacks)
    Application.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert client.post(confirm_path(mail.outbox[-1])).status_code == 200
    assert Participant.objects.exists()


def test_the_purge_command_deletes_expired_applications_only(
    client, apply_page, django_capture_on_commit_callbacks, capsys
):
    for email in ("old@example.org", "old-confirmed@example.org", "new@example.org"):
        apply(client, apply_page, django_capture_on_commit_callbacks, email=email)
    client.post(confirm_path(mail.outbox[1]))
    Application.objects.exclude(email="new@example.org").update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("iln_purge_applications", "--dry-run")
    assert Application.objects.count() == 3
    call_command("iln_purge_applications")
    assert "1 unconfirmed and 1 confirmed application(s) deleted." in capsys.readouterr().out
    assert list(Application.objects.values_list("email", flat=True)) == ["new@example.org"]
    call_command("iln_purge_applications")
    assert Application.objects.count() == 1
    # The participant made by the confirmed application stays.
    assert Participant.objects.get().email == "old-confirmed@example.org"


def test_on_a_french_page_errors_emails_and_the_confirmation_are_french(
    client, apply_page, site_root, django_capture_on_commit_callbacks
):
    french = Locale.objects.create(language_code="fr")
    for page in (site_root, apply_page):
        page.copy_for_translation(french).save_revision().publish()
    french_page = apply_page.get_translation(french)
    action, data = form_data(french_page, client, consent="")
    response = client.post(action, data)
    assert response.status_code == 400
    required = "Cochez la case pour donner votre accord, sans quoi nous ne pouvons pas"
    assert required in response.content.decode()

    apply(client, french_page, django_capture_on_commit_callbacks)
    application = Application.objects.get()
    assert application.language == "fr"
    assert application.source_url.endswith(french_page.url)
    [message] = mail.outbox
    expires = application.created_at + datetime.timedelta(days=7)
    with translation.override("fr"):
        hello = translation.gettext("Hello %(name)s,") % {"name": "Ana Souza"}
        french_date = date_format(expires, "DATE_FORMAT")
    assert message.body.startswith(hello)
    assert french_date in message.body
    with translation.override("en"):
        assert date_format(expires, "DATE_FORMAT") != french_date
    with translation.override("fr"):
        expected_button = translation.gettext("Yes, confirm my application")
    # The link carries the language of the page the application was sent from.
    assert confirm_path(message).startswith("/fr/iln/rounds/confirm/")
    page = client.get(confirm_path(message))
    assert expected_button in page.content.decode()
    assert '<html lang="fr">' in page.content.decode()


def test_the_block_renders_on_its_own_with_its_heading(round):
    from wagtail_iln.applications.blocks import RoundApplicationBlock

    block = RoundApplicationBlock()
    html = BeautifulSoup(
        block.render(block.to_python({"round": round.pk, "heading": "Join us"})), "html.parser"
    )
    assert html.select_one("h2").get_text() == "Join us"
    assert html.select_one(FORM) is None
    assert html.select_one("a[data-iln-apply-link]")["href"] == f"/iln/rounds/{round.pk}/apply/"
    form = BeautifulSoup(Client().get(f"/iln/rounds/{round.pk}/apply/").content, "html.parser")
    form = form.select_one(FORM)
    assert form["action"] == f"/iln/rounds/{round.pk}/apply/#iln-round-{round.pk}-form"
    assert form.select_one("input[name=form_key]")["value"]
    assert form.select_one("input[name=page]") is None
    # Every text field has a length limit the browser knows too.
    for field in form.select("input[type=text], input[type=email], textarea"):
        if field["name"] != "website":
            assert int(field["maxlength"]) <= 2000, field["name"]
    default = BeautifulSoup(
        block.render(block.to_python({"round": round.pk, "heading": ""})), "html.parser"
    )
    assert default.select_one("h2").get_text() == "Apply to 2026 round"


def test_a_form_posted_from_no_page_is_answered_on_its_own_page(
    client, apply_page, round, django_capture_on_commit_callbacks
):
    action, data = form_data(apply_page, client, email="ana@")
    del data["page"]
    response = client.post(action, data)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("h1").get_text() == "Apply to 2026 round"
    assert page.select_one(".iln-field--email .iln-field__error")

    data.update(email="ana@example.org", next="https://elsewhere.example/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)
    # The thank-you is on the application's page; a "next" field of the post plays no part.
    assert response["Location"] == (
        f"/iln/rounds/{round.pk}/apply/?iln-applied={round.pk}#iln-round-{round.pk}"
    )
    assert Application.objects.get().source_url == ""
    assert len(mail.outbox) == 1


def test_a_choice_sent_many_times_counts_once(client, apply_page):
    action, data = form_data(
        apply_page, client, languages=["en"] * 900, contact_methods=["email"] * 50
    )
    assert client.post(action, data).status_code == 302
    assert Application.objects.get().data["languages"] == ["en"]
    assert Application.objects.get().data["contact_methods"] == ["email"]


def test_more_choices_than_the_list_holds_are_refused(client, apply_page):
    codes = [f"x{n}" for n in range(900)]
    action, data = form_data(apply_page, client, languages=codes)
    response = client.post(action, data)
    assert response.status_code == 400
    assert "Choose at most" in response.content.decode()
    assert not Application.objects.exists()


def test_direction_controls_are_taken_out_of_single_line_fields(client, apply_page):
    rlo, lre, pdf = "\u202e", "\u202a", "\u202c"
    action, data = form_data(
        apply_page,
        client,
        name=f"Ana{rlo}azuoS",
        city=f"{lre}Recife{pdf}",
        workplace=f"Biblioteca{rlo}",
        role=f"{rlo}Librarian",
    )
    assert client.post(action, data).status_code == 302
    data = Application.objects.get().data
    assert [data[name] for name in ("name", "city", "workplace", "role")] == [
        "AnaazuoS",
        "Recife",
        "Biblioteca",
        "Librarian",
    ]
