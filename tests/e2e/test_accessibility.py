"""axe-core finds no violation on the demo's public pages, in three languages, at two widths.

The pages: a topic, its index, the application page, My data, the photo
form's own page (opened), the topic search's results and the 404 page (served
with DEBUG off).

axe-core comes from the npm registry (``npm pack``, a pinned version) into the
git-ignored ``.axe-core/`` folder the first time, and is injected into each
page by Playwright. A screenshot of every page checked goes to
``test-artifacts/``.
"""

import shutil
import subprocess
import tarfile

import pytest

from .conftest import REPO_DIR, _unavailable

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE_DIR = REPO_DIR / ".axe-core"
TOPICS = {
    "en": "/discussion/getting-to-know-you/",
    "fr": "/fr/discussions/faisons-connaissance/",
    "es": "/es/debates/conozcamonos/",
}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
# axe-core on the whole page, or on the element passed.
RUN_AXE = """async (context) => {
    const results = await axe.run(context || document, {resultTypes: ["violations"]});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}"""


@pytest.fixture(scope="module")
def axe_source():
    script = AXE_DIR / f"axe-{AXE_VERSION}.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is needed to fetch axe-core")
        AXE_DIR.mkdir(exist_ok=True)
        subprocess.run(
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_DIR)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        with tarfile.open(AXE_DIR / f"axe-core-{AXE_VERSION}.tgz") as archive:
            member = archive.extractfile("package/axe.min.js")
            script.write_bytes(member.read())
    return script.read_text()


def overflow(page):
    """How many pixels the page is wider than the window (scrolls sideways), or 0 or less."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def axe_violations(page, axe_source, within=None):
    """axe-core's violations on the page, or ``within`` a locator's element.

    On the whole page, a page wider than the window (sideways scrolling on a
    phone) counts as one too.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    if within is not None:
        return page.evaluate(RUN_AXE, within.element_handle())
    violations = page.evaluate(RUN_AXE)
    if overflow(page) > 0:
        violations.append({"id": "horizontal-scroll", "overflow_px": overflow(page)})
    return violations


def public_pages(page, demo_server, language):
    """``{name: (path, status)}``: the topic, its index, the application page, My data,
    the photo form's own page, search results and a missing page, in ``language``."""
    page.goto(demo_server + TOPICS[language])
    index = page.locator(".iln-breadcrumbs li:nth-last-child(2) a").get_attribute("href")
    apply = page.locator("a[data-iln-apply-link]").first.get_attribute("href")
    # Posted from no page (its action without ?page=), the photo form has a page of its own.
    photo_form = page.locator("form[data-iln-photo-form]").get_attribute("action")
    prefix = "" if language == "en" else f"/{language}"
    return {
        "topic": (TOPICS[language], 200),
        "index": (index, 200),
        "application": (apply, 200),
        "my-data": (f"{prefix}/iln/my-data/", 200),
        "photo-form": (photo_form.split("?")[0].split("#")[0], 200),
        # Under the site's header, which has a search form too.
        "search": (f"{prefix}/iln/search/?q=library", 200),
        "404": (f"{prefix}/no-such-page/", 404),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violation_on_the_public_pages(
    browser, demo_server, demo_server_without_debug, axe_source, artifacts_dir, width
):
    # The demo's content security policy would refuse the injected script.
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
    page = context.new_page()
    found = {}
    checked = 0
    try:
        for language in TOPICS:
            for name, (path, status) in public_pages(page, demo_server, language).items():
                # With DEBUG on, a missing page is Django's report, not the site's page.
                server = demo_server_without_debug if status == 404 else demo_server
                response = page.goto(server + path)
                assert response.status == status, path
                assert page.locator("html").get_attribute("lang") == language, path
                if name == "photo-form":
                    # Checked open, as a reader who chose to send a photo sees it.
                    page.locator("[data-iln-photo-form-open]").click()
                    assert page.locator("form[data-iln-photo-form]").is_visible()
                violations = axe_violations(page, axe_source)
                checked += 1
                page.screenshot(
                    path=artifacts_dir / f"public-{name}-{language}-{width}.png", full_page=True
                )
                if violations:
                    found[f"{language} {name} {path}"] = violations
    finally:
        context.close()
    assert checked == 21
    assert found == {}
