"""A photo's long story in a topic's gallery, in a real browser: its first lines, and a
button that shows it whole, pressed with the keyboard, at a phone's and a desktop's
width, in the three languages; axe-core finds nothing in the gallery, open or not.

A story of about four lines of a phone has the button in the narrow cards of a wide
screen only, a short one nowhere. The photos are added to a copy of the demo's
database, served apart, so that no other test sees them.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import test_accessibility
from .conftest import _demo_env, _manage, _serve
from .test_accessibility import axe_violations, overflow
from .test_keyboard import assert_focus_visible

pytestmark = pytest.mark.browser

axe_source = test_accessibility.axe_source  # the fixture: axe-core's script
TOPICS = test_accessibility.TOPICS

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LONG_TITLE = "The staircase corner"
LONG_STORY = (
    "When the library moved into the old customs house, nobody knew what to do with the "
    "space under the grand staircase. For a year it held boxes of donated books.\n"
    "Then a retired teacher asked if she could read there with her grandson after school. "
    "Others followed, and someone brought a rug, then a lamp, then two armchairs.\n"
    "Ask at the desk for the key to the cupboard under the stairs: it opens on the best "
    "seat in town."
)
NARROW_TITLE = "The musical returns chute"
NARROW_STORY = (
    "Our returns chute plays a little tune when a book slides down it, and children queue "
    "to hear it."
)
SHORT_TITLE = "The window bench"
SHORT_STORY = "Sun until noon."
ADD_PHOTOS = f"""
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wagtail_iln.models import PhotoSubmission
from wagtail_iln.photos import moderation
from wagtail_iln.photos.intake import clean_photo

# The campaign of the demo topic's gallery, which shows its photos in every language.
campaign = PhotoSubmission.objects.get(title="The nook under the stairs").campaign
moderator = get_user_model().objects.filter(is_superuser=True).first()
for colour, title, story in [
    ((110, 150, 70), {SHORT_TITLE!r}, {SHORT_STORY!r}),
    ((70, 110, 150), {NARROW_TITLE!r}, {NARROW_STORY!r}),
    ((150, 110, 70), {LONG_TITLE!r}, {LONG_STORY!r}),
]:
    out = BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG")
    photo = clean_photo(SimpleUploadedFile("photo.jpg", out.getvalue(), "image/jpeg"))
    submission = PhotoSubmission(
        campaign=campaign,
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        consent_given_at=timezone.now(),
        language="en",
        title=title,
        story=story,
        credit_name="Hemi Walker",
        email="hemi.walker@example.org",
        country="NZ",
        workplace="Te Awamutu Library",
        licence="cc-by-4.0",
    )
    submission.file.save(f"photo.{{photo.extension}}", ContentFile(photo.content), save=False)
    submission.save()
    moderation.approve(submission, moderator)
"""
# Whether the first or the last character of a story is drawn where it is, inside its
# box and on top: a story cut by its line clamp has its end laid out, but hidden.
SHOWN = """(story, which) => {
    const walker = document.createTreeWalker(story, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) if (walker.currentNode.data.trim()) texts.push(walker.currentNode);
    const text = which === "first" ? texts[0] : texts[texts.length - 1];
    const at = which === "first" ? text.data.search(/\\S/) : text.data.trimEnd().length - 1;
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + 1);
    window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
    const character = range.getBoundingClientRect();
    const box = story.getBoundingClientRect();
    const x = character.left + character.width / 2;
    const y = character.top + character.height / 2;
    return character.height > 0 && character.bottom <= box.bottom + 0.5
        && story.contains(document.elementFromPoint(x, y));
}"""


@pytest.fixture(scope="module")
def stories_server(demo_env, tmp_path_factory):
    """The demo with two more approved photos, on a copy of its database and media."""
    source = Path(demo_env["ILN_DEMO_TMP"])
    tmp_dir = tmp_path_factory.mktemp("demo-stories")
    original = sqlite3.connect(source / "demo.sqlite3")
    copy = sqlite3.connect(tmp_dir / "demo.sqlite3")
    try:
        original.backup(copy)
    finally:
        original.close()
        copy.close()
    shutil.copytree(source / "media", tmp_dir / "media")
    env = {**_demo_env(tmp_dir), "ILN_DEMO_TMP": str(tmp_dir)}
    _manage("shell", "-c", ADD_PHOTOS, env=env)
    yield from _serve(env, "runserver-stories.log")


def shown(story, which):
    return story.evaluate(SHOWN, which)


@pytest.mark.parametrize(
    ("language", "width", "key"),
    [
        ("en", "phone", "Enter"),
        ("en", "desktop", "Space"),
        ("fr", "phone", "Space"),
        ("fr", "desktop", "Enter"),
        ("es", "phone", "Enter"),
        ("es", "desktop", "Space"),
    ],
)
def test_a_long_story_opens_whole_from_the_keyboard(
    browser, stories_server, axe_source, artifacts_dir, language, width, key
):
    # The demo's content security policy would refuse the injected axe-core.
    context = browser.new_context(viewport=WIDTHS[width], locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(stories_server + TOPICS[language])
        gallery = page.locator(".iln-gallery")
        photo = gallery.locator(".iln-photo", has_text=LONG_TITLE)
        story = photo.locator(".iln-photo__story")
        more = photo.locator("details.iln-photo__more")
        summary = more.locator("summary")

        # Its start, and the button; the end is cut off.
        expect(summary).to_be_visible()
        assert shown(story, "first")
        assert not shown(story, "last")
        if language == "en":
            expect(summary).to_have_text("Read the whole story")
            expect(summary).to_have_accessible_name(f"Read the whole story of “{LONG_TITLE}”")
        assert axe_violations(page, axe_source, gallery) == []
        photo.scroll_into_view_if_needed()
        gallery.screenshot(path=artifacts_dir / f"gallery-{language}-{width}-closed.png")

        # To the button with the keyboard, its focus seen, and pressed.
        summary.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        expect(summary).to_be_focused()
        assert_focus_visible(page)
        page.keyboard.press(key)
        expect(more).to_have_attribute("open", "")
        assert shown(story, "last")
        assert shown(story, "first")
        expect(summary).to_be_focused()
        assert_focus_visible(page)
        assert axe_violations(page, axe_source, gallery) == []
        assert overflow(page) <= 0
        photo.scroll_into_view_if_needed()
        gallery.screenshot(path=artifacts_dir / f"gallery-{language}-{width}-open.png")

        # Pressed again, it shows the start again.
        page.keyboard.press(key)
        expect(more).not_to_have_attribute("open", "")
        assert not shown(story, "last")

        # A story of four lines of a phone: whole there, cut in a desktop's narrow cards.
        narrow = gallery.locator(".iln-photo", has_text=NARROW_TITLE)
        narrow_story = narrow.locator(".iln-photo__story")
        if width == "phone":
            expect(narrow.locator("summary")).to_be_hidden()
            assert shown(narrow_story, "last")
        else:
            expect(narrow.locator("summary")).to_be_visible()
            assert not shown(narrow_story, "last")
        # A short story has no button.
        short = gallery.locator(".iln-photo", has_text=SHORT_TITLE)
        expect(short.locator("details")).to_have_count(0)
        assert shown(short.locator(".iln-photo__story"), "last")

        if width == "desktop":
            # Counted long for every card, as a story a little longer would be: cut in the
            # grid's narrow cards; in a list's wide cards it fits, and has no button there.
            narrow.locator("details").evaluate(
                "d => d.classList.replace('iln-photo__more--narrow', 'iln-photo__more--always')"
            )
            expect(narrow.locator("summary")).to_be_visible()
            gallery.evaluate("g => g.classList.replace('iln-gallery--grid', 'iln-gallery--list')")
            expect(narrow.locator("summary")).to_be_hidden()
            assert shown(narrow_story, "last")
            expect(summary).to_be_visible()  # the long story is still cut
            assert not shown(story, "last")
            gallery.evaluate("g => g.classList.replace('iln-gallery--list', 'iln-gallery--grid')")
            expect(narrow.locator("summary")).to_be_visible()
            assert not shown(narrow_story, "last")
    finally:
        context.close()
