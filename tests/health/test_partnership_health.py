"""Check-ins by e-mail, the overdue report, reminders and the end of partnerships."""

import datetime
import io
import re
import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import EnrolmentFactory, ParticipantFactory, PartnershipFactory, RoundFactory
from wagtail_iln.health import checkins as health
from wagtail_iln.health import links, periods
from wagtail_iln.health.links import check_in_token
from wagtail_iln.health.periods import start_of_day
from wagtail_iln.models import CheckIn, Partnership, PartnershipEmail

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/iln/partnership-health/"
LINK = re.compile(r"https?://\S+/iln/check-in/\S+/")


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def person(name, **fields):
    email = name.lower().replace(" ", ".") + "@example.org"
    fields.setdefault("consent_given_at", timezone.now())
    return ParticipantFactory(name=name, email=email, **fields)


def partnership_of(round, *people, started_on, status="active", **fields):
    enrolments = [EnrolmentFactory(participant=p, round=round) for p in people]
    return PartnershipFactory(
        round=round, status=status, started_on=started_on, members=enrolments, **fields
    )


def today():
    return timezone.localdate()


def days_ago(days):
    return today() - datetime.timedelta(days=days)


@pytest.fixture
def round(db):
    return RoundFactory(
        name="Round 2026",
        status="running",
        starts_on=days_ago(60),
        ends_on=today() + datetime.timedelta(days=60),
    )


@pytest.fixture
def ana(round):
    return person("Ana Souza")


@pytest.fixture
def kofi(round):
    return person("Kofi Mensah", language="fr")


@pytest.fixture
def partnership(round, ana, kofi):
    return partnership_of(round, ana, kofi, started_on=days_ago(20))


def link(partnership, participant, period=1, answer="in_touch"):
    return f"/iln/check-in/{check_in_token(partnership.pk, participant.pk, period)}/{answer}/"


def csrf_post(url):
    """POST like a browser: fetch the page, then send its form with the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    form = BeautifulSoup(page.content, "html.parser").select_one("form[data-iln-check-in-form]")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(form.get("action") or url, {"csrfmiddlewaretoken": token})


# The check-in links


def test_a_get_shows_the_answer_and_a_button_and_records_nothing(client, partnership, ana):
    response = client.get(link(partnership, ana))
    assert response.status_code == 200
    text = text_of(response)
    assert "Ana & Kofi" in text
    assert "Souza" not in text and "Mensah" not in text  # first names only
    assert "Round 2026" in text
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form[data-iln-check-in-form]")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("button").get_text(strip=True) == "We've been in touch"
    others = [a["href"] for a in soup.select(".iln-check-in__others a")]
    assert sorted(url.rsplit("/", 2)[-2] for url in others) == ["need_help", "not_yet"]
    assert not CheckIn.objects.exists()
    partnership.refresh_from_db()
    assert partnership.last_contact_at is None


def test_posting_records_the_answer_and_the_contact(partnership, ana):
    before = timezone.now()
    response = csrf_post(link(partnership, ana))
    assert response.status_code == 200
    assert "We recorded: “We've been in touch”" in text_of(response)
    check_in = CheckIn.objects.get()
    assert (check_in.partnership, check_in.participant, check_in.period, check_in.answer) == (
        partnership,
        ana,
        1,
        "in_touch",
    )
    partnership.refresh_from_db()
    assert partnership.last_contact_at >= before


def test_a_post_without_the_csrf_token_is_refused(partnership, ana):
    response = Client(enforce_csrf_checks=True).post(link(partnership, ana))
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_not_yet_records_an_answer_but_no_contact(partnership, ana):
    assert csrf_post(link(partnership, ana, answer="not_yet")).status_code == 200
    assert CheckIn.objects.get().answer == "not_yet"
    partnership.refresh_from_db()
    assert partnership.last_contact_at is None


@override_settings(MANAGERS=[("Programme team", "team@example.org")])
def test_need_help_tells_the_managers(partnership, ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(link(partnership, ana, answer="need_help"))
    assert response.status_code == 200
    assert "They will write to you at the address this check-in" in text_of(response)
    [message] = mail.outbox
    assert message.to == ["team@example.org"]
    assert "Ana Souza" in message.body and "Ana Souza & Kofi Mensah" in message.body
    assert "http://testserver/admin/iln/partnership-health/?needs_help=true" in message.body


def test_need_help_without_managers_sends_nothing(
    partnership, ana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert csrf_post(link(partnership, ana, answer="need_help")).status_code == 200
    assert mail.outbox == []
    assert CheckIn.objects.get().answer == "need_help"


def test_a_reused_link_is_refused_and_changes_nothing(client, partnership, ana):
    url = link(partnership, ana, answer="not_yet")
    assert csrf_post(url).status_code == 200
    first = CheckIn.objects.get()

    # The same answer again, another answer of the same e-mail, a GET: all say it is done.
    for response in (
        client.post(url),
        client.post(link(partnership, ana, answer="in_touch")),
        client.get(link(partnership, ana, answer="in_touch")),
    ):
        assert response.status_code == 409
        assert "You already answered for this fortnight" in text_of(response)
        assert "“We haven't been in touch yet”" in text_of(response)
        soup = BeautifulSoup(response.content, "html.parser")
        assert not soup.select("form")
        # Not a dead end: the request for help is a link away.
        help_link = soup.select_one("[data-iln-check-in-help] a")["href"]
        # The same member's link for the same fortnight (signed at its own second).
        token, answer = help_link.removeprefix("/iln/check-in/").strip("/").split("/")
        found, status = links.link_from_token(token)
        assert (status, answer) == (links.VALID, "need_help")
        assert (found.partnership.pk, found.participant.pk, found.period) == (
            partnership.pk,
            ana.pk,
            1,
        )
    assert list(CheckIn.objects.all()) == [first]
    partnership.refresh_from_db()
    assert partnership.last_contact_at is None


@override_settings(
    MANAGERS=[("Programme team", "team@example.org")],
    WAGTAIL_ILN={"CONTACT_EMAIL": "iln@example.org"},
)
def test_asking_for_help_after_another_answer_is_recorded_and_flagged(
    admin_client, partnership, ana, django_capture_on_commit_callbacks
):
    assert csrf_post(link(partnership, ana, answer="in_touch")).status_code == 200
    partnership.refresh_from_db()
    contact = partnership.last_contact_at

    # The "We need help" link of the same e-mail still offers its button, and says why.
    page = Client().get(link(partnership, ana, answer="need_help"))
    assert page.status_code == 200
    assert "You answered “We've been in touch” for this fortnight" in text_of(page)
    assert "You can still ask for help" in text_of(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_post(link(partnership, ana, answer="need_help"))
    assert response.status_code == 200
    text = text_of(response)
    assert "We recorded: “We need help”" in text
    assert "They will write to you at the address this check-in" in text
    contact_link = BeautifulSoup(response.content, "html.parser").select_one(
        "[data-iln-check-in-contact] a"
    )
    assert contact_link["href"] == "mailto:iln@example.org"

    assert CheckIn.objects.get().answer == "need_help"
    partnership.refresh_from_db()
    assert partnership.last_contact_at == contact  # the contact they reported stays
    [message] = mail.outbox
    assert message.to == ["team@example.org"] and "Ana Souza" in message.body
    # The coordinators see it: the report's flag and the admin's home page.
    flagged = rows(admin_client.get(REPORT_URL + "?needs_help=true"))
    assert [row[0].split(" ")[0] for row in flagged] == ["Ana"]
    assert flagged[0][6].endswith("needs help")
    home = BeautifulSoup(admin_client.get("/admin/").content, "html.parser")
    attention = home.select_one("[data-iln-partnerships-attention]")
    assert attention.select_one('[data-figure="needs_help"]').get_text(strip=True) == "1"


@override_settings(MANAGERS=[("Programme team", "team@example.org")])
def test_asking_for_help_twice_records_it_once(
    partnership, ana, django_capture_on_commit_callbacks
):
    url = link(partnership, ana, answer="need_help")
    with django_capture_on_commit_callbacks(execute=True):
        assert csrf_post(url).status_code == 200
        first = CheckIn.objects.get()
        again = Client().post(url)
        shown = Client().get(url)
    for response in (again, shown):
        assert response.status_code == 200
        assert "You asked for help for this fortnight" in text_of(response)
        assert "They will write to you at the address this check-in" in text_of(response)
        assert not BeautifulSoup(response.content, "html.parser").select("form")
    assert list(CheckIn.objects.values_list("pk", "answer", "created_at")) == [
        (first.pk, "need_help", first.created_at)
    ]
    assert len(mail.outbox) == 1
    # Without a contact address, none is made up.
    assert not BeautifulSoup(shown.content, "html.parser").select("[data-iln-check-in-contact] a")


@override_settings(MANAGERS=[("Programme team", "team@example.org")])
def test_help_asked_after_another_answer_twice_tells_the_organisers_once(
    partnership, ana, django_capture_on_commit_callbacks
):
    Client().post(link(partnership, ana, answer="not_yet"))
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            Client().post(link(partnership, ana, answer="need_help")).status_code for _ in range(2)
        ]
    assert statuses == [200, 200]
    assert CheckIn.objects.get().answer == "need_help"
    assert len(mail.outbox) == 1


@override_settings(MANAGERS=[("Programme team", "team@example.org")])
def test_a_forged_expired_or_foreign_help_link_changes_nothing(
    client, round, partnership, ana, django_capture_on_commit_callbacks
):
    assert client.post(link(partnership, ana, answer="in_touch")).status_code == 200
    recorded = list(CheckIn.objects.values_list("pk", "answer", "created_at"))
    other = partnership_of(
        round, person("Lena Kessler"), person("Omar Haddad"), started_on=days_ago(20)
    )
    with mock.patch("time.time", return_value=time.time() - 29 * 86400):
        expired = check_in_token(partnership.pk, ana.pk, 1)
    token = check_in_token(partnership.pk, ana.pk, 1)
    urls = {
        f"/iln/check-in/{token[:-2]}xx/need_help/": 400,
        f"/iln/check-in/{signing.dumps([partnership.pk, ana.pk, 1], salt='x')}/need_help/": 400,
        f"/iln/check-in/{expired}/need_help/": 410,
        link(other, ana, answer="need_help"): 400,
    }
    with django_capture_on_commit_callbacks(execute=True):
        for url, status in urls.items():
            assert client.post(url).status_code == status
    assert list(CheckIn.objects.values_list("pk", "answer", "created_at")) == recorded
    assert mail.outbox == []


def test_each_member_and_period_answers_once(client, partnership, ana, kofi):
    assert client.post(link(partnership, ana, period=1)).status_code == 200
    assert client.post(link(partnership, kofi, period=1)).status_code == 200
    assert client.post(link(partnership, ana, period=2)).status_code == 200
    assert CheckIn.objects.count() == 3


def test_an_expired_link_is_refused(client, partnership, ana):
    with mock.patch("time.time", return_value=time.time() - 29 * 86400):
        token = check_in_token(partnership.pk, ana.pk, 1)
    url = f"/iln/check-in/{token}/in_touch/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "This check-in link has expired, so nothing was recorded." in text_of(response)
        assert "Ana" not in text_of(response)
    assert not CheckIn.objects.exists()


def test_the_link_lifetime_is_a_setting(client, partnership, ana):
    with mock.patch("time.time", return_value=time.time() - 3 * 86400):
        token = check_in_token(partnership.pk, ana.pk, 1)
    url = f"/iln/check-in/{token}/in_touch/"
    assert client.get(url).status_code == 200
    with override_settings(WAGTAIL_ILN={"CHECKIN_LINK_DAYS": 2}):
        assert client.post(url).status_code == 410
    assert not CheckIn.objects.exists()


def test_forged_links_are_refused(client, partnership, ana):
    token = check_in_token(partnership.pk, ana.pk, 1)
    other_salt = signing.dumps([partnership.pk, ana.pk, 1], salt="another.salt")
    not_a_list = signing.dumps({"p": partnership.pk}, salt=links.CHECKIN_SALT)
    for bad in (token[:-2] + "xx", other_salt, not_a_list, "nonsense"):
        url = f"/iln/check-in/{bad}/in_touch/"
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "This check-in link is not valid, so nothing was recorded." in text_of(response)
            assert "Ana" not in text_of(response)
    assert not CheckIn.objects.exists()


def test_a_link_cannot_record_for_another_partnership(client, round, partnership, ana, kofi):
    other = partnership_of(
        round, person("Lena Kessler"), person("Omar Haddad"), started_on=days_ago(20)
    )
    # Signed, but Ana is not a member of the other partnership.
    response = client.post(link(other, ana))
    assert response.status_code == 400
    # Her own link records for her own partnership only.
    assert client.post(link(partnership, ana)).status_code == 200
    assert list(CheckIn.objects.values_list("partnership", "participant")) == [
        (partnership.pk, ana.pk)
    ]
    other.refresh_from_db()
    assert other.last_contact_at is None


def test_proposed_partnerships_and_erased_people_have_no_check_ins(client, round, ana, kofi):
    proposed = partnership_of(round, ana, kofi, started_on=None, status="proposed")
    assert client.post(link(proposed, ana)).status_code == 400
    proposed.status, proposed.started_on = "active", days_ago(20)
    proposed.save()
    from wagtail_iln.privacy.data_rights import erase_participant

    erase_participant(kofi)
    assert client.post(link(proposed, kofi)).status_code == 400
    assert client.post(link(proposed, ana)).status_code == 200
    assert CheckIn.objects.count() == 1


def test_an_unknown_answer_is_not_found(client, partnership, ana):
    for response in (
        client.get(link(partnership, ana, answer="maybe")),
        client.post(link(partnership, ana, answer="maybe")),
    ):
        assert response.status_code == 404
    assert not CheckIn.objects.exists()


def test_the_page_extends_the_site_base_template(client, partnership, ana):
    response = client.get(link(partnership, ana))
    assert "wagtail_iln/health/check_in.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]


# Overdue, at the boundary


def test_never_in_touch_is_overdue_just_after_the_overdue_days(round, ana, kofi):
    started_on = datetime.date(2026, 3, 2)
    p = partnership_of(round, ana, kofi, started_on=started_on)
    limit = start_of_day(started_on) + datetime.timedelta(days=14)
    second = datetime.timedelta(seconds=1)

    def overdue(now):
        in_sql = Partnership.objects.filter(periods.overdue_q(now), pk=p.pk).exists()
        assert in_sql == periods.is_overdue(p, now)
        return in_sql

    assert not overdue(limit - second)
    assert not overdue(limit)
    assert overdue(limit + second)
    assert periods.days_without_contact(p, limit + second) == 14
    # Before it starts, a partnership has no days without contact to count ("0" said it had).
    assert periods.days_without_contact(p, start_of_day(started_on) - second) is None
    assert periods.days_without_contact(p, start_of_day(started_on)) == 0


def test_last_contact_counts_from_the_latest_in_touch_answer(round, ana, kofi):
    p = partnership_of(round, ana, kofi, started_on=datetime.date(2026, 3, 2))
    answered = timezone.make_aware(datetime.datetime(2026, 4, 10, 15, 30))
    health.record_check_in(p, ana, 2, "in_touch", now=answered)
    health.record_check_in(p, kofi, 2, "not_yet", now=answered + datetime.timedelta(days=1))
    p.refresh_from_db()
    assert p.last_contact_at == answered
    limit = answered + datetime.timedelta(days=14)
    assert not Partnership.objects.filter(periods.overdue_q(limit), pk=p.pk).exists()
    assert Partnership.objects.filter(
        periods.overdue_q(limit + datetime.timedelta(seconds=1)), pk=p.pk
    ).exists()
    # An older "in touch" answered later does not move the contact back.
    health.record_check_in(p, kofi, 1, "in_touch", now=answered - datetime.timedelta(days=3))
    p.refresh_from_db()
    assert p.last_contact_at == answered


@override_settings(WAGTAIL_ILN={"CHECKIN_OVERDUE_DAYS": 21})
def test_the_overdue_days_are_a_setting(round, ana, kofi):
    p = partnership_of(round, ana, kofi, started_on=datetime.date(2026, 3, 2))
    now = start_of_day(datetime.date(2026, 3, 2)) + datetime.timedelta(days=20)
    assert not periods.is_overdue(p, now)
    assert periods.is_overdue(p, now + datetime.timedelta(days=1, seconds=1))


def test_only_active_partnerships_are_overdue(round, ana, kofi):
    p = partnership_of(round, ana, kofi, started_on=days_ago(40), status="ended")
    assert not Partnership.objects.filter(periods.overdue_q()).exists()
    assert not periods.is_overdue(p)


def test_periods_count_fortnights_from_the_start():
    start = datetime.date(2026, 3, 2)
    assert periods.period_on(start, start - datetime.timedelta(days=1)) is None
    assert periods.period_on(start, start) == 0
    assert periods.period_on(start, start + datetime.timedelta(days=13)) == 0
    assert periods.period_on(start, start + datetime.timedelta(days=14)) == 1
    with override_settings(WAGTAIL_ILN={"CHECKIN_INTERVAL_DAYS": 7}):
        assert periods.period_on(start, start + datetime.timedelta(days=14)) == 2


# The report


@pytest.fixture
def report_data(round, ana, kofi):
    """Four active partnerships: overdue, fine, needing help, never in touch; and an ended one."""
    overdue = partnership_of(
        round,
        ana,
        kofi,
        started_on=days_ago(40),
        last_contact_at=timezone.now() - datetime.timedelta(days=20),
    )
    fine = partnership_of(
        round,
        person("Lena Kessler"),
        person("Omar Haddad"),
        started_on=days_ago(40),
        last_contact_at=timezone.now() - datetime.timedelta(days=2),
    )
    lucia = person("Lucía Aranda")
    helpless = partnership_of(
        round,
        lucia,
        person("Astrid Lindahl"),
        started_on=days_ago(10),
    )
    health.record_check_in(helpless, lucia, 0, "need_help")
    other_round = RoundFactory(name="Round 2027", starts_on=today(), ends_on=days_ago(-100))
    fresh = partnership_of(
        other_round, person("Zofia Kowalczyk"), person("Juma Otieno"), started_on=days_ago(5)
    )
    ended = partnership_of(
        round, person("Camille Fontaine"), person("Tarek Nasser"), started_on=days_ago(60)
    )
    ended.status = "ended"
    ended.save()
    return {"overdue": overdue, "fine": fine, "helpless": helpless, "fresh": fresh}


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup.select("table.listing tbody tr")
    ]


def test_the_report_lists_active_partnerships_oldest_contact_first(admin_client, report_data):
    response = admin_client.get(REPORT_URL)
    assert response.status_code == 200
    listed = rows(response)
    assert [row[0].split(" ")[0] for row in listed] == ["Ana", "Lucía", "Zofia", "Lena"]
    overdue_row, helpless_row, fresh_row, fine_row = listed
    assert "Round 2026" in overdue_row[1]
    assert overdue_row[4] == "20"
    assert overdue_row[6] == "overdue"
    assert helpless_row[5] == "Lucía: We need help; Astrid: —"
    assert helpless_row[6] == "needs help"
    assert fresh_row[6] == ""
    assert fine_row[4] == "2" and fine_row[6] == ""
    assert "Camille" not in response.content.decode()  # ended


def test_the_report_filters(admin_client, report_data, round):
    def names(query):
        return [row[0].split(" ")[0] for row in rows(admin_client.get(REPORT_URL + query))]

    assert names("?overdue=true") == ["Ana"]
    assert names("?overdue=false") == ["Lucía", "Zofia", "Lena"]
    assert names("?needs_help=true") == ["Lucía"]
    assert names(f"?round={round.pk}") == ["Ana", "Lucía", "Lena"]
    assert names(f"?round={round.pk}&overdue=false&needs_help=false") == ["Lena"]


def test_a_later_answer_clears_needs_help(admin_client, report_data):
    helpless = report_data["helpless"]
    lucia = next(m.enrolment.participant for m in helpless.members.all() if "Lucía" in str(m))
    health.record_check_in(helpless, lucia, 1, "in_touch")
    assert [
        row[0].split(" ")[0] for row in rows(admin_client.get(REPORT_URL + "?needs_help=true"))
    ] == []


def test_the_report_costs_the_same_queries_for_more_partnerships(admin_client, report_data, round):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(REPORT_URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        a, b = person(f"Extra{n} One"), person(f"Extra{n} Two")
        p = partnership_of(round, a, b, started_on=days_ago(30 + n))
        health.record_check_in(p, a, 1, "not_yet")
        health.record_check_in(p, b, 1, "need_help" if n % 2 else "in_touch")
    assert len(rows(admin_client.get(REPORT_URL))) == 16
    assert count() == few


def editor(django_user_model, *codenames):
    user = django_user_model.objects.create_user(f"editor-{len(codenames)}", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_the_report_is_for_editors_with_partnership_permissions(
    client, report_data, django_user_model
):
    overdue = report_data["overdue"]
    remind = f"{REPORT_URL}remind/{overdue.pk}/"
    assert client.get(REPORT_URL).status_code == 302  # to the login page

    client.force_login(editor(django_user_model))
    assert client.get(REPORT_URL).status_code in (302, 403)
    assert "Partnership health" not in client.get("/admin/").content.decode()

    client.force_login(editor(django_user_model, "view_partnership"))
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    assert "Send a reminder" not in response.content.decode()
    assert "Partnership health" in client.get("/admin/").content.decode()
    assert client.get(remind).status_code in (302, 403)
    assert client.post(remind).status_code in (302, 403)
    assert not PartnershipEmail.objects.exists()
    assert mail.outbox == []


def test_sending_a_reminder_once_per_period(
    admin_client, report_data, django_capture_on_commit_callbacks
):
    overdue = report_data["overdue"]
    remind = f"{REPORT_URL}remind/{overdue.pk}/"
    assert remind in admin_client.get(REPORT_URL).content.decode()
    confirm = admin_client.get(remind)
    assert confirm.status_code == 200
    assert "20 days" in text_of(confirm)
    assert BeautifulSoup(confirm.content, "html.parser").select_one("form[data-iln-send-reminder]")
    assert mail.outbox == []  # the GET sent nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(remind, follow=True)
    assert "Reminder sent to 2 members of Ana Souza & Kofi Mensah." in text_of(response)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.souza@example.org",
        "kofi.mensah@example.org",
    ]
    ana_mail = next(m for m in mail.outbox if m.to == ["ana.souza@example.org"])
    assert "You have not been in touch with each other for 20 days" in ana_mail.body
    assert "Why not write to Kofi Mensah today?" in ana_mail.body
    assert len(LINK.findall(ana_mail.body)) == 3
    kofi_mail = next(m for m in mail.outbox if m.to == ["kofi.mensah@example.org"])
    languages = [m.extra_headers["Content-Language"] for m in (ana_mail, kofi_mail)]
    assert languages == ["en", "fr"]  # each in their own language, and says which
    [row] = PartnershipEmail.objects.all()
    assert (row.partnership, row.kind, row.period) == (overdue, "reminder", 2)

    # The report says so, on the partnership's row, and offers no second reminder.
    report = admin_client.get(REPORT_URL)
    assert remind not in report.content.decode()
    rows = BeautifulSoup(report.content, "html.parser").select("tbody tr")
    [reminded] = [tr.get_text(" ", strip=True) for tr in rows if "Ana Souza" in tr.get_text()]
    sent_on = date_format(timezone.localdate(row.sent_at), "DATE_FORMAT")
    assert f"reminded on {sent_on}" in reminded

    with django_capture_on_commit_callbacks(execute=True):
        again = admin_client.post(remind, follow=True)
    assert "A reminder was already sent to Ana Souza & Kofi Mensah in this period" in text_of(again)
    assert len(mail.outbox) == 2
    assert PartnershipEmail.objects.count() == 1


def test_no_reminder_for_a_partnership_that_is_not_overdue(admin_client, report_data):
    fine = report_data["fine"]
    remind = f"{REPORT_URL}remind/{fine.pk}/"
    assert remind not in admin_client.get(REPORT_URL).content.decode()
    response = admin_client.post(remind, follow=True)
    assert "is not overdue: no reminder was sent." in text_of(response)
    assert not PartnershipEmail.objects.exists()
    assert mail.outbox == []


# The scheduled command


def run_command(*args, now=None):
    out = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=now or timezone.now()):
        call_command("iln_partnership_health", *args, stdout=out)
    return out.getvalue()


def test_the_command_sends_each_check_in_once(round, ana, kofi, django_capture_on_commit_callbacks):
    started = partnership_of(round, ana, kofi, started_on=days_ago(15))
    withdrawn = person("Lena Kessler", consent_given_at=None)
    partnership_of(round, withdrawn, person("Omar Haddad"), started_on=days_ago(14))
    partnership_of(round, person("Early Bird"), person("New Comer"), started_on=days_ago(13))

    dry = run_command("--dry-run")
    assert "Partnerships sent a check-in: 2" in dry
    assert "E-mails queued: 3" in dry
    assert not PartnershipEmail.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        output = run_command()
    assert "Partnerships sent a check-in: 2" in output
    assert "E-mails queued: 3" in output
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.souza@example.org",
        "kofi.mensah@example.org",
        "omar.haddad@example.org",
    ]
    assert set(PartnershipEmail.objects.values_list("kind", "period")) == {("check_in", 1)}

    with django_capture_on_commit_callbacks(execute=True):
        again = run_command()
    assert "Partnerships sent a check-in: 0" in again and "E-mails queued: 0" in again
    assert len(mail.outbox) == 3

    # The links of the e-mail work, for that member and that period.
    ana_mail = next(m for m in mail.outbox if m.to == ["ana.souza@example.org"])
    assert "Have you and your partner, Kofi Mensah, been in touch?" in ana_mail.body
    urls = LINK.findall(ana_mail.body)
    assert [url.rsplit("/", 2)[-2] for url in urls] == ["in_touch", "not_yet", "need_help"]
    path = "/" + urls[0].split("/", 3)[3]
    assert Client().post(path).status_code == 200
    assert CheckIn.objects.filter(partnership=started, participant=ana, period=1).exists()


def test_the_next_fortnight_brings_the_next_check_in(
    round, ana, kofi, django_capture_on_commit_callbacks
):
    partnership_of(round, ana, kofi, started_on=days_ago(15), last_contact_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        run_command()
        run_command(now=timezone.now() + datetime.timedelta(days=14))
        run_command(now=timezone.now() + datetime.timedelta(days=15))
    assert sorted(PartnershipEmail.objects.values_list("kind", "period")) == [
        ("check_in", 1),
        ("check_in", 2),
    ]
    assert len(mail.outbox) == 4


def test_the_command_reminds_overdue_partnerships_half_way_once(
    round, ana, kofi, django_capture_on_commit_callbacks
):
    partnership_of(round, ana, kofi, started_on=days_ago(16))
    with django_capture_on_commit_callbacks(execute=True):
        first = run_command()
    assert "Partnerships sent a reminder: 0" in first  # overdue, but too soon after the check-in
    in_a_week = timezone.now() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        later = run_command(now=in_a_week)
        again = run_command(now=in_a_week + datetime.timedelta(hours=3))
    assert "Partnerships sent a reminder: 1" in later and "E-mails queued: 2" in later
    assert "Partnerships sent a reminder: 0" in again
    assert sorted(PartnershipEmail.objects.values_list("kind", "period")) == [
        ("check_in", 1),
        ("reminder", 1),
    ]
    reminders = {m.to[0]: m for m in mail.outbox[2:]}  # after the two check-ins
    assert set(reminders) == {ana.email, kofi.email}
    assert "time to get in touch" in reminders[ana.email].subject
    # Kofi reads French.
    assert "time to get in touch" not in reminders[kofi.email].subject


def test_the_command_ends_partnerships_when_the_round_has_ended(
    ana, kofi, django_capture_on_commit_callbacks
):
    finished = RoundFactory(starts_on=days_ago(130), ends_on=days_ago(1))
    running = RoundFactory(starts_on=days_ago(30), ends_on=today())
    old = partnership_of(finished, ana, kofi, started_on=days_ago(120))
    current = partnership_of(
        running, person("Lena Kessler"), person("Omar Haddad"), started_on=days_ago(28)
    )
    proposed = partnership_of(
        finished, person("Early Bird"), person("New Comer"), started_on=None, status="proposed"
    )

    assert "Partnerships ended: 1" in run_command("--dry-run")
    old.refresh_from_db()
    assert old.status == "active"

    with django_capture_on_commit_callbacks(execute=True):
        output = run_command()
    assert "Partnerships ended: 1" in output
    old.refresh_from_db(), current.refresh_from_db(), proposed.refresh_from_db()
    assert (old.status, old.ended_on) == ("ended", finished.ends_on)
    assert current.status == "active" and proposed.status == "proposed"
    # The ended partnership gets no more e-mails; the running one gets its check-in.
    assert {m.to[0] for m in mail.outbox} == {"lena.kessler@example.org", "omar.haddad@example.org"}
    assert "Partnerships ended: 0" in run_command()


def test_the_task_runs_the_same(round, ana, kofi, django_capture_on_commit_callbacks):
    partnership_of(round, ana, kofi, started_on=days_ago(15))
    with django_capture_on_commit_callbacks(execute=True):
        result = health.partnership_health.enqueue()
    assert result.return_value == {"ended": 0, "check_ins": 1, "reminders": 0, "emails": 2}
    assert len(mail.outbox) == 2


def test_a_trio_hears_of_both_partners(round, ana, kofi, django_capture_on_commit_callbacks):
    partnership_of(round, ana, kofi, person("Lena Kessler"), started_on=days_ago(14))
    with django_capture_on_commit_callbacks(execute=True):
        run_command()
    assert len(mail.outbox) == 3
    ana_mail = next(m for m in mail.outbox if m.to == ["ana.souza@example.org"])
    assert ana_mail.subject == "Round 2026: have you been in touch with your partner?"
    assert "Have you and your partners, Kofi Mensah, Lena Kessler, been in touch?" in ana_mail.body


def test_an_empty_report_says_what_it_will_show_and_from_when(admin_client, round):
    def message(query=""):
        soup = BeautifulSoup(admin_client.get(REPORT_URL + query).content, "html.parser")
        assert soup.select("table.listing tbody tr") == []
        return " ".join(soup.select_one("main .nice-padding.w-mt-8").get_text(" ").split())

    round.starts_on, round.status = days_ago(-21), "applications_open"
    round.save()
    said = message()
    assert said.startswith("No partnership is under way. Once a round has started")
    assert f"The next round, {round.name}, starts on {date_format(round.starts_on)}." in said
    # Filtered, it says what Wagtail says of any listing.
    assert message("?needs_help=true") == "No partnerships match your query."
