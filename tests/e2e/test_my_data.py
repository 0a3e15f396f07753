"""A participant of Round 12 opens My data from the e-mailed link, stops and resumes the
topic e-mails, and reads what withdrawing consent would change before deciding; axe-core
finds no violation on either page, in English, French and Spanish, at phone and desktop
widths."""

import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect

from .test_accessibility import WIDTHS, axe_source, axe_violations  # noqa: F401 - a fixture
from .test_round_flow import mail_dir, mail_to  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

DATA_LINK = re.compile(r"https?://\S+/iln/my-data/[^/\s]+/")
# Each language: its URLs' prefix, Round 12's name in it, and the confirmation page's last line.
LANGUAGES = {
    "en": ("", "Round 12", "We will not e-mail you about the programme any more."),
    "fr": ("/fr", "Session 12", "Nous ne vous écrirons plus au sujet du programme."),
    "es": ("/es", "Ronda 12", "No te escribiremos más sobre el programa."),
}


def round_12_participant(mail_dir):  # noqa: F811 - the fixture's value
    """The address of a participant accepted in Round 12, from the demo's database.

    Other browser tests may have matched or started Round 12 by now: what the test
    checks holds whatever step the round is at.
    """
    with sqlite3.connect(mail_dir.parent / "demo.sqlite3") as database:
        (email,) = database.execute(
            """SELECT p.email FROM wagtail_iln_participant p
               JOIN wagtail_iln_enrolment e ON e.participant_id = p.id
               JOIN wagtail_iln_round r ON r.id = e.round_id
               WHERE r.name = 'Round 12' AND e.status = 'accepted'
                 AND p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
               ORDER BY p.id LIMIT 1"""
        ).fetchone()
    return email


def data_links(mail_dir, email, count, timeout=10):  # noqa: F811 - the fixture's value
    """The links to ``email``'s data in the e-mails written to it, once there are ``count``.

    A file holds each e-mail of one connection, with a line of dashes after each; the
    address may have been sent others (an introduction, a check-in).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [
            message
            for path in sorted(mail_dir.glob("*.log"))
            for message in path.read_text().split("-" * 79)
            if re.search(rf"^To: {re.escape(email)}$", message, re.MULTILINE)
        ]
        links = [DATA_LINK.search(message)[0] for message in messages if DATA_LINK.search(message)]
        if len(links) >= count:
            return links
        time.sleep(0.2)
    pytest.fail(f"fewer than {count} e-mails to {email} in {mail_dir}")


def test_my_data_stops_e_mails_and_asks_before_withdrawing(
    browser,
    demo_server,
    mail_dir,  # noqa: F811 - a fixture
    axe_source,  # noqa: F811 - a fixture
    artifacts_dir,
):
    email = round_12_participant(mail_dir)
    context = browser.new_context(viewport=WIDTHS["desktop"], bypass_csp=True)
    page = context.new_page()
    try:
        for prefix, _round, _last in LANGUAGES.values():
            page.goto(f"{demo_server}{prefix}/iln/my-data/")
            page.locator("input[name=email]").fill(email)
            page.locator("form[data-iln-data-request] button[type=submit]").click()
            expect(page.locator("main [role=status]")).to_be_visible()
        links = {
            (re.search(r"/(fr|es)/iln/", link) or [None, "en"])[1]: link
            for link in data_links(mail_dir, email, len(LANGUAGES))
        }
        page.goto(links["en"])
        emails = page.locator("[data-iln-my-emails]")
        assert "Each new topic of your rounds reaches you by e-mail." in emails.inner_text()
        emails.get_by_role("button", name="Stop topic e-mails").click()
        expect(page.locator("[role=status]")).to_have_text(
            "New topics no longer reach you by e-mail."
        )
        emails.get_by_role("button", name="Receive them again").focus()
        page.keyboard.press("Enter")
        expect(emails.get_by_role("button", name="Stop topic e-mails")).to_be_visible()

        for language, (_prefix, round_name, last) in LANGUAGES.items():
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                page.goto(links[language])
                assert page.locator("html").get_attribute("lang") == language
                # Rounds are named in the page's language.
                rounds = page.locator("[data-iln-rounds]").inner_text()
                assert f"{round_name}:" in rounds
                assert language == "en" or "Round 12" not in rounds
                assert axe_violations(page, axe_source) == [], (language, width)
                name = f"my-data-{language}-{width}.png"
                page.screenshot(path=artifacts_dir / name, full_page=True)

                page.locator("a[data-iln-withdraw-consent]").click()
                expect(page.locator("[data-iln-withdraw-confirm]")).to_be_visible()
                changes = page.locator("[data-iln-withdraw-changes] li").all_inner_texts()
                assert changes[-1] == last
                assert language == "en" or not any("Round 12" in change for change in changes)
                assert axe_violations(page, axe_source) == [], (language, width)
                name = f"my-data-withdraw-{language}-{width}.png"
                page.screenshot(path=artifacts_dir / name, full_page=True)
                page.locator("[data-iln-withdraw-confirm] + p a").click()
                expect(page.locator("[data-iln-my-emails]")).to_be_visible()
    finally:
        context.close()
