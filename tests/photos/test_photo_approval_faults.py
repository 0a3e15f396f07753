"""Approval holds under concurrency and failures: one image, or none and a visible error."""

import io
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from wagtail.images import get_image_model

from wagtail_iln.models import ImageCredit, PhotoSubmission
from wagtail_iln.photos import moderation
from wagtail_iln.photos.intake import clean_photo


def pending_submission(campaign, n=0):
    raw = io.BytesIO()
    Image.new("RGB", (640, 480), (30 + n, 90, 150)).save(raw, "JPEG")
    photo = clean_photo(SimpleUploadedFile("p.jpg", raw.getvalue()))
    submission = PhotoSubmission(
        campaign=campaign,
        sha256=photo.sha256,
        title=f"Window {n}",
        story="Light.",
        credit_name="Ana",
        email="ana@example.org",
        country="BR",
        workplace="Library",
        licence="cc-by-4.0",
        consent_given_at="2026-11-01T10:00:00Z",
    )
    submission.file.save(f"photo.{photo.extension}", ContentFile(photo.content))
    return submission


def test_a_storage_failure_leaves_no_image_and_the_photo_pending(
    campaign, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    submission = pending_submission(campaign)
    pending_name = submission.file.name

    def broken_save(self, name, content, max_length=None):
        raise OSError("the media storage is unavailable")

    monkeypatch.setattr(FileSystemStorage, "save", broken_save)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(moderation.ModerationError) as error,
    ):
        moderation.approve(submission, admin_user)
    assert "still pending" in str(error.value)
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert "media storage is unavailable" in submission.moderation_error
    assert submission.file.name == pending_name
    assert submission.file.storage.exists(pending_name)
    assert get_image_model().objects.count() == 0
    assert ImageCredit.objects.count() == 0
    assert mail.outbox == []

    # Once the storage is back, the same approval goes through.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(submission, admin_user) is True
    submission.refresh_from_db()
    assert submission.moderation_error == ""
    assert get_image_model().objects.count() == 1


def test_a_failure_after_the_image_file_is_written_removes_it(
    campaign, admin_user, monkeypatch, media_root
):
    submission = pending_submission(campaign)

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ImageCredit.objects, "create", broken_create)
    with pytest.raises(moderation.ModerationError):
        moderation.approve(submission, admin_user)
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []
    assert get_image_model().objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite runs one writer at a time",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_approving_at_once_make_one_image_and_one_email(campaign, django_user_model):
    submission = pending_submission(campaign)
    campaign.moderator_emails = []
    campaign.save()
    moderators = [
        django_user_model.objects.create_superuser(f"moderator{n}", f"m{n}@example.org", "pw")
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def approve(user):
        try:
            barrier.wait()
            results.append(moderation.approve(submission, user))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, True]
    assert get_image_model().objects.count() == 1
    assert ImageCredit.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
