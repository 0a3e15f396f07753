"""The install contract inside a brand-new site, with the package as pip installed it.

Run by .ci/install_contract.sh from the site's folder, after migrate:

    DJANGO_SETTINGS_MODULE=mysite.settings.dev python .ci/install_contract_site.py

What a visitor, an editor and the scheduled commands do, through the real
views (django.test.Client) and commands, on the site's own database and
settings; e-mail goes to Django's locmem backend. Every template the package
ships loads; a credited topic, its index and feeds render; the public forms
post; the admin's Moderation and Programme views open for a superuser who
logged in; every kind of e-mail is sent once, with a subject in its
recipient's language (checked against the installed catalogue) and a body.
Exits non-zero at the first broken promise.
"""

import datetime
import html
import io
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

# The site's folder, never this script's (the checkout's .ci/): the package must come from
# the virtualenv.
sys.path[0] = os.getcwd()

import django  # noqa: E402

django.setup()

from bs4 import BeautifulSoup  # noqa: E402  (Wagtail requires beautifulsoup4)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django.utils.translation import gettext  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Site  # noqa: E402

import wagtail_iln  # noqa: E402
from wagtail_iln.models import (  # noqa: E402
    Comment,
    DiscussionIndexPage,
    DiscussionTopicPage,
    Enrolment,
    ImageCredit,
    Participant,
    Partnership,
    PartnershipMember,
    PhotoCampaign,
    PhotoSubmission,
    Round,
)

# The test client's host, and e-mail kept in mail.outbox, as under Django's test runner.
setup_test_environment()

PACKAGE_DIR = Path(wagtail_iln.__file__).resolve().parent
SITE_LANGUAGE = settings.LANGUAGE_CODE
TODAY = timezone.localdate()
SENT = {}  # e-mail kind: how many were sent and checked


def fail(message):
    raise SystemExit(f"install contract broken: {message}")


def check(condition, message):
    if not condition:
        fail(message)


def text_of(markup):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def path_of(url):
    """The path (and query) of an absolute link from an e-mail, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(message, route):
    match = re.search(rf"https?://\S+?({re.escape(route)}\S*)", message.body)
    check(match, f"no link to {route} in the e-mail {message.subject!r}:\n{message.body}")
    return path_of(match.group(0))


# The e-mails


BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<options>[^%]*)%}(?P<text>.*?){%\s*endblocktrans(?:late)?\s*%}",
    re.S,
)
TRANSLATE = re.compile(r"""{%\s*trans(?:late)?\s+(?P<q>["'])(?P<text>.*?)(?P=q)\s*%}""")


def subject_msgid(template):
    """The message id of an e-mail's subject, read from the template the site loads."""
    source = get_template(f"{template}_subject.txt").template.source
    if found := BLOCKTRANSLATE.search(source):
        text = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", found["text"])
        return " ".join(text.split()) if "trimmed" in found["options"] else text
    if found := TRANSLATE.search(source):
        return found["text"]
    fail(f"{template}_subject.txt has no translatable subject")


def subject_pattern(template, language):
    """What the subject reads in ``language``, its placeholders matching anything."""
    msgid = subject_msgid(template)
    with translation.override(language):
        translated = gettext(msgid)
    if not language.startswith("en"):
        check(translated != msgid, f"no {language} translation of {msgid!r} installed")
    parts = re.split(r"%\(\w+\)s", " ".join(translated.split()))
    return re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$")


class Outbox:
    """The e-mails sent since the last look."""

    def __init__(self):
        self.seen = len(mail.outbox)

    def take(self, expected):
        """The new e-mails are exactly ``expected``: {address: (kind, template, language)}.

        Each has the subject of its template in its recipient's language, and a body.
        """
        messages = mail.outbox[self.seen :]
        self.seen = len(mail.outbox)
        addresses = sorted(address for message in messages for address in message.to)
        check(
            addresses == sorted(expected),
            f"e-mails went to {addresses}, expected {sorted(expected)}: "
            f"{[m.subject for m in messages]}",
        )
        by_address = {}
        for message in messages:
            (address,) = message.to
            kind, template, language = expected[address]
            pattern = subject_pattern(template, language)
            check(
                pattern.match(message.subject),
                f"{kind} to {address}: the subject {message.subject!r} is not the {language} "
                f"one ({pattern.pattern})",
            )
            check(message.body.strip(), f"{kind} to {address}: the body is empty")
            SENT[kind] = SENT.get(kind, 0) + 1
            print(f"e-mail {kind} to {address}, in {language}: {message.subject}")
            by_address[address] = message
        return by_address


def expect_status(response, status, what):
    if response.status_code != status:
        page = text_of(response.content.decode())[:2000]
        fail(f"{what}: {response.status_code}, expected {status}\n{page}")
    return response


def form_fields(page_html, selector):
    """A form on a page as the browser would post it: its action and hidden fields."""
    form = BeautifulSoup(page_html, "html.parser").select_one(selector)
    check(form is not None, f"no {selector} on the page")
    hidden = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("type") == "hidden" and field.get("name")
    }
    return form["action"], hidden


def jpeg(color):
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), color).save(buffer, format="JPEG")
    return buffer.getvalue()


# Every template the package ships loads


def templates_load():
    root = PACKAGE_DIR / "templates"
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    check(names, f"no templates in {root}")
    for name in names:
        origin = Path(get_template(name).origin.name).resolve()
        check(origin.is_relative_to(PACKAGE_DIR), f"{name} loaded from {origin}, not the package")
    print(f"{len(names)} templates load, from {PACKAGE_DIR}")


# The site's content: what an editor makes in the admin, made here directly


def build_site():
    image = get_image_model().objects.create(
        title="Reading room", file=ImageFile(io.BytesIO(jpeg("teal")), name="reading-room.jpg")
    )
    ImageCredit.objects.create(image=image, title="Start", creator="eko", licence="cc-by-nc-sa-2.0")
    campaign = PhotoCampaign.objects.create(
        name="Favourite feature",
        hashtags="#favouritefeature",
        moderator_emails=["moderator@example.org"],
    )
    now = timezone.now()
    applying = Round.objects.create(
        name="Round 2027",
        starts_on=TODAY + datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=150),
        applications_open_at=now - datetime.timedelta(days=1),
        applications_close_at=now + datetime.timedelta(days=20),
        status="applications_open",
    )
    running = Round.objects.create(
        name="Round 2026",
        starts_on=TODAY - datetime.timedelta(days=20),
        ends_on=TODAY + datetime.timedelta(days=100),
        status="running",
    )
    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=DiscussionIndexPage(title="Discussion", slug="discussion"))
    index.save_revision().publish()
    topic = index.add_child(
        instance=DiscussionTopicPage(
            title="Getting to know you",
            slug="getting-to-know-you",
            intro="Who we are and where we work.",
            hero_image=image,
            body=[
                ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
                ("round_application_form", {"round": applying, "heading": "Apply"}),
            ],
        )
    )
    topic.save_revision().publish()
    topic.refresh_from_db()
    return index, topic, campaign, applying, running


def topic_renders(index, topic):
    client = Client()
    page = text_of(expect_status(client.get(topic.url), 200, "the topic page").content.decode())
    check("Getting to know you" in page, "topic title missing from the topic page")
    credit = "Photo: 'Start' by eko, CC BY-NC-SA 2.0"
    if SITE_LANGUAGE.startswith("en"):
        check(credit in page, f"credit line {credit!r} missing from the topic page")
    index_page = client.get(index.url).content.decode()
    check("Getting to know you" in text_of(index_page), "topic missing from the index")
    for name in ("wagtail_iln:topics_rss", "wagtail_iln:topics_atom"):
        feed = expect_status(client.get(reverse(name, args=[index.pk])), 200, name)
        titles = [el.text for el in ET.fromstring(feed.content).iter() if el.tag.endswith("title")]
        check("Getting to know you" in titles, f"{name}: {titles}")
    print("a credited topic, its index and its feeds render")


# An editor in the admin


def admin_client():
    get_user_model().objects.create_superuser("editor", "editor@example.org", "contract-pw")
    client = Client()
    login = client.get(reverse("wagtailadmin_login"))
    expect_status(login, 200, "the admin login page")
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "editor", "password": "contract-pw"}
    )
    check(response.status_code == 302, f"logging in to the admin: {response.status_code}")
    expect_status(client.get(reverse("wagtailadmin_home")), 200, "the admin home")
    return client


def admin_views_open(client, photo, comment, running, applying):
    urls = [
        reverse("wagtail_iln_photos:index"),
        reverse("wagtail_iln_photos:inspect", args=[photo.pk]),
        reverse("wagtail_iln_comments:index"),
        reverse("wagtail_iln_comments:inspect", args=[comment.pk]),
        reverse("wagtailsnippets_wagtail_iln_photocampaign:list"),
        reverse("wagtailsnippets_wagtail_iln_imagecredit:list"),
        reverse("wagtailsnippets_wagtail_iln_round:list"),
        reverse("wagtailsnippets_wagtail_iln_round:edit", args=[running.pk]),
        reverse("wagtailsnippets_wagtail_iln_round:matching", args=[applying.pk]),
        reverse("wagtailsnippets_wagtail_iln_participant:list"),
        reverse("wagtailsnippets_wagtail_iln_enrolment:list"),
        reverse("wagtailsnippets_wagtail_iln_partnership:list"),
        reverse("iln_partnership_health:index"),
    ]
    for url in urls:
        expect_status(client.get(url), 200, f"GET {url}")
    print(f"{len(urls)} views of the Moderation and Programme menus open")


# The flows, each through its real views or command


def photo_flows(topic, editor):
    """A visitor sends two photos; the editor approves one and rejects the other."""
    language = topic.locale.language_code
    visitor = Client()
    outbox = Outbox()
    for title, color in (("The reading room window", "orange"), ("A blurred shelf", "grey")):
        action, data = form_fields(visitor.get(topic.url).content, "form[data-iln-photo-form]")
        data.update(
            photo=SimpleUploadedFile("IMG_2041.JPG", jpeg(color), "image/jpeg"),
            title=title,
            story="Morning light over the harbour.",
            credit_name="Ana Souza",
            email="ana@example.org",
            country="BR",
            workplace="Biblioteca Municipal",
            licence="cc-by-4.0",
            consent="on",
            website="",
        )
        expect_status(visitor.post(action, data), 302, "posting the photo form")
        outbox.take(
            {
                "moderator@example.org": (
                    "photo received",
                    "wagtail_iln/photos/emails/received",
                    SITE_LANGUAGE,
                ),
                "ana@example.org": (
                    "photo confirmation",
                    "wagtail_iln/photos/emails/confirmation",
                    language,
                ),
            }
        )
    approved, rejected = PhotoSubmission.objects.order_by("pk")

    response = editor.post(reverse("wagtail_iln_photos:approve", args=[approved.pk]))
    expect_status(response, 302, "approving the photo")
    outbox.take(
        {"ana@example.org": ("photo approved", "wagtail_iln/photos/emails/approved", language)}
    )
    response = editor.post(
        reverse("wagtail_iln_photos:reject", args=[rejected.pk]), {"reject-reason": "not-clear"}
    )
    expect_status(response, 302, "rejecting the photo")
    outbox.take(
        {"ana@example.org": ("photo rejected", "wagtail_iln/photos/emails/rejected", language)}
    )
    approved.refresh_from_db()
    check(approved.image_id, "the approved photo has no image")
    return approved


def post_comment(client, topic, **fields):
    action, data = form_fields(client.get(topic.url).content, "#comment-form")
    data.update(website="", **fields)
    return expect_status(client.post(action, data), 302, "posting the comment form")


def comment_flows(topic, editor):
    """Mia comments and asks to be told of new comments; Ola replies; the editor approves both."""
    language = topic.locale.language_code
    outbox = Outbox()
    mia = Client()
    post_comment(mia, topic, name="Mia", email="mia@example.org", body="Hello!", notify="on")
    sent = outbox.take(
        {
            "mia@example.org": (
                "comment notification confirmation",
                "wagtail_iln/comments/emails/confirm_subscription",
                language,
            )
        }
    )
    confirm = link_in(sent["mia@example.org"], "/iln/comments/confirm/")
    expect_status(mia.get(confirm), 200, "opening the confirmation link")
    expect_status(mia.post(confirm), 200, "confirming the notifications")

    first = Comment.objects.get()
    response = editor.post(reverse("wagtail_iln_comments:approve", args=[first.pk]))
    expect_status(response, 302, "approving the comment")
    outbox.take(
        {
            "mia@example.org": (
                "comment approved",
                "wagtail_iln/comments/emails/approved",
                language,
            )
        }
    )

    post_comment(
        Client(), topic, name="Ola", email="ola@example.org", body="Hi Mia!", parent=first.pk
    )
    outbox.take({})
    reply = Comment.objects.get(parent=first)
    response = editor.post(reverse("wagtail_iln_comments:approve", args=[reply.pk]))
    expect_status(response, 302, "approving the reply")
    outbox.take(
        {
            "ola@example.org": (
                "comment approved",
                "wagtail_iln/comments/emails/approved",
                language,
            ),
            "mia@example.org": (
                "reply notification",
                "wagtail_iln/comments/emails/new_comment",
                language,
            ),
        }
    )
    page = text_of(Client().get(topic.url).content.decode())
    check("Hi Mia!" in page, "the approved reply is not on the topic page")
    return first


APPLICANT = {
    "name": "Lucía Gómez",
    "email": "lucia@example.org",
    "country": "MX",
    "city": "Oaxaca",
    "time_zone": "America/Mexico_City",
    "languages": ["es", "en"],
    "workplace": "Biblioteca Pública",
    "workplace_kind": "public",
    "workplace_size": "small",
    "role": "Children's librarian",
    "day_to_day": "Story times and a reading club.",
    "career_path": "Teacher, then librarian.",
    "hopes_career": "Run a library network.",
    "hopes_partnership": "Ideas for reaching teenagers.",
    "contact_frequency": "fortnightly",
    "contact_methods": ["email", "video_call"],
}


def application_and_data_flows(topic, applying):
    """Lucía applies and confirms by e-mail, then asks for her data."""
    language = topic.locale.language_code
    outbox = Outbox()
    lucia = Client()
    apply = BeautifulSoup(lucia.get(topic.url).content, "html.parser").select_one(
        "a[data-iln-apply-link]"
    )
    check(apply is not None, "no link to the application's page on the topic")
    action, data = form_fields(lucia.get(apply["href"]).content, "form[data-iln-application-form]")
    data.update(APPLICANT, consent="on", website="")
    expect_status(lucia.post(action, data), 302, "posting the application form")
    sent = outbox.take(
        {
            "lucia@example.org": (
                "application confirmation",
                "wagtail_iln/applications/emails/confirm_application",
                language,
            )
        }
    )
    confirm = link_in(sent["lucia@example.org"], "/iln/rounds/confirm/")
    expect_status(lucia.get(confirm), 200, "opening the application's link")
    expect_status(lucia.post(confirm), 200, "confirming the application")
    check(
        Enrolment.objects.filter(round=applying, participant__email="lucia@example.org").exists(),
        "the confirmed application made no enrolment",
    )

    response = lucia.post(reverse("wagtail_iln:my_data_request"), {"email": "lucia@example.org"})
    expect_status(response, 200, "asking for one's data")
    sent = outbox.take(
        {"lucia@example.org": ("my-data link", "wagtail_iln/privacy/emails/link", SITE_LANGUAGE)}
    )
    page = lucia.get(link_in(sent["lucia@example.org"], "/iln/my-data/"))
    page = text_of(expect_status(page, 200, "the my-data page").content.decode())
    check(
        "lucia@example.org" in page and applying.name in page,
        f"the my-data page does not show the data held: {page[:2000]}",
    )


def participant(name, email, country, languages, language, time_zone):
    return Participant.objects.create(
        name=name,
        email=email,
        country=country,
        city="",
        time_zone=time_zone,
        languages=languages,
        language=language,
        workplace="City Library",
        workplace_kind="public",
        workplace_size="small",
        role="Librarian",
        contact_frequency="fortnightly",
        contact_methods=["email"],
        consent_given_at=timezone.now(),
    )


def email_language(person):
    return person.language or SITE_LANGUAGE


MATCHING_WEIGHTS = {
    "shared_language": "1",
    "working_hours": "0.5",
    "same_contact_frequency": "1",
    "shared_contact_method": "1",
    "workplace_kind": "0.5",
    "prefer_same_workplace_kind": "",
    "returning_with_newcomer": "1",
    "hopes": "2",
}


def introduction_flow(editor, applying):
    """The editor matches a round in the admin and publishes: partners are introduced."""
    people = [
        participant("Chloé Martin", "chloe@example.org", "FR", ["fr", "en"], "fr", "Europe/Paris"),
        participant("Diego Ruiz", "diego@example.org", "AR", ["es", "en"], "es", "America/Cordoba"),
        participant("Ana Souza", "ana.souza@example.org", "BR", ["pt", "en"], "", "America/Recife"),
        participant("Ben Hartley", "ben@example.org", "GB", ["en"], "", "Europe/London"),
    ]
    for person in people:
        Enrolment.objects.create(participant=person, round=applying, status="accepted")
    outbox = Outbox()
    run = reverse("wagtailsnippets_wagtail_iln_round:matching_run", args=[applying.pk])
    expect_status(editor.post(run, MATCHING_WEIGHTS), 302, "running the matching")
    proposed = Partnership.objects.filter(round=applying, status="proposed").count()
    check(proposed == 2, f"the matching proposed {proposed} partnerships, expected 2")
    publish = reverse(
        "wagtailsnippets_wagtail_iln_round:matching_action", args=[applying.pk, "publish"]
    )
    # "Publish" asks first: its confirmation says who is e-mailed and publishes nothing.
    asked = editor.post(publish)
    expect_status(asked, 200, "the confirmation of publishing")
    form = BeautifulSoup(asked.content, "html.parser").select_one(
        "form[data-iln-matching-publish-confirm]"
    )
    check(form is not None, "the confirmation of publishing has its form")
    confirmed = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    # The round still takes applications: confirming without closing them publishes nothing.
    expect_status(editor.post(publish, confirmed), 400, "publishing without closing applications")
    still = Partnership.objects.filter(round=applying, status="proposed").count()
    check(still == 2, f"publishing without the confirmation left {still} proposed, expected 2")
    outbox.take({})
    closing = {**confirmed, "close_applications": "1"}
    expect_status(editor.post(publish, closing), 302, "publishing the partnerships")
    outbox.take(
        {
            person.email: (
                "partnership introduction",
                "wagtail_iln/matching/emails/introduction",
                email_language(person),
            )
            for person in people
        }
    )


def health_flows(editor, running):
    """A partnership 16 days old, never in touch: the editor reminds it; the command checks in."""
    kofi = participant("Kofi Mensah", "kofi@example.org", "GH", ["en", "fr"], "fr", "Africa/Accra")
    emma = participant("Emma Berg", "emma@example.org", "SE", ["en"], "", "Europe/Stockholm")
    partnership = Partnership.objects.create(
        round=running, status="active", started_on=TODAY - datetime.timedelta(days=16)
    )
    for person in (kofi, emma):
        enrolment = Enrolment.objects.create(participant=person, round=running, status="accepted")
        PartnershipMember.objects.create(partnership=partnership, enrolment=enrolment)
    outbox = Outbox()

    remind = reverse("iln_partnership_health:remind", args=[partnership.pk])
    expect_status(editor.get(remind), 200, "the reminder's confirmation")
    expect_status(editor.post(remind), 302, "sending the reminder")
    outbox.take(
        {
            person.email: ("reminder", "wagtail_iln/health/emails/reminder", email_language(person))
            for person in (kofi, emma)
        }
    )

    output = io.StringIO()
    call_command("iln_partnership_health", stdout=output)
    check("E-mails queued: 2" in output.getvalue(), output.getvalue())
    sent = outbox.take(
        {
            person.email: ("check-in", "wagtail_iln/health/emails/check_in", email_language(person))
            for person in (kofi, emma)
        }
    )
    answer = link_in(sent["emma@example.org"], "/iln/check-in/")
    expect_status(Client().post(answer), 200, "answering the check-in")


KINDS = {
    "photo received",
    "photo confirmation",
    "photo approved",
    "photo rejected",
    "comment notification confirmation",
    "comment approved",
    "reply notification",
    "application confirmation",
    "my-data link",
    "partnership introduction",
    "reminder",
    "check-in",
}


def main():
    print(f"site language {SITE_LANGUAGE}; wagtail_iln from {PACKAGE_DIR}")
    check("site-packages" in PACKAGE_DIR.parts, f"wagtail_iln imported from {PACKAGE_DIR}")
    templates_load()
    index, topic, campaign, applying, running = build_site()
    topic_renders(index, topic)
    editor = admin_client()
    photo = photo_flows(topic, editor)
    comment = comment_flows(topic, editor)
    application_and_data_flows(topic, applying)
    introduction_flow(editor, applying)
    health_flows(editor, running)
    admin_views_open(editor, photo, comment, running, applying)
    missing = sorted(KINDS - set(SENT))
    check(not missing, f"no e-mail of these kinds was sent: {missing}")
    print(f"{sum(SENT.values())} e-mails of {len(SENT)} kinds, each in its recipient's language")


if __name__ == "__main__":
    main()
