"""A round's step follows its dates and what the coordinators did, the same everywhere."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests.factories import EnrolmentFactory, PartnershipFactory, RoundFactory
from tests.testapp.models import BlocksPage
from wagtail_iln.matching import actions
from wagtail_iln.models import Round
from wagtail_iln.programme.models.rounds import round_status

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def round():
    now = timezone.now()
    today = timezone.localdate()
    return RoundFactory(
        name="Round 12",
        applications_open_at=now - 3 * DAY,
        applications_close_at=now + 10 * DAY,
        starts_on=today + 20 * DAY,
        ends_on=today + 160 * DAY,
        status="planning",
    )


@pytest.fixture
def page(site_root, round):
    page = BlocksPage(
        title="Join the network",
        slug="join",
        body=[("round_application", {"round": round, "heading": "Not signed up yet? Apply now"})],
    )
    site_root.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def apply_section(client, page):
    html = client.get(page.url).content
    return BeautifulSoup(html, "html.parser").select_one(".iln-application-block")


def test_the_dates_move_the_round_on(round):
    now = timezone.now()
    assert round_status(round, now - 5 * DAY) == "planning"
    assert round_status(round, now) == "applications_open"
    assert round_status(round, now + 11 * DAY) == "matching"
    assert round_status(round, now + 161 * DAY) == "closed"


def test_publishing_the_partnerships_makes_the_round_run_in_every_language(round, site_root):
    from wagtail.models import Locale

    french = round.copy_for_translation(Locale.objects.create(language_code="fr"))
    french.name = "Session 12"
    french.save()
    PartnershipFactory(
        round=round, status="proposed", members=[EnrolmentFactory(round=round) for _ in "ab"]
    )
    assert actions.publish(round) == 1
    for each in Round.objects.all():
        assert each.current_status == "running"
    # The end date still closes it.
    assert round_status(round, timezone.now() + 161 * DAY) == "closed"


def test_the_rounds_list_shows_the_step_and_filters_by_it(admin_client, round):
    PartnershipFactory(
        round=round, status="proposed", members=[EnrolmentFactory(round=round) for _ in "ab"]
    )
    url = reverse("wagtailsnippets_wagtail_iln_round:list")
    row = BeautifulSoup(admin_client.get(url).content, "html.parser").select_one("tbody tr")
    assert "Applications open" in row.get_text() or "applications open" in row.get_text()
    actions.publish(round)
    row = BeautifulSoup(admin_client.get(url).content, "html.parser").select_one("tbody tr")
    assert "unning" in row.get_text()
    assert "Round 12" in admin_client.get(url, {"status": "running"}).content.decode()
    assert "Round 12" not in admin_client.get(url, {"status": "planning"}).content.decode()


def test_the_apply_block_stops_asking_once_the_partnerships_are_published(client, round, page):
    section = apply_section(client, page)
    assert section.select_one("a[data-iln-apply-link]") is not None
    assert section.h2.get_text() == "Not signed up yet? Apply now"

    PartnershipFactory(
        round=round, status="proposed", members=[EnrolmentFactory(round=round) for _ in "ab"]
    )
    actions.publish(round)
    section = apply_section(client, page)
    assert section.select_one("a[data-iln-apply-link]") is None
    assert "Apply" not in section.h2.get_text()
    assert "Applications to this round have closed." in section.get_text()
    assert "The next round has not been announced yet." in section.get_text()


def test_once_closed_the_block_says_when_the_next_round_opens(client, round, page):
    round.applications_close_at = timezone.now() - DAY
    round.save()
    next_opens = timezone.now() + 30 * DAY
    RoundFactory(name="Round 13", applications_open_at=next_opens)
    section = apply_section(client, page)
    assert section.select_one("a[data-iln-apply-link]") is None
    assert "Applications to this round closed on" in section.get_text()
    assert "Applications to Round 13 open on" in section.get_text()


def test_the_rounds_form_refuses_a_step_back_and_takes_a_step_on(admin_client, round):
    # The dates have opened its applications, though "planning" is what is recorded.
    edit = reverse("wagtailsnippets_wagtail_iln_round:edit", args=[round.pk])
    form = BeautifulSoup(admin_client.get(edit).content, "html.parser").select_one(
        "form[method=post]"
    )
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") not in ("checkbox", "submit")
    }
    data.update(
        name="Round 12",
        description="",
        applications_open_at=round.applications_open_at.strftime("%Y-%m-%d %H:%M"),
        applications_close_at=round.applications_close_at.strftime("%Y-%m-%d %H:%M"),
        starts_on=round.starts_on.isoformat(),
        ends_on=round.ends_on.isoformat(),
    )

    # Saved as it is: fine, though the recorded step is behind the dates.
    assert admin_client.post(edit, {**data, "status": "planning"}).status_code == 302
    # Moved on to matching: taken.
    assert admin_client.post(edit, {**data, "status": "matching"}).status_code == 302
    round.refresh_from_db()
    assert round.current_status == "matching"
    # Back to applications open: refused, and said why.
    response = admin_client.post(edit, {**data, "status": "applications_open"})
    assert response.status_code == 200
    assert "A round never goes back to an earlier step: it is at “matching” now." in (
        response.content.decode()
    )
    round.refresh_from_db()
    assert round.status == "matching"


def test_an_unknown_status_is_refused_with_the_fields_own_message(round):
    from django.core.exceptions import ValidationError

    round.status = "finished"
    with pytest.raises(ValidationError) as refused:
        round.full_clean()
    assert refused.value.message_dict["status"] == ["Value 'finished' is not a valid choice."]
