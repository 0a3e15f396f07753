"""A coordinator on a phone reaches every column of the app's admin listings.

Wagtail's admin does not scroll sideways; a listing wider than the screen
scrolls in its own box (``css/admin.css``, ``table.iln-listing``), so its last
columns, the health report's flags, the review queue's dates, stay in reach.
"""

import pytest

from tests.helpers import log_in

pytestmark = pytest.mark.browser

# The demo's listings with rows (its health report has none before a round is under way:
# tests/health checks its table is one of these).
LISTINGS = [
    "/admin/snippets/wagtail_iln/participant/",
    "/admin/snippets/wagtail_iln/enrolment/",
    "/admin/snippets/wagtail_iln/round/",
]

# For each listing table: scrolled to its end, how far its last header cell's right edge
# lies past the window's (0 or less: in reach), and whether the page scrolls sideways.
LAST_COLUMN_BEYOND = """() => [...document.querySelectorAll("table.listing")].map(table => {
    table.scrollLeft = table.scrollWidth;
    const cells = table.querySelectorAll("thead th");
    const last = cells[cells.length - 1];
    return Math.round(last.getBoundingClientRect().right - document.documentElement.clientWidth);
})"""


@pytest.fixture
def phone(browser, demo_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    log_in(page, demo_server)
    yield page
    context.close()


@pytest.mark.parametrize("path", LISTINGS)
def test_every_column_of_a_listing_can_be_scrolled_into_view(
    phone, demo_server, artifacts_dir, path
):
    phone.goto(demo_server + path)
    name = path.strip("/").replace("/", "-")
    phone.screenshot(path=str(artifacts_dir / f"{name}-390.png"))
    beyond = phone.evaluate(LAST_COLUMN_BEYOND)
    assert beyond, "the listing has rows in the demo"
    assert max(beyond) <= 0
    # The page itself does not scroll sideways: the table does.
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
