"""Round 12 in a real browser: the topic shows the round's figures, a visitor applies,
follows the link e-mailed to them, confirms, and an editor finds them in the admin."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.helpers import log_in

pytestmark = pytest.mark.browser

TOPIC_PATH = "/discussion/getting-to-know-you/"
PARTICIPANTS_PATH = "/admin/snippets/wagtail_iln/participant/"
NAME = "Losaline Havili"
EMAIL = "losaline.havili@example.org"
CONFIRM_LINK = re.compile(r"https?://\S+/iln/rounds/confirm/\S+/")


def mail_to(mail_dir, address, timeout=10):
    """The text of the first e-mail the demo server wrote to ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log")):
            text = path.read_text()
            if re.search(rf"^To: {re.escape(address)}$", text, re.MULTILINE):
                return text
        time.sleep(0.2)
    pytest.fail(f"no e-mail to {address} in {mail_dir}")


@pytest.fixture
def mail_dir(demo_server, tmp_path_factory):
    """Where the demo server writes its e-mails (``ILN_EMAIL_FILE_PATH``, set by conftest)."""
    # The numbered folder ``demo_server`` made, not pytest's "-current" link to it.
    (database,) = tmp_path_factory.getbasetemp().glob("demo-site[0-9]*/demo.sqlite3")
    return database.parent / "mail"


def search_participants(page, base_url, query):
    page.goto(f"{base_url}{PARTICIPANTS_PATH}?q={query.replace(' ', '+')}")
    return page.locator("tbody tr", has_text=query)


def test_the_topic_shows_the_round_in_figures(page, demo_server, artifacts_dir):
    page.goto(demo_server + TOPIC_PATH)
    stats = page.locator(".iln-round-stats")
    assert stats.count() == 1
    assert stats.locator("h2").inner_text() == "Round 12 in numbers"
    sentence = stats.locator(".iln-round-stats__sentence").inner_text()
    match = re.match(
        r"This round we have (\d+) participants from (\d+) countries, "
        r"including (\d+) new countries: (.+)\. (\d+) of them have taken part",
        sentence,
    )
    assert match, sentence
    participants, countries, new = (int(match[i]) for i in (1, 2, 3))
    assert participants >= 200 and countries >= 50
    new_countries = match[4].split(", ")
    assert len(new_countries) == new and "Mongolia" in new_countries
    assert int(match[5]) > 0

    chart = stats.locator("svg.iln-bar-chart")
    assert chart.is_visible()
    assert chart.locator("title").first.text_content() == "Participants per country"
    bars = chart.locator(".iln-bar-chart__bar")
    # The top countries, then the rest added up, apart and without a bar.
    assert bars.count() == 10
    assert chart.locator(".iln-bar-chart__row--other").count() == 1
    assert chart.locator(".iln-bar-chart__row--other .iln-bar-chart__bar").count() == 0
    # Read on a phone, the chart's words stay 12 px or more.
    page.set_viewport_size({"width": 375, "height": 800})
    shown_px = chart.evaluate(
        "svg => parseFloat(svg.getAttribute('font-size'))"
        " * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
    )
    assert shown_px >= 12, shown_px
    page.set_viewport_size({"width": 1280, "height": 900})
    stats.screenshot(path=str(artifacts_dir / "round-stats.png"))

    figures = stats.locator(".iln-round-stats__figures")
    table = figures.locator("table")
    assert not table.is_visible()
    figures.locator("summary").click()
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == bars.count() + 1
    assert rows.last.locator("th").inner_text() == "other countries"
    counts = [int(text.replace(",", "")) for text in rows.locator("td").all_inner_texts()]
    assert sum(counts) == participants
    assert counts[:-1] == sorted(counts[:-1], reverse=True)
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "round-stats-table.png"))


def test_a_visitor_applies_confirms_by_email_and_is_enrolled(
    page, demo_server, mail_dir, artifacts_dir
):
    page.goto(demo_server + TOPIC_PATH)
    block = page.locator(".iln-application-block")
    assert block.locator("h2").inner_text() == "Not signed up yet? Apply now"
    block.locator("a[data-iln-apply-link]").click()
    section = page.locator(".iln-application-form")
    form = section.locator("form[data-iln-application-form]")
    form.locator("input[name=name]").fill(NAME)
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("select[name=country]").select_option("TO")
    form.locator("input[name=city]").fill("Nuku'alofa")
    form.locator("select[name=time_zone]").select_option("Pacific/Tongatapu")
    form.locator("select[name=languages]").select_option(["en", "fr"])
    form.locator("input[name=workplace]").fill("Vava'u Community Library")
    form.locator("select[name=workplace_kind]").select_option("public")
    form.locator("select[name=workplace_size]").select_option("small")
    form.locator("input[name=role]").fill("librarian")
    form.locator("textarea[name=hopes_partnership]").fill(
        "Ideas for reading clubs, from someone on another ocean."
    )
    form.locator("input[name=contact_frequency][value=fortnightly]").check()
    form.locator("input[name=contact_methods][value=video_call]").check()
    form.locator("input[name=consent]").check()
    page.screenshot(path=str(artifacts_dir / "round-application-form.png"), full_page=True)
    form.get_by_role("button", name="Send my application").click()

    notice = page.locator(".iln-application-form .iln-notice--success")
    assert "We have sent you an e-mail with a link" in notice.inner_text()
    assert "iln-applied=" in page.url
    page.screenshot(path=str(artifacts_dir / "round-application-sent.png"))

    mail = mail_to(mail_dir, EMAIL)
    assert "Subject: Confirm your application to Round 12" in mail
    link = CONFIRM_LINK.search(mail)[0]
    assert link.startswith(demo_server)

    # Until the link is followed, nobody of that name is in the programme.
    log_in(page, demo_server)
    assert search_participants(page, demo_server, NAME).count() == 0

    page.goto(link)
    assert page.locator("h1").inner_text() == "Confirm your application"
    main = page.locator("main")
    assert f"apply to Round 12 as {EMAIL}" in main.inner_text()
    assert NAME in main.locator(".iln-application-confirm__summary").inner_text()
    page.screenshot(path=str(artifacts_dir / "round-application-confirm.png"))
    # Opening the link changed nothing.
    assert search_participants(page, demo_server, NAME).count() == 0

    page.goto(link)
    page.get_by_role("button", name="Yes, confirm my application").click()
    success = page.locator(".iln-notice--success")
    assert "Your application to Round 12 is confirmed" in success.inner_text()
    page.screenshot(path=str(artifacts_dir / "round-application-confirmed.png"))

    row = search_participants(page, demo_server, NAME)
    assert row.count() == 1
    assert "Tonga" in row.inner_text()
    page.screenshot(path=str(artifacts_dir / "round-participant-list.png"))
    href = row.get_by_role("link", name=NAME).first.get_attribute("href")
    participant_id = re.search(r"/(\d+)/$", href)[1]
    page.goto(f"{demo_server}{PARTICIPANTS_PATH}inspect/{participant_id}/")
    rounds = page.locator("[data-participant-rounds] tbody tr")
    assert rounds.count() == 1
    cells = rounds.locator("td").all_inner_texts()
    assert cells[0].startswith("Round 12") and cells[1] == "applied"
    rounds.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "round-participant.png"))


def test_the_time_zone_list_starts_at_the_readers_own_zone(browser, demo_server):
    # Four hundred places by country: the reader's own is chosen for them, as their
    # device knows it; they may choose another.
    context = browser.new_context(timezone_id="America/Lima", locale="en-GB")
    page = context.new_page()
    page.goto(demo_server + TOPIC_PATH)
    page.locator(".iln-application-block a[data-iln-apply-link]").click()
    zone = page.locator("form[data-iln-application-form] select[name=time_zone]")
    expect(zone).to_have_value("America/Lima")
    assert zone.locator("option:checked").inner_text() == "Peru (UTC\u221205:00)"
    assert zone.locator("option[value='Etc/GMT+5']").count() == 0
    context.close()


def test_the_language_list_says_what_is_chosen_in_it(browser, demo_server):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(demo_server + TOPIC_PATH)
    page.locator(".iln-application-block a[data-iln-apply-link]").click()
    languages = page.locator("form[data-iln-application-form] select[name=languages]")
    chosen = page.locator(".iln-field--languages .iln-field__chosen")
    expect(chosen).to_have_text("None chosen yet.")
    languages.select_option(["en", "ar"])
    languages.dispatch_event("change")
    expect(chosen).to_have_text("Chosen: Arabic, English.")
    context.close()
