"""Photos e-mailed to a campaign, read from a real IMAP server (Dovecot) by ``iln_fetch_mail``."""

import io
import logging
import re
from email.message import EmailMessage

import pillow_heif
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import ExifTags, Image
from wagtail.models import Locale

from tests.helpers import jpeg_with_gps
from tests.mail_backends import RefusingMailServer
from tests.mailin.messages import ADDRESS, SENDER, forwarded, photo_email, small_jpeg
from tests.photos.test_photo_submission import BAD_INPUT, stored_files
from wagtail_iln.mailin.imap import fetch_mail
from wagtail_iln.models import InboundMessage, PhotoCampaign, PhotoSubmission

GPS_TAG = 0x8825


@pytest.fixture
def fetch(django_capture_on_commit_callbacks):
    """Run ``iln_fetch_mail``; what it queues after commit (the replies) runs as it would."""

    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("iln_fetch_mail", stdout=out)
        return out.getvalue()

    return run


def confirm_link(message):
    return re.search(r"https://iln\.example\.org(/iln/photos/confirm/[^/\s]+/)", message.body)[1]


def stored_photos(media_root):
    return [name for name in stored_files(media_root) if "/mail/" in name]


def test_a_phone_photo_waits_pending_until_its_sender_confirms(
    fetch, dovecot, mailbox, campaign, media_root
):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone turned: shown upright
    exif.get_ifd(GPS_TAG).update({1: "S", 2: (33.0, 52.0, 4.0), 3: "E", 4: (151.0, 12.0, 36.0)})
    raw = photo_email(small_jpeg(size=(800, 500), exif=exif), subject="Our reading room")
    dovecot.deliver(mailbox, raw)

    assert fetch() == "1 e-mail(s) handled.\n"

    submission = PhotoSubmission.objects.get()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.awaits_sender
    assert submission.title == "Our reading room"
    assert submission.email == SENDER
    assert (submission.width, submission.height) == (500, 800)
    with submission.file.open("rb") as stored:
        photo = Image.open(io.BytesIO(stored.read()))
        assert photo.getexif().get_ifd(GPS_TAG) == {}
        assert ExifTags.Base.Orientation not in photo.getexif()
    assert len(stored_photos(media_root)) == 1

    [reply] = mail.outbox
    assert reply.to == [SENDER]
    assert reply.subject == "Confirm your photo for #favouritefeature"
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert confirm_link(reply)
    # Handled: flagged \Seen, and a second fetch finds nothing new.
    assert r"\Seen" in dovecot.flags(mailbox)[InboundMessage.objects.get().message_id]
    assert fetch() == "0 e-mail(s) handled.\n"
    assert PhotoSubmission.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_heic_from_an_iphone_is_stored_as_a_jpeg_without_its_position(
    fetch, dovecot, mailbox, campaign
):
    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (51.0, 30.0, 26.0)})
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 140, 90)).save(out, "HEIF", exif=exif.tobytes())
    dovecot.deliver(mailbox, photo_email(("IMG_4512.HEIC", out.getvalue(), "image/heic")))

    fetch()

    submission = PhotoSubmission.objects.get()
    assert submission.file.name.endswith(".jpg")
    with submission.file.open("rb") as stored:
        photo = Image.open(io.BytesIO(stored.read()))
        assert photo.format == "JPEG"
        assert photo.getexif().get_ifd(GPS_TAG) == {}


def test_attachments_and_inline_images_each_become_a_photo_up_to_the_cap(
    fetch, dovecot, mailbox, campaign, settings
):
    settings.WAGTAIL_ILN = {**settings.WAGTAIL_ILN, "MAIL_MAX_ATTACHMENTS": 3}
    raw = photo_email(
        small_jpeg(1),
        small_jpeg(2),
        ("notes.pdf", b"%PDF-1.4\n", "application/pdf"),  # not a photo: ignored
        small_jpeg(3),
        inline=[small_jpeg(4)],
    )
    dovecot.deliver(mailbox, raw)

    fetch()

    # The inline image comes first (it is in the body), then the attachments: the
    # fourth photo is over the cap.
    assert PhotoSubmission.objects.count() == 3
    [reply] = mail.outbox
    assert reply.subject == "Confirm your photos for #favouritefeature"
    assert "we received 3 photos" in reply.body
    assert "IMG_0003.jpg: Only 3 photos are taken from one e-mail" in reply.body
    assert "notes.pdf" not in reply.body


def test_a_forwarded_email_brings_its_photo(fetch, dovecot, mailbox, campaign):
    inner = photo_email(small_jpeg(7), sender="colleague@example.org", to="ana@example.org")
    dovecot.deliver(mailbox, forwarded(inner))

    fetch()

    submission = PhotoSubmission.objects.get()
    # The one who forwarded it is who is asked to confirm, and credited.
    assert submission.email == SENDER
    assert mail.outbox[0].to == [SENDER]


def test_an_email_over_the_size_cap_is_answered_and_nothing_is_stored(
    fetch, dovecot, mailbox, campaign, settings, media_root
):
    settings.WAGTAIL_ILN = {**settings.WAGTAIL_ILN, "MAIL_MAX_BYTES": 200_000}
    big = jpeg_with_gps(2400, 1800)
    noise = Image.effect_noise((1200, 1200), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    dovecot.deliver(mailbox, photo_email(big, out.getvalue()))

    fetch()

    assert PhotoSubmission.objects.count() == 0
    assert stored_photos(media_root) == []
    [reply] = mail.outbox
    assert "Your e-mail is too big" in reply.body
    assert "The largest we accept is 195.3\xa0KB" in reply.body
    assert InboundMessage.objects.get().outcome == InboundMessage.Outcome.REFUSED
    assert dovecot.count(mailbox, "UNSEEN") == 0


BROKEN = [
    # A multipart message whose boundary never comes, with base64 that is not.
    b"From: ana@example.org\r\nTo: photos@iln.example.org\r\nMessage-ID: <broken1@x>\r\n"
    b"Subject: =?utf-8?q?unterminated\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="zzz"\r\n\r\n--zzz\r\n'
    b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64!!!\r\n",
    # Headers without a body separator, binary junk and an address that does not parse.
    b"From: <<<@@>>>\r\nTo: photos@iln.example.org\r\nMessage-ID: <broken2@x>\r\n"
    b'Content-Type: image/jpeg; name="\xff\xfe.jpg"\r\n\r\n\x00\x01\x02\xff' * 3,
]


def test_broken_mime_never_stops_the_mailbox(fetch, dovecot, mailbox, campaign, caplog):
    dovecot.deliver(mailbox, *BROKEN, photo_email(small_jpeg(9)))

    with caplog.at_level(logging.INFO):
        assert fetch() == "3 e-mail(s) handled.\n"

    assert PhotoSubmission.objects.count() == 1
    assert dovecot.count(mailbox, "UNSEEN") == 0
    assert InboundMessage.objects.count() == 3
    # The broken ones are answered with what could be said, or not at all: never a crash.
    assert [m.to for m in mail.outbox if "Confirm" in m.subject] == [[SENDER]]


HOSTILE = {case: value["photo"] for case, value in BAD_INPUT.items() if "photo" in value}


def hostile_file(case):
    name, content = HOSTILE[case]
    if content is None:
        content = jpeg_with_gps()[:400]
    elif content == "small":
        content = jpeg_with_gps(100, 80)
    return (name, content, "image/jpeg")


def test_each_hostile_file_of_the_web_form_is_refused_with_its_reason(
    fetch, dovecot, mailbox, campaign, media_root, settings
):
    settings.WAGTAIL_ILN = {**settings.WAGTAIL_ILN, "MAIL_MAX_ATTACHMENTS": 10}
    dovecot.deliver(mailbox, photo_email(*[hostile_file(case) for case in HOSTILE]))

    fetch()

    assert PhotoSubmission.objects.count() == 0
    assert stored_photos(media_root) == []
    [reply] = mail.outbox
    assert reply.subject == "Your e-mail to #favouritefeature could not be taken"
    reasons = re.findall(r"^- (.+)$", reply.body, re.M)
    assert len(reasons) == len(HOSTILE)
    assert "- empty.jpg: The file is empty." in reply.body
    assert "- bomb.png: This photo has too many pixels." in reply.body
    assert "- tiny.jpg: This photo is too small (100 × 80 pixels)." in reply.body
    assert "- logo.svg: This file is not a JPEG, PNG, WebP or HEIC photo." in reply.body
    # Only the file's own name, never a path, is repeated.
    assert "- pässwd.txt: This file could not be read as a photo" in reply.body


def test_the_same_photo_again_is_refused_as_a_duplicate(fetch, dovecot, mailbox, campaign):
    photo = small_jpeg(11)
    dovecot.deliver(mailbox, photo_email(photo, photo))
    fetch()
    dovecot.deliver(mailbox, photo_email(photo))
    fetch()

    assert PhotoSubmission.objects.count() == 1
    first, second = mail.outbox
    assert "IMG_0001.jpg: This photo has already been sent to this campaign." in first.body
    assert "IMG_0000.jpg: This photo has already been sent to this campaign." in second.body


def test_a_message_delivered_twice_is_handled_once(fetch, dovecot, mailbox, campaign):
    raw = photo_email(small_jpeg(12), message_id="<same-message@phone.example.org>")
    dovecot.deliver(mailbox, raw, raw)

    assert fetch() == "2 e-mail(s) handled.\n"

    assert PhotoSubmission.objects.count() == 1
    assert len(mail.outbox) == 1
    assert dovecot.count(mailbox, "UNSEEN") == 0


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_imaps_and_starttls_move_handled_mail_to_the_processed_folder(
    django_capture_on_commit_callbacks, dovecot, folder, campaign, settings, security
):
    processed = f"{folder}-done"
    settings.WAGTAIL_ILN = {
        "MAIL_IMAP": dovecot.settings(folder, security, PROCESSED_FOLDER=processed),
        "MAIL_SITE_URL": "https://iln.example.org",
    }
    dovecot.deliver(folder, photo_email(small_jpeg(13)))

    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_mail().handled == 1

    assert PhotoSubmission.objects.count() == 1
    assert dovecot.count(folder) == 0
    assert dovecot.count(processed) == 1


def test_a_server_whose_certificate_is_not_trusted_is_refused(dovecot, folder, settings):
    config = dovecot.settings(folder, "ssl")
    del config["CA_FILE"]
    settings.WAGTAIL_ILN = {"MAIL_IMAP": config}
    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_mail()


def test_without_a_host_the_command_says_what_to_set(fetch, db):
    with pytest.raises(CommandError, match=r'MAIL_IMAP"\]\["HOST"\] is not set'):
        fetch()


def test_the_reply_speaks_the_language_of_the_email(fetch, dovecot, mailbox, campaign):
    dovecot.deliver(mailbox, photo_email(small_jpeg(14), language="fr-FR"))

    fetch()

    [reply] = mail.outbox
    assert reply.subject == "Confirmez votre photo pour #favouritefeature"
    assert reply.extra_headers["Content-Language"] == "fr"
    assert PhotoSubmission.objects.get().language == "fr"


def test_without_a_language_the_campaigns_translation_decides(
    fetch, dovecot, mailbox, campaign, settings
):
    spanish = Locale.objects.get_or_create(language_code="es")[0]
    campaign.copy_for_translation(spanish).save()
    translated = PhotoCampaign.objects.get(locale=spanish)
    translated.name = "#rinconfavorito"
    translated.save()
    dovecot.deliver(mailbox, photo_email(small_jpeg(15), language="es"))
    dovecot.deliver(mailbox, photo_email(small_jpeg(16)))

    fetch()

    spanish_reply, default_reply = mail.outbox
    assert spanish_reply.subject == "Confirma tu foto para #rinconfavorito"
    assert default_reply.subject == "Confirm your photo for #favouritefeature"


def test_automatic_mail_and_mail_to_other_addresses_get_no_answer(
    fetch, dovecot, mailbox, campaign
):
    dovecot.deliver(
        mailbox,
        photo_email(small_jpeg(17), headers={"Auto-Submitted": "auto-replied"}),
        photo_email(small_jpeg(18), to="someone-else@iln.example.org"),
    )

    assert fetch() == "2 e-mail(s) handled.\n"

    assert PhotoSubmission.objects.count() == 0
    assert mail.outbox == []
    assert set(InboundMessage.objects.values_list("reason", flat=True)) == {
        "automatic",
        "no_campaign",
    }


def test_a_closed_campaign_answers_that_it_takes_no_photos(fetch, dovecot, mailbox, campaign):
    from django.utils import timezone

    campaign.closes_at = timezone.now()
    campaign.save()
    dovecot.deliver(mailbox, photo_email(small_jpeg(19)))

    fetch()

    assert PhotoSubmission.objects.count() == 0
    assert "This campaign is not taking photos at the moment." in mail.outbox[0].body


def test_an_email_without_a_photo_is_told_so(fetch, dovecot, mailbox, campaign):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, ADDRESS, "Hello"
    message.set_content("I forgot the photo.")
    dovecot.deliver(mailbox, bytes(message))

    fetch()

    assert "We found no photo in your e-mail." in mail.outbox[0].body


def test_a_reply_the_mail_server_refused_is_sent_once_when_the_email_comes_again(
    fetch, dovecot, mailbox, campaign
):
    raw = photo_email(small_jpeg(20), message_id="<refused-reply@phone.example.org>")
    dovecot.deliver(mailbox, raw)
    RefusingMailServer.refusals = 1
    with override_settings(EMAIL_BACKEND="tests.mail_backends.RefusingMailServer"):
        fetch()

    assert InboundMessage.objects.get().replied_at is None
    assert PhotoSubmission.objects.count() == 1
    assert mail.outbox == []

    dovecot.deliver(mailbox, raw, raw)
    fetch()

    assert len(mail.outbox) == 1
    assert InboundMessage.objects.get().replied_at is not None
    assert PhotoSubmission.objects.count() == 1


def test_the_worker_runs_the_fetch_as_a_task(dovecot, mailbox, campaign):
    from wagtail_iln.mailin.imap import fetch_mail_task

    dovecot.deliver(mailbox, photo_email(small_jpeg(21)))

    result = fetch_mail_task.enqueue()

    assert result.return_value == {"handled": 1, "marked": 1}
    assert PhotoSubmission.objects.count() == 1


def test_the_campaign_block_offers_its_address(client, campaign, index_page):
    from tests.factories import DiscussionTopicPageFactory

    page = DiscussionTopicPageFactory(
        parent=index_page,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"})],
    )
    response = client.get(page.url)
    soup = BeautifulSoup(response.content, "html.parser")
    offer = soup.select_one("[data-iln-photo-by-email]")
    assert " ".join(offer.get_text().split()) == f"You can also e-mail your photo to {ADDRESS}."
    assert offer.a["href"] == f"mailto:{ADDRESS}"

    campaign.inbound_address = ""
    campaign.save()
    response = client.get(page.url)
    assert (
        BeautifulSoup(response.content, "html.parser").select_one("[data-iln-photo-by-email]")
        is None
    )
