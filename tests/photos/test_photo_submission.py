"""A visitor sends a photo through the form embedded in a topic page."""

import datetime
import re
import smtplib

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django.utils import timezone, translation
from PIL import Image
from wagtail.models import Locale

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import jpeg_with_gps, stored_files
from tests.helpers import photo_form_data as form_data
from wagtail_iln.models import PhotoCampaign, PhotoSubmission

GPS_TAG = 0x8825


@pytest.fixture
def campaign(db):
    return PhotoCampaign.objects.create(
        name="#favouritefeature",
        hashtags="#favouritefeature #ILNround",
        moderator_emails=["moderator@example.org"],
    )


@pytest.fixture
def page_with_form(index_page, campaign):
    return DiscussionTopicPageFactory(
        parent=index_page,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[
            ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
        ],
    )


def test_a_visitor_sends_a_photo_and_sees_the_thank_you(
    client, page_with_form, campaign, media_root, django_capture_on_commit_callbacks
):
    action, data = form_data(page_with_form, client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/discussion/favourite-feature/?iln-photo-sent={campaign.pk}#iln-campaign-{campaign.pk}"
    )
    thanks = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "Thank you! Your photo has been sent." in thanks.select_one(".iln-notice").get_text()

    submission = PhotoSubmission.objects.get()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.title == "The reading room window"
    assert submission.country.code == "BR"
    assert submission.source_url == "http://localhost/discussion/favourite-feature/"
    # A generated name in the private storage, nothing under MEDIA_ROOT.
    assert re.fullmatch(r"pending/[0-9a-f]{32}\.jpg", submission.file.name)
    assert "IMG_2041" not in submission.file.name
    files = stored_files(media_root)
    assert len(files) == 1
    assert not files[0].startswith(media_root + "/")
    with pytest.raises(ValueError):
        _ = submission.file.url
    # The GPS block is gone from the stored file.
    with submission.file.open("rb") as stored:
        image = Image.open(stored)
        assert GPS_TAG not in image.getexif()
        assert len(image.getexif()) == 0

    # Moderators are told, and the submitter gets a confirmation with a withdraw link.
    assert {tuple(m.to) for m in mail.outbox} == {("moderator@example.org",), ("ana@example.org",)}
    confirmation = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "/iln/photos/withdraw/" in confirmation.body
    # Nothing pending is shown publicly.
    assert "The reading room window" not in client.get(page_with_form.url).content.decode()


def test_on_a_french_page_errors_and_emails_are_french(
    client, page_with_form, site_root, django_capture_on_commit_callbacks
):
    french = Locale.objects.create(language_code="fr")
    for page in (site_root, page_with_form.get_parent(), page_with_form):
        page.copy_for_translation(french).save_revision().publish()
    french_page = page_with_form.get_translation(french)
    action, data = form_data(french_page, client, consent="")
    response = client.post(action, data)
    assert response.status_code == 400
    required = "Cochez la case pour donner votre accord, sans quoi nous ne pouvons pas"
    assert required in response.content.decode()

    action, data = form_data(french_page, client)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action, data).status_code == 302
    submission = PhotoSubmission.objects.get()
    assert submission.language == "fr"
    assert submission.source_url.endswith(french_page.url)
    confirmation = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    with translation.override("fr"):
        hello = translation.gettext("Hello %(name)s,") % {"name": "Ana Souza"}
    assert confirmation.body.startswith(hello)


def test_a_replayed_post_makes_one_submission(client, page_with_form):
    action, data = form_data(page_with_form, client)
    first = client.post(action, data)
    data["photo"] = SimpleUploadedFile("again.jpg", jpeg_with_gps(), "image/jpeg")
    second = client.post(action, data)
    assert first.status_code == second.status_code == 302
    assert PhotoSubmission.objects.count() == 1


def test_the_same_photo_twice_is_refused_as_a_duplicate(client, page_with_form, media_root):
    action, data = form_data(page_with_form, client)
    client.post(action, data)
    _, data = form_data(page_with_form, client)
    response = client.post(action, data)
    assert response.status_code == 400
    assert "This photo has already been sent to this campaign." in response.content.decode()
    assert PhotoSubmission.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_direction_controls_are_taken_out_of_single_line_fields(client, page_with_form):
    rlo, lri, pdi = "\u202e", "\u2066", "\u2069"
    action, data = form_data(
        page_with_form,
        client,
        title=f"The {rlo}window",
        credit_name=f"Ana{rlo}gro.elpmaxe",
        workplace=f"{lri}Biblioteca{pdi}",
        story=f"Kept {rlo}as written",
    )
    assert client.post(action, data).status_code == 302
    submission = PhotoSubmission.objects.get()
    assert (submission.title, submission.credit_name, submission.workplace) == (
        "The window",
        "Anagro.elpmaxe",
        "Biblioteca",
    )
    assert submission.story == f"Kept {rlo}as written"


def with_comment(jpeg, text):
    """The same JPEG, pixel for pixel, with a comment segment added: other bytes, same photo."""
    body = text.encode()
    return jpeg[:2] + b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body + jpeg[2:]


def test_the_same_photo_with_other_metadata_is_still_a_duplicate(client, page_with_form):
    """What is compared is the photo as stored, not the bytes sent: metadata changes nothing."""
    action, data = form_data(page_with_form, client)
    assert client.post(action, data).status_code == 302
    _, data = form_data(page_with_form, client)
    resent = with_comment(jpeg_with_gps(), "edited on another phone")
    assert resent != jpeg_with_gps()
    data["photo"] = SimpleUploadedFile("IMG_2041_copy.JPG", resent, "image/jpeg")
    response = client.post(action, data)
    assert response.status_code == 400
    assert "This photo has already been sent to this campaign." in response.content.decode()
    assert PhotoSubmission.objects.count() == 1


def png_declaring(width, height):
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


BAD_INPUT = {
    "empty file": {"photo": ("empty.jpg", b"")},
    "text renamed .jpg": {"photo": ("notes.jpg", b"<html><script>alert(1)</script></html>")},
    "truncated jpeg": {"photo": ("cut.jpg", None)},
    "svg": {"photo": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')},
    "pdf": {"photo": ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")},
    "30000x30000 png": {"photo": ("bomb.png", png_declaring(30000, 30000))},
    "too small": {"photo": ("tiny.jpg", "small")},
    "path and unicode in name": {"photo": ("../../etc/pässwd.txt", b"not an image")},
    "missing consent": {"consent": ""},
    "bad e-mail": {"email": "ana@"},
    "header injection in e-mail": {"email": "ana@example.org\nBcc: x@example.org"},
    "10,000-character story": {"story": "x" * 10_000},
    "missing title": {"title": ""},
    "licence not offered": {"licence": "all-rights-reserved"},
    "unknown country": {"country": "XX"},
    "honeypot filled": {"website": "http://spam.example"},
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_refused_with_a_clear_error_and_leaves_nothing(
    client, page_with_form, media_root, case
):
    action, data = form_data(page_with_form, client)
    for name, value in BAD_INPUT[case].items():
        if name == "photo":
            filename, content = value
            if content is None:
                content = jpeg_with_gps()[:400]
            elif content == "small":
                content = jpeg_with_gps(100, 80)
            value = SimpleUploadedFile(filename, content, "image/jpeg")
        data[name] = value
    response = client.post(action, data)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    errors = [e.get_text() for e in page.select(".iln-error-summary li, .iln-field__error")]
    assert errors, "the form says what is wrong"
    assert all(error.strip() for error in errors)
    assert PhotoSubmission.objects.count() == 0
    assert stored_files(media_root) == []
    # What the visitor typed is kept (except the file).
    if case != "missing title":
        assert page.select_one("input[name=title]")["value"] == data["title"]


def test_html_typed_into_the_form_comes_back_escaped(client, page_with_form):
    action, data = form_data(
        page_with_form,
        client,
        title="<script>alert('t')</script>",
        story="<img src=x onerror=alert(1)>",
        consent="",
    )
    response = client.post(action, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert('t')</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_line_breaks_in_a_name_never_reach_a_header(
    client, page_with_form, django_capture_on_commit_callbacks
):
    action, data = form_data(page_with_form, client, credit_name="Ana\r\nBcc: x@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action, data).status_code == 302
    assert PhotoSubmission.objects.get().credit_name == "Ana Bcc: x@example.org"
    for message in mail.outbox:
        assert "\n" not in message.subject
        assert message.bcc == []


def test_a_closed_campaign_says_so_and_refuses_posts(client, page_with_form, campaign):
    action, data = form_data(page_with_form, client)
    campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    page = BeautifulSoup(client.get(page_with_form.url).content, "html.parser")
    assert page.select_one("form[data-iln-photo-form]") is None
    assert "not taking photos" in page.select_one(".iln-photo-form").get_text()
    response = client.post(action, data)
    assert response.status_code == 403
    assert PhotoSubmission.objects.count() == 0


def test_the_form_refuses_posts_without_csrf(page_with_form):
    action, data = form_data(page_with_form)
    strict = Client(enforce_csrf_checks=True)
    data.pop("csrfmiddlewaretoken", None)
    assert strict.post(action, data).status_code == 403
    assert PhotoSubmission.objects.count() == 0


def test_photos_sent_with_mistakes_do_not_count_toward_the_limit(client, page_with_form):
    with override_settings(WAGTAIL_ILN={"PHOTO_RATE_LIMIT": (2, 3600)}):
        for _ in range(5):
            action, data = form_data(page_with_form, client, consent="")
            assert client.post(action, data).status_code == 400
        action, data = form_data(page_with_form, client)
        assert client.post(action, data).status_code == 302
    assert PhotoSubmission.objects.count() == 1


@override_settings(WAGTAIL_ILN={"PHOTO_RATE_LIMIT": (1, 3600)})
def test_the_rate_limit_counts_photos_sent_and_a_forged_header_does_not_reset_it(
    client, page_with_form
):
    action, data = form_data(page_with_form, client)
    assert client.post(action, data).status_code == 302
    for n in range(2):
        action, data = form_data(
            page_with_form,
            client,
            photo=SimpleUploadedFile("b.jpg", jpeg_with_gps(color=(n, 9, 9))),
        )
        response = client.post(action, data, headers={"x-forwarded-for": f"10.0.0.{n}"})
        assert response.status_code == 429
        assert "You have sent many photos in a short time" in response.content.decode()
    assert PhotoSubmission.objects.count() == 1


def test_the_submitter_withdraws_through_the_signed_link(
    client, page_with_form, media_root, django_capture_on_commit_callbacks
):
    action, data = form_data(page_with_form, client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, data)
    link = re.search(r"http://testserver(/iln/photos/withdraw/\S+/)", mail.outbox[-1].body)
    url = link.group(1)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Do you want to withdraw" in confirm.content.decode()
    assert PhotoSubmission.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url)
    assert "has been withdrawn" in done.content.decode()
    assert PhotoSubmission.objects.get().status == "withdrawn"
    assert stored_files(media_root) == []
    assert client.get(url.replace("/withdraw/", "/withdraw/x")).status_code == 404


def test_a_failure_while_saving_the_submission_leaves_no_file(
    client, page_with_form, media_root, monkeypatch
):
    action, data = form_data(page_with_form, client)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PhotoSubmission, "save", broken_save)
    client.raise_request_exception = False
    response = client.post(action, data)
    assert response.status_code == 500
    monkeypatch.undo()
    assert PhotoSubmission.objects.count() == 0
    assert stored_files(media_root) == []


def test_withdrawing_an_approved_photo_removes_its_image(
    client, page_with_form, admin_user, media_root, django_capture_on_commit_callbacks
):
    from wagtail.images import get_image_model

    from wagtail_iln.models import ImageCredit
    from wagtail_iln.photos import moderation

    action, data = form_data(page_with_form, client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, data)
    link = re.search(r"http://testserver(/iln/photos/withdraw/\S+/)", mail.outbox[-1].body)[1]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(PhotoSubmission.objects.get(), admin_user)
    assert get_image_model().objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert PhotoSubmission.objects.get().status == "withdrawn"
    assert get_image_model().objects.count() == 0
    assert ImageCredit.objects.count() == 0
    assert stored_files(media_root) == []


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server refused the connection")


@override_settings(EMAIL_BACKEND="tests.photos.test_photo_submission.RefusingMailServer")
def test_a_refusing_mail_server_loses_nothing(
    client, page_with_form, django_capture_on_commit_callbacks, caplog
):
    action, data = form_data(page_with_form, client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)
    assert response.status_code == 302
    assert PhotoSubmission.objects.get().status == "pending"
    assert "the mail server refused the connection" in caplog.text


def test_no_country_is_chosen_for_the_visitor(client, page_with_form):
    form = BeautifulSoup(client.get(page_with_form.url).content, "html.parser")
    country = form.select_one("form[data-iln-photo-form] select[name=country]")
    options = country.find_all("option")
    assert options[0]["value"] == ""
    assert [option["value"] for option in options if option.has_attr("selected")] == [""]

    action, data = form_data(page_with_form, client, country="")
    response = client.post(action, data)
    assert response.status_code == 400
    errors = BeautifulSoup(response.content, "html.parser").select_one(".iln-field--country")
    assert "Choose the country you work in." in errors.get_text()
    assert not PhotoSubmission.objects.exists()
