"""What several test modules share: pages as a visitor posts them, photos, users."""

import datetime
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail_localize.models import TranslationSource

from tests.factories import RoundFactory
from wagtail_iln.comments.models import Comment, email_hash
from wagtail_iln.models import ImageCredit, PhotoSubmission
from wagtail_iln.photos.intake import clean_photo

GPS_TAG = 0x8825


def jpeg_with_gps(width=800, height=600, color=(40, 120, 160)):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_TAG).update({1: "S", 2: (33.0, 52.0, 4.0), 3: "E", 4: (151.0, 12.0, 36.0)})
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", exif=exif)
    return out.getvalue()


def shown_form(client, page, selector):
    """A form as ``page`` shows it: its action and its hidden fields' values.

    ``page`` is a page or a URL; a form the page links to (the application's
    page) is followed to.
    """
    url = page if isinstance(page, str) else page.url
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    form = soup.select_one(selector)
    link = soup.select_one("a[data-iln-apply-link]")
    if form is None and link is not None:
        soup = BeautifulSoup(client.get(link["href"]).content, "html.parser")
        form = soup.select_one(selector)
    hidden = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("type") == "hidden"
    }
    return form["action"], hidden


def photo_form_data(page, client=None, **overrides):
    """What a visitor's browser posts: the fields as the page renders them, filled in."""
    action, data = shown_form(client or Client(), page, "form[data-iln-photo-form]")
    data.update(
        {
            "photo": SimpleUploadedFile("IMG_2041.JPG", jpeg_with_gps(), "image/jpeg"),
            "title": "The reading room window",
            "story": "Morning light over the harbour, every day.",
            "credit_name": "Ana Souza",
            "email": "ana@example.org",
            "country": "BR",
            "workplace": "Biblioteca Municipal",
            "licence": "cc-by-4.0",
            "consent": "on",
            "website": "",
        }
    )
    data.update(overrides)
    return action, data


# A round's application form, filled in as an applicant does.
APPLICATION_PROFILE = {
    "name": "Ana Souza",
    "email": "ana@example.org",
    "country": "BR",
    "city": "Recife",
    "time_zone": "America/Recife",
    "languages": ["pt", "en"],
    "workplace": "Biblioteca Municipal",
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


def application_form_data(page, client=None, **overrides):
    """What an applicant's browser posts: the form as the page renders it, filled in."""
    action, data = shown_form(client or Client(), page, "form[data-iln-application-form]")
    data.update(APPLICATION_PROFILE, consent="on", website="")
    data.update(overrides)
    return action, data


def open_round(**fields):
    """A round taking applications: its window opened yesterday and closes in 20 days.

    It starts in a month and ends in five: a round whose end date has passed is closed.
    """
    now = timezone.now()
    fields.setdefault("name", "2026 round")
    fields.setdefault("applications_open_at", now - datetime.timedelta(days=1))
    fields.setdefault("applications_close_at", now + datetime.timedelta(days=20))
    fields.setdefault("starts_on", now.date() + datetime.timedelta(days=30))
    fields.setdefault("ends_on", now.date() + datetime.timedelta(days=150))
    return RoundFactory(**fields)


_numbers = itertools.count(1)


def announcement_body(round, campaign, image):
    """The body of a topic like the demo's announcement: every block that shows a round or campaign.

    Round stats with their chart, the application form, a body ``image``, the
    photo form and the campaign's gallery, as ``DiscussionTopicPageFactory(body=...)`` takes it.
    """
    return [
        ("round_stats", {"round": round, "heading": "", "show_chart": True}),
        ("round_application_form", {"round": round, "heading": "Apply"}),
        ("image", {"image": image, "caption": "Our reading room"}),
        ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
        (
            "photo_gallery",
            {"campaign": campaign, "heading": "Photos", "per_page": 12, "layout": "grid"},
        ),
    ]


def picture(width=64, height=48, color=(200, 120, 40), fmt="PNG", exif=None):
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", (width, height), color).save(out, fmt, **options)
    return out.getvalue()


def submission_fields(campaign, **fields):
    n = next(_numbers)
    return {
        "campaign": campaign,
        "sha256": f"{n:064x}",
        "title": f"Photo {n}",
        "story": "The best corner of the library.",
        "credit_name": f"Person {n}",
        "email": f"person{n}@example.org",
        "country": "BR",
        "workplace": "Biblioteca Municipal",
        "licence": "cc-by-4.0",
        "consent_given_at": timezone.now(),
        **fields,
    }


def approved_photo(campaign, width=64, height=48, moderated_at=None, **fields):
    """An approved submission with its image and credit, made directly (no file copy)."""
    fields = submission_fields(campaign, **fields)
    image = get_image_model()(title=fields["title"], collection=campaign.collection)
    image.file = ImageFile(io.BytesIO(picture(width, height)), name="photo.png")
    image._set_image_file_metadata()
    image.save()
    ImageCredit.objects.create(
        image=image, title=fields["title"], creator=fields["credit_name"], licence=fields["licence"]
    )
    return PhotoSubmission.objects.create(
        status=PhotoSubmission.Status.APPROVED,
        image=image,
        moderated_at=moderated_at or timezone.now(),
        **fields,
    )


def pending_photo(campaign, content=None, **fields):
    """A pending submission whose file went through the real intake."""
    clean = clean_photo(SimpleUploadedFile("IMG_0001.JPG", content or jpeg_with_gps()))
    submission = PhotoSubmission(
        **submission_fields(campaign, sha256=clean.sha256, **fields),
        width=clean.width,
        height=clean.height,
    )
    submission.file.save(f"photo.{clean.extension}", ContentFile(clean.content), save=False)
    submission.save()
    return submission


def page_soup(client, page, **params):
    return BeautifulSoup(client.get(page.url, params).content, "html.parser")


def comment_form_data(client, page, **fields):
    """What a commenter's browser posts: the comment form as the page renders it, filled in."""
    action, data = shown_form(client, page, "#comment-form")
    data.update(
        {"name": "Mia", "email": "mia@example.org", "body": "Hello from Oslo!", "website": ""}
    )
    data.update(fields)
    return action, data


def post_comment(client, page, **fields):
    return client.post(*comment_form_data(client, page, **fields))


def approved_comment(page, **fields):
    values = {
        "thread_key": page.translation_key,
        "page": page,
        "language": page.locale.language_code,
        "name": "Ana",
        "email_hash": email_hash("ana@example.org"),
        "body": "Our library has a rooftop garden.",
        "status": Comment.Status.APPROVED,
    }
    values.update(fields)
    return Comment.objects.create(**values)


def held_comment(page, email="mia@example.org", **fields):
    """A first comment from ``email``, held for a moderator, who will tell its author."""
    fields = {"name": "Mia", "status": Comment.Status.PENDING, **fields}
    fields.setdefault("held_reason", Comment.HeldReason.FIRST_TIME)
    return approved_comment(page, email=email, email_hash=email_hash(email), **fields)


def make_user(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailadmin", "wagtail_iln"],
        codename__in=["access_admin", *codenames],
    )
    user.user_permissions.set(perms)
    return user


def publish_proposal(client, round, follow=True, **extra):
    """Publish ``round``'s proposal as an editor does: "Publish and introduce the partners",
    then the confirmation's "Yes" (``extra`` adds to its form: ``close_applications="1"``)."""
    url = reverse("wagtailsnippets_wagtail_iln_round:matching_action", args=[round.pk, "publish"])
    confirmation = BeautifulSoup(client.get(url).content, "html.parser")
    form = confirmation.select_one("form[data-iln-matching-publish-confirm]")
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return client.post(form["action"], {**data, **extra}, follow=follow)


def approve_in_the_queue(submission, django_user_model, capture):
    """A photo moderator approves ``submission`` with the queue's button; its tasks run."""
    moderator = Client()
    moderator.force_login(make_user(django_user_model, "mo", "moderate_photosubmission"))
    with capture(execute=True):
        return moderator.post(reverse("wagtail_iln_photos:approve", args=[submission.pk]))


def translate(page, locale, strings):
    """Translate a page as a translator would: through a PO file, then publish."""
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation_ = source.translations.create(target_locale=locale)
    po = translation_.export_po()
    for entry in po:
        entry.msgstr = strings.get(entry.msgid, entry.msgid)
    translation_.import_po(po)
    translation_.save_target(publish=True)
    return page.get_translation(locale)


def phone_photo(colour=(200, 120, 60)):
    """A phone's JPEG with GPS in its EXIF; photos of another ``colour`` are not duplicates."""
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "S", 2: (41.0, 17.0, 0.0), 3: "E", 4: (174.0, 46.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def log_in(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "changeme")
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def stored_files(media_root):
    """Every file under MEDIA_ROOT and the private folder beside it, as sorted paths."""
    media = Path(media_root)
    roots = [media, media.with_name(f"{media.name}_private")]
    return sorted(str(p) for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def run_task_worker():
    """django-tasks-db's worker command, in this process: every task that is due, then stop.

    Its closing of old connections would end the test's own transaction, and its signal
    handlers would outlive it in the test process, so both are skipped.
    """
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    with (
        mock.patch.object(db_worker, "close_old_connections"),
        mock.patch.object(db_worker.Worker, "configure_signals"),
    ):
        call_command(
            "db_worker",
            queue_name="default",
            interval=0,
            batch=True,
            startup_delay=False,
            worker_id="test-worker",
            stdout=io.StringIO(),
        )


def oidc_provider_settings(server_url="http://127.0.0.1:9/o", client_id="wagtail-iln-tests"):
    """``SOCIALACCOUNT_PROVIDERS`` with one OpenID Connect provider, "Programme login"."""
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "programme-login",
                    "name": "Programme login",
                    "client_id": client_id,
                    "secret": "not-a-secret",
                    "settings": {"server_url": server_url},
                }
            ]
        }
    }


def run_without(package, settings_module, test_path):
    """Run ``test_path`` in a second interpreter where ``package`` cannot be imported.

    As on a site that never installed the extra bringing it: ``tests.block_imports``
    refuses the import, ``settings_module`` leaves the package out. The run sets up its
    own test database (SQLite: its DATABASE_URL is dropped).
    """
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["ILN_BLOCKED_IMPORTS"] = package
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.block_imports",
            f"--ds={settings_module}",
            "-p",
            "no:cacheprovider",
            "-q",
            test_path,
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
