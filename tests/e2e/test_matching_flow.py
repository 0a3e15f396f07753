"""Round 12 matched in a real browser: an editor opens the round, runs the matching,
reads the proposal, keeps one pair, breaks another and publishes; the partners get
their introductions by e-mail. The progress bar follows a run the page did not start."""

import re
import time

import pytest

from tests.helpers import log_in

from .conftest import _demo_env, _manage

pytestmark = pytest.mark.browser

ROUNDS_PATH = "/admin/snippets/wagtail_iln/round/"


@pytest.fixture
def demo_dir(demo_server, tmp_path_factory):
    """The folder of the demo server's database and e-mails (see conftest)."""
    (database,) = tmp_path_factory.getbasetemp().glob("demo-site[0-9]*/demo.sqlite3")
    return database.parent


def demo_shell(demo_dir, code):
    """Run ``code`` in the demo project, on the database the server uses."""
    return _manage("shell", "-c", code, env=_demo_env(demo_dir)).stdout


def mails(mail_dir, subject, timeout=10):
    """Every e-mail the demo server wrote, once one has ``subject``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [
            text
            for path in sorted(mail_dir.glob("*.log"))
            for text in path.read_text().split("\n" + "-" * 79 + "\n")
        ]
        if any(f"Subject: {subject}" in text for text in texts):
            return texts
        time.sleep(0.2)
    pytest.fail(f"no e-mail '{subject}' in {mail_dir}")


def open_matching(page, base_url):
    page.goto(base_url + ROUNDS_PATH)
    row = page.locator("tbody tr", has_text="Round 12")
    row.get_by_role("button", name=re.compile("More options")).click()
    row.get_by_role("link", name="Match participants").click()
    page.wait_for_url(re.compile(r"/round/matching/\d+/$"))


def figure(page, name, section="[data-iln-matching-figures]"):
    return int(page.locator(f"{section} [data-figure={name}]").inner_text())


def without_details(heading):
    """The names of a partnership's heading, "Ana (Brazil, …) & Kofi (Ghana, …)"."""
    return [re.sub(r"\s*\(.*\)$", "", name.strip()) for name in heading.split(" & ")]


def test_the_progress_bar_follows_a_run_and_shows_the_result(
    page, demo_server, demo_dir, artifacts_dir
):
    log_in(page, demo_server)
    open_matching(page, demo_server)
    round_id = re.search(r"/matching/(\d+)/$", page.url)[1]
    # A run a worker would be doing: the page shows how far it has gone, then reloads.
    demo_shell(
        demo_dir,
        "from django.utils import timezone; from wagtail_iln.models import MatchingRun; "
        f"MatchingRun.objects.create(round_id={round_id}, status='running', progress=0.4, "
        "started_at=timezone.now())",
    )
    page.reload()
    box = page.locator("[data-iln-matching-progress]")
    assert box.locator("progress").get_attribute("value") == "0.4"
    assert box.get_by_role("link", name="Refresh").is_visible()
    assert page.get_by_role("button", name="Match participants").is_disabled()
    page.screenshot(path=str(artifacts_dir / "matching-progress.png"))

    demo_shell(
        demo_dir,
        "from wagtail_iln.models import MatchingRun; "
        "MatchingRun.objects.filter(status='running').update(progress=0.75)",
    )
    page.wait_for_function(
        "document.querySelector('[data-iln-matching-progress] progress').value === 0.75"
    )
    demo_shell(
        demo_dir,
        "from django.utils import timezone; from wagtail_iln.models import MatchingRun; "
        "MatchingRun.objects.filter(status='running').update("
        "status='failed', error='The worker stopped.', finished_at=timezone.now())",
    )
    # The script reloads the page once the run is over.
    page.locator(".help-critical").wait_for()
    assert page.locator("[data-iln-matching-progress]").count() == 0
    assert (
        "The last matching failed: The worker stopped."
        in page.locator(".help-critical").inner_text()
    )


def test_an_editor_matches_round_12_adjusts_the_proposal_and_publishes(
    page, demo_server, demo_dir, artifacts_dir
):
    log_in(page, demo_server)
    open_matching(page, demo_server)
    assert page.locator("h1").inner_text().strip() == "Matching: Round 12"
    accepted = figure(page, "people")
    assert accepted > 200 and figure(page, "pairs") == 0
    page.screenshot(path=str(artifacts_dir / "matching-start.png"))

    page.get_by_role("button", name="Match participants").click()
    assert "The matching has finished." in page.locator(".messages").inner_text()
    pairs, triads, unmatched = (
        figure(page, "pairs"),
        figure(page, "triads"),
        figure(page, "unmatched"),
    )
    assert 2 * pairs + 3 * triads + unmatched == accepted
    assert unmatched < 10
    partnerships = page.locator("[data-iln-partnership]")
    assert partnerships.count() == 25
    first = partnerships.first
    assert first.locator("[data-iln-reasons] li").count() > 0
    assert first.locator("[data-iln-profiles] thead th").count() in (2, 3)
    page.screenshot(path=str(artifacts_dir / "matching-proposal.png"))
    first.scroll_into_view_if_needed()
    first.screenshot(path=str(artifacts_dir / "matching-partnership.png"))

    # Keep the first pair; break up the second: its members wait for a partner.
    kept = first.locator("h3").inner_text().strip()
    first.get_by_role("button", name="Keep when matching again").click()
    message = f"{' & '.join(without_details(kept))} will be kept when matching again."
    assert message in page.locator(".messages").inner_text()
    first = page.locator("[data-iln-partnership]").first
    assert first.locator("h3").inner_text().strip() == kept
    assert first.locator("[data-iln-pinned]").is_visible()

    second = page.locator("[data-iln-partnership]").nth(1)
    broken = without_details(second.locator("h3").inner_text())
    # Breaking up asks first, naming the members; going back changes nothing.
    second.get_by_role("link", name="Break up").click()
    question = page.locator("[data-iln-matching-confirm-break]")
    assert all(name in question.inner_text() for name in broken)
    page.screenshot(path=str(artifacts_dir / "matching-break-up.png"))
    page.get_by_role("link", name="No, go back").click()
    page.wait_for_url(re.compile(r"/round/matching/\d+/$"))
    assert figure(page, "unmatched") == unmatched
    second = page.locator("[data-iln-partnership]").nth(1)
    second.get_by_role("link", name="Break up").click()
    page.get_by_role("button", name="Yes, break it up").click()
    assert "are no longer paired" in page.locator(".messages").inner_text()
    pool = page.locator("[data-iln-pool-person]").all_inner_texts()
    assert all(any(name in row for row in pool) for name in broken)
    assert figure(page, "unmatched") == unmatched + len(broken)

    # Pair them again by hand.
    for name in broken:
        page.locator("[data-iln-pool-person]", has_text=name).get_by_role("checkbox").check()
    page.get_by_role("button", name="Pair the two or three people ticked").click()
    if page.locator("[data-iln-matching-warnings]").count():
        page.get_by_role("button", name="Pair them all the same").click()
    assert "are paired, and kept when matching again." in page.locator(".messages").inner_text()
    assert figure(page, "pinned") == 2

    # Publishing asks first: how many partnerships, who is e-mailed, for good. Round 12
    # still takes applications: it asks to close them too.
    published = pairs + triads
    page.get_by_role("button", name="Publish and introduce the partners").click()
    said = page.locator("[data-iln-matching-confirm-publish]").inner_text()
    assert f"Publish the {published} proposed partnerships of" in said
    assert "will be e-mailed at once" in said
    assert "This cannot be undone" in said
    warning = page.locator("[data-iln-publishing-closes]")
    assert "This round still takes applications" in warning.inner_text()
    publish = page.get_by_role("button", name="Yes, publish and e-mail them")
    publish.click()
    assert page.locator("[data-iln-matching-confirm-publish]").count() == 1  # the browser held it
    page.screenshot(path=str(artifacts_dir / "matching-publishing-closes-applications.png"))
    page.get_by_label("Close the round's applications and publish").check()
    publish.click()
    # Without a task worker the demo publishes once the request commits.
    assert (
        f"{published} partnerships are now active; their members are being introduced by e-mail."
        in page.locator(".messages").inner_text()
    )
    # The page remembers what was published, and offers no empty proposal.
    assert figure(page, "partnerships", "[data-iln-matching-published]") == published
    assert page.locator("[data-iln-matching-figures]").count() == 0
    page.screenshot(path=str(artifacts_dir / "matching-published.png"))

    texts = mails(demo_dir / "mail", "Meet your partner for Round 12")
    # One section per partner, "== Name ==", in every language.
    introductions = [text for text in texts if re.search(r"^== .+ ==$", text, re.MULTILINE)]
    # Everyone who may be e-mailed, in their own language: the demo has French and Spanish
    # speakers who chose their language.
    assert len(introductions) >= 2 * published
    languages = {re.search(r"Content-Language: (\S+)", text)[1] for text in introductions}
    assert languages == {"en", "fr", "es"}
    english = [text for text in introductions if "Content-Language: en" in text]
    assert all(re.search(r"^E-mail: \S+@example\.org$", t, re.MULTILINE) for t in english)

    # Publishing made the round run, and its form stop taking applications; the other
    # browser tests apply to round 12, so it takes applications again.
    demo_shell(
        demo_dir,
        "from wagtail_iln.models import Round; "
        "Round.objects.filter(name__in=['Round 12', 'Session 12', 'Ronda 12'])"
        ".update(status='applications_open')",
    )
