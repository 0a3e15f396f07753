"""Moderators approve and reject photos in the Wagtail admin; nobody else sees them."""

import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import PhotoCampaignFactory, PhotoSubmissionFactory, jpeg_bytes
from tests.helpers import make_user
from wagtail_iln.models import ImageCredit, PhotoCampaign, PhotoSubmission

Status = PhotoSubmission.Status
Image = get_image_model()


def url(name, *args):
    return reverse(f"wagtail_iln_photos:{name}", args=args)


def bulk_url(action, submissions, **params):
    query = "&".join(f"id={s.pk}" for s in submissions)
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    path = reverse("wagtail_bulk_action", args=["wagtail_iln", "photosubmission", action])
    return f"{path}?{query}{extra}"


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def private_files(media_root):
    media = Path(media_root)
    root = media.with_name(f"{media.name}_private")
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def moderator(django_user_model):
    return make_user(django_user_model, "mo", "moderate_photosubmission")


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def editor_client(django_user_model):
    """An admin user who may edit everything photo-related except moderate."""
    user = make_user(
        django_user_model,
        "ed",
        "add_photocampaign",
        "change_photocampaign",
        "add_photosubmission",
        "change_photosubmission",
        "delete_photosubmission",
        "view_photosubmission",
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def campaign(db):
    return PhotoCampaignFactory(name="#favouritefeature")


@pytest.fixture
def submission(campaign):
    return PhotoSubmissionFactory(campaign=campaign, credit_name="Ana Souza", country="BR")


# The private photo


def test_a_pending_photo_has_no_public_url_and_moderators_get_it_privately(
    moderator_client, submission
):
    with pytest.raises(ValueError):
        _ = submission.file.url
    assert submission.file.storage.exists(submission.file.name)

    response = moderator_client.get(url("photo", submission.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    with submission.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_the_thumbnail_is_a_small_jpeg(moderator_client, campaign):
    submission = PhotoSubmissionFactory(campaign=campaign, photo=jpeg_bytes(1200, 600))

    response = moderator_client.get(url("photo", submission.pk), {"size": "thumb"})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    thumbnail = PILImage.open(io.BytesIO(response.content))
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (160, 80)


def test_a_submission_without_a_file_has_no_photo(moderator_client, submission):
    submission.file.delete(save=True)

    assert moderator_client.get(url("photo", submission.pk)).status_code == 404
    assert moderator_client.get(url("photo", submission.pk), {"size": "thumb"}).status_code == 404


# The queue


def test_the_queue_shows_pending_photos_with_thumbnails(moderator_client, campaign):
    pending = PhotoSubmissionFactory(campaign=campaign, title="Reading room window")
    approved = PhotoSubmissionFactory(
        campaign=campaign, title="Old approved photo", status=Status.APPROVED
    )

    response = moderator_client.get(url("index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Reading room window" in html
    assert "Ana Souza" in html
    assert "Brazil" in html
    assert "#favouritefeature" in html
    assert "Old approved photo" not in html
    assert f"{url('photo', pending.pk)}?size=thumb" in html
    assert url("inspect", pending.pk) in html
    assert "wagtailadmin/js/bulk-actions.js" in html
    assert "data-bulk-action-footer" in html

    every = moderator_client.get(url("index"), {"status": "all"}).content.decode()
    assert "Reading room window" in every and "Old approved photo" in every
    only_approved = moderator_client.get(url("index"), {"status": "approved"}).content.decode()
    assert "Old approved photo" in only_approved and "Reading room window" not in only_approved
    assert url("inspect", approved.pk) in only_approved


def test_the_queue_is_newest_first(moderator_client, campaign):
    older = PhotoSubmissionFactory(campaign=campaign, title="Older photo")
    newer = PhotoSubmissionFactory(campaign=campaign, title="Newer photo")
    PhotoSubmission.objects.filter(pk=older.pk).update(submitted_at="2026-01-01T10:00:00Z")
    PhotoSubmission.objects.filter(pk=newer.pk).update(submitted_at="2026-02-01T10:00:00Z")

    html = moderator_client.get(url("index")).content.decode()

    assert html.index("Newer photo") < html.index("Older photo")


def test_the_queue_filters_by_campaign_and_country_and_searches(moderator_client, campaign):
    other_campaign = PhotoCampaignFactory(name="#quietcorner")
    PhotoSubmissionFactory(campaign=campaign, title="Harbour window", country="BR")
    PhotoSubmissionFactory(
        campaign=other_campaign,
        title="Quiet corner",
        country="KE",
        credit_name="Wanjiru Kamau",
        workplace="Nairobi Library",
        story="Beanbags under the stairs.",
    )

    by_campaign = moderator_client.get(url("index"), {"campaign": other_campaign.pk})
    assert "Quiet corner" in by_campaign.content.decode()
    assert "Harbour window" not in by_campaign.content.decode()

    by_country = moderator_client.get(url("index"), {"country": "BR"}).content.decode()
    assert "Harbour window" in by_country and "Quiet corner" not in by_country

    for query in ["Wanjiru", "Nairobi", "beanbags", "quiet"]:
        found = moderator_client.get(url("index"), {"q": query}).content.decode()
        assert "Quiet corner" in found, query
        assert "Harbour window" not in found, query

    results = moderator_client.get(url("index_results"), {"q": "harbour"})
    assert results.status_code == 200
    assert "Harbour window" in results.content.decode()


# One photo


def test_the_inspect_view_shows_the_photo_the_story_and_the_forms(moderator_client, submission):
    response = moderator_client.get(url("inspect", submission.pk))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    text = soup.get_text()
    assert soup.select_one(f'img[src="{url("photo", submission.pk)}"]')
    assert soup.find("p", string="Morning light over the harbour, every day.")
    assert "<p>" not in text
    assert "ana@example.org" in text
    assert "Biblioteca Municipal" in text
    assert "Brazil" in text
    assert "#favouritefeature" in text
    approve_form = soup.select_one("form[data-iln-approve-form]")
    assert approve_form["action"] == url("approve", submission.pk)
    assert approve_form.select_one("input[name=csrfmiddlewaretoken]")
    reject_form = soup.select_one("form[data-iln-reject-form]")
    assert reject_form["action"] == url("reject", submission.pk)
    reasons = [option.get_text() for option in reject_form.select("select option")]
    assert "Not a photo of a workplace" in reasons
    assert "People can be recognised without their consent" in reasons
    assert "Other" in reasons
    assert reject_form.select_one("textarea[name=reject-note]")


def test_a_moderation_error_is_shown_prominently(moderator_client, submission):
    PhotoSubmission.objects.filter(pk=submission.pk).update(
        moderation_error="The photo could not be copied to the image library: disk full"
    )

    soup = BeautifulSoup(moderator_client.get(url("inspect", submission.pk)).content, "html.parser")

    error = soup.select_one("[data-iln-moderation-error]")
    assert "disk full" in error.get_text()
    assert error.find_parent(class_="help-critical")


def test_there_is_no_add_edit_or_delete_view():
    for name in ["add", "edit", "delete", "copy", "history"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"wagtail_iln_photos:{name}", args=[1] if name != "add" else [])


def test_the_moderators_email_links_to_the_inspect_view(submission):
    assert url("inspect", submission.pk) == (
        f"/admin/iln/moderation/photos/inspect/{submission.pk}/"
    )


# Approving


def test_approving_makes_one_credited_image_and_tells_the_submitter(
    moderator_client, submission, media_root, django_capture_on_commit_callbacks
):
    pending_name = submission.file.name
    storage = submission.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url("approve", submission.pk), follow=True)

    assert response.redirect_chain[0][0] == url("index")
    assert any("approved" in message for message in messages_of(response))
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED
    image = Image.objects.get()
    assert submission.image == image
    assert image.collection == submission.campaign.collection
    assert image.collection != Collection.get_first_root_node()
    assert sorted(image.tags.names()) == ["ILNround", "favouritefeature"]
    credit = ImageCredit.objects.get(image=image)
    assert credit.creator == "Ana Souza"
    assert credit.licence == "cc-by-4.0"
    assert not storage.exists(pending_name)
    assert private_files(media_root) == []
    sent = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(sent) == 1
    assert "http://testserver/discussion/favourite-feature/" in sent[0].body


def test_a_rejected_photo_cannot_be_approved(moderator_client, submission):
    moderator_client.post(url("reject", submission.pk), {"reject-reason": "not-clear"})

    response = moderator_client.post(url("approve", submission.pk), follow=True)

    assert response.redirect_chain[0][0] == url("inspect", submission.pk)
    assert "Only a pending photo can be approved." in messages_of(response)
    assert Image.objects.count() == 0


# Rejecting


def test_rejecting_stores_the_reason_deletes_the_photo_and_tells_the_submitter(
    moderator_client, submission, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            url("reject", submission.pk),
            {"reject-reason": "people-recognisable", "reject-note": "Crop the faces out."},
            follow=True,
        )

    assert any("rejected" in message for message in messages_of(response))
    submission.refresh_from_db()
    assert submission.status == Status.REJECTED
    assert submission.rejection_reason == (
        "People can be recognised without their consent\n\nCrop the faces out."
    )
    assert not submission.file
    assert private_files(media_root) == []
    assert Image.objects.count() == 0
    (sent,) = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert "People can be recognised without their consent" in sent.body
    assert "Crop the faces out." in sent.body


def test_a_rejection_without_a_chosen_reason_is_refused_and_keeps_the_photo(
    moderator_client, submission, media_root
):
    # The form offers no reason until the moderator picks one: pressing Reject is not enough.
    inspect = BeautifulSoup(
        moderator_client.get(url("inspect", submission.pk)).content, "html.parser"
    )
    chosen = inspect.select_one("select[name=reject-reason] option[selected]")
    assert chosen is None or chosen["value"] == ""

    response = moderator_client.post(
        url("reject", submission.pk), {"reject-reason": "", "reject-note": "Crop the faces out."}
    )

    assert response.status_code == 400
    form = BeautifulSoup(response.content, "html.parser").select_one("form[data-iln-reject-form]")
    reason = form.select_one("select[name=reject-reason]")
    error = reason.find_parent(class_="w-field__wrapper").select_one(".error-message")
    assert "Choose why the photo is rejected" in error.get_text()
    assert form.select_one("textarea[name=reject-note]").get_text().strip() == (
        "Crop the faces out."
    )
    submission.refresh_from_db()
    assert submission.status == Status.PENDING
    assert submission.file and private_files(media_root)
    assert mail.outbox == []


def test_the_reason_is_written_in_the_submitters_language(
    moderator_client, campaign, django_capture_on_commit_callbacks
):
    submission = PhotoSubmissionFactory(campaign=campaign, language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(url("reject", submission.pk), {"reject-reason": "not-clear"})

    submission.refresh_from_db()
    assert submission.status == Status.REJECTED
    assert submission.rejection_reason
    (sent,) = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert submission.rejection_reason in sent.body


def test_other_needs_a_note(moderator_client, submission, media_root):
    response = moderator_client.post(
        url("reject", submission.pk), {"reject-reason": "other", "reject-note": " "}
    )

    # The page comes back as the moderator left it, the error beside the note.
    assert response.status_code == 400
    assert any("not rejected" in message for message in messages_of(response))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f'img[src="{url("photo", submission.pk)}"]')
    form = soup.select_one("form[data-iln-reject-form]")
    assert form["action"] == url("reject", submission.pk)
    assert form.select_one("select[name=reject-reason] option[selected]")["value"] == "other"
    note = form.select_one("textarea[name=reject-note]")
    error = note.find_parent(class_="w-field__wrapper").select_one(".error-message")
    assert "Tell the submitter why the photo is rejected." in error.get_text()
    assert not soup.select_one("form[data-iln-approve-form] .error-message")
    submission.refresh_from_db()
    assert submission.status == Status.PENDING
    assert submission.moderated_by is None
    assert submission.rejection_reason == ""
    assert submission.file and private_files(media_root)
    assert mail.outbox == []

    moderator_client.post(
        url("reject", submission.pk), {"reject-reason": "other", "reject-note": "Blurred."}
    )
    submission.refresh_from_db()
    assert submission.rejection_reason == "Blurred."


# In bulk


def test_bulk_approve_from_the_queue(
    moderator_client, campaign, media_root, django_capture_on_commit_callbacks
):
    chosen = PhotoSubmissionFactory.create_batch(3, campaign=campaign)
    already_rejected = PhotoSubmissionFactory(campaign=campaign, status=Status.REJECTED)
    left_alone = PhotoSubmissionFactory(campaign=campaign)

    confirm = moderator_client.get(bulk_url("approve", [*chosen, already_rejected]))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    for submission in chosen:
        assert submission.title in html
    assert "no longer pending" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            bulk_url("approve", [*chosen, already_rejected], next=url("index")), follow=True
        )

    assert response.redirect_chain[-1][0] == url("index")
    assert "3 photos approved." in messages_of(response)
    assert Image.objects.count() == 3
    assert ImageCredit.objects.count() == 3
    statuses = dict(PhotoSubmission.objects.values_list("pk", "status"))
    assert {statuses[s.pk] for s in chosen} == {Status.APPROVED}
    assert statuses[already_rejected.pk] == Status.REJECTED
    assert statuses[left_alone.pk] == Status.PENDING
    # What is left: the one not chosen, and the file the factory gave the rejected one.
    assert len(private_files(media_root)) == 2
    assert len([m for m in mail.outbox if m.to == ["ana@example.org"]]) == 3


def test_bulk_reject_with_a_reason(
    moderator_client, campaign, media_root, django_capture_on_commit_callbacks
):
    chosen = PhotoSubmissionFactory.create_batch(2, campaign=campaign)

    confirm = moderator_client.get(bulk_url("reject", chosen))
    soup = BeautifulSoup(confirm.content, "html.parser")
    assert soup.select_one("select[name=reason] option[value=not-a-workplace]")

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            bulk_url("reject", chosen), {"reason": "not-a-workplace", "note": ""}, follow=True
        )

    assert "2 photos rejected." in messages_of(response)
    for submission in chosen:
        submission.refresh_from_db()
        assert submission.status == Status.REJECTED
        assert submission.rejection_reason == "Not a photo of a workplace"
    assert private_files(media_root) == []
    sent = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(sent) == 2
    assert all("Not a photo of a workplace" in m.body for m in sent)


def test_select_all_approves_the_pending_photos_in_the_filtered_listing(moderator_client, campaign):
    PhotoSubmissionFactory.create_batch(2, campaign=campaign, country="BR")
    elsewhere = PhotoSubmissionFactory(campaign=campaign, country="KE")

    moderator_client.post(
        reverse("wagtail_bulk_action", args=["wagtail_iln", "photosubmission", "approve"])
        + "?id=all&country=BR"
    )

    assert PhotoSubmission.objects.filter(status=Status.APPROVED).count() == 2
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.PENDING


# The menu


def sidebar_labels(response):
    props = BeautifulSoup(response.content, "html.parser").select_one("#wagtail-sidebar-props")
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props.string)))


def test_the_menu_shows_how_many_photos_wait(moderator_client, campaign):
    PhotoSubmissionFactory.create_batch(2, campaign=campaign)
    PhotoSubmissionFactory(campaign=campaign, status=Status.APPROVED)

    labels = sidebar_labels(moderator_client.get(reverse("wagtailadmin_home")))

    assert "Moderation (2)" in labels
    assert "Photos (2)" in labels


def test_the_menu_has_no_count_when_nothing_waits(admin_client, db):
    labels = sidebar_labels(admin_client.get(reverse("wagtailadmin_home")))

    assert "Moderation" in labels
    assert "Photos" in labels
    assert "Photo campaigns" in labels


def test_editors_without_the_permission_do_not_see_the_queue(editor_client, campaign):
    PhotoSubmissionFactory(campaign=campaign)

    labels = sidebar_labels(editor_client.get(reverse("wagtailadmin_home")))

    assert not any(label.startswith("Photos") for label in labels)


# Who may moderate


def attempts(submission):
    return [
        ("get", url("index"), {}),
        ("get", url("index_results"), {}),
        ("get", url("inspect", submission.pk), {}),
        ("get", url("photo", submission.pk), {}),
        ("get", f"{url('photo', submission.pk)}?size=thumb", {}),
        ("post", url("approve", submission.pk), {}),
        ("post", url("reject", submission.pk), {"reject-reason": "not-clear"}),
        ("get", bulk_url("approve", [submission]), {}),
        ("post", bulk_url("approve", [submission]), {}),
        ("post", bulk_url("reject", [submission]), {"reason": "not-clear"}),
    ]


XHR = {"x-requested-with": "XMLHttpRequest"}


def test_an_editor_without_the_permission_is_turned_away(editor_client, submission):
    for method, path, data in attempts(submission):
        response = getattr(editor_client, method)(path, data)
        # Wagtail's answer to PermissionDenied in the admin: back to the dashboard...
        assert response.status_code == 302, path
        assert response["Location"] == reverse("wagtailadmin_home"), path
        # ...and a plain 403 to scripts.
        response = getattr(editor_client, method)(path, data, headers=XHR)
        assert response.status_code == 403, path

    submission.refresh_from_db()
    assert submission.status == Status.PENDING
    assert Image.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, submission):
    for method, path, data in attempts(submission):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("wagtailadmin_login")), path

    submission.refresh_from_db()
    assert submission.status == Status.PENDING


def test_the_photo_is_never_served_to_others(client, editor_client, submission):
    with submission.file.open("rb") as stored:
        photo = stored.read()
    for someone in [client, editor_client]:
        for params in [{}, {"size": "thumb"}]:
            response = someone.get(url("photo", submission.pk), params, follow=True)
            assert not response.streaming
            assert photo not in response.content
            assert response["Content-Type"].startswith("text/html")


def test_superusers_may_moderate(admin_client, submission):
    assert admin_client.get(url("index")).status_code == 200
    assert admin_client.get(url("photo", submission.pk)).status_code == 200
    admin_client.post(url("approve", submission.pk))
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED


def test_only_the_moderate_permission_is_offered_to_groups(admin_client, db):
    response = admin_client.get(reverse("wagtailusers_groups:add"))
    html = response.content.decode()

    assert "Can moderate photo submissions" in html
    moderate = Permission.objects.get(codename="moderate_photosubmission")
    add = Permission.objects.get(codename="add_photosubmission")
    assert f'value="{moderate.pk}"' in html
    assert f'value="{add.pk}"' not in html


# Campaigns


def test_campaigns_are_listed_with_their_counts(admin_client, campaign):
    PhotoSubmissionFactory.create_batch(2, campaign=campaign)
    PhotoSubmissionFactory(campaign=campaign, status=Status.APPROVED)

    response = admin_client.get(reverse("wagtailsnippets_wagtail_iln_photocampaign:list"))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [th.get_text(strip=True) for th in soup.select("thead th")]
    (row,) = soup.select("tbody tr")
    cells = dict(zip(headings, [td.get_text(strip=True) for td in row.find_all("td")], strict=True))
    assert cells["Hashtags"] == "#favouritefeature #ILNround"
    assert cells["Pending"] == "2"
    assert cells["Approved"] == "1"


def test_an_approved_photo_is_shown_from_the_image_library(moderator_client, submission):
    moderator_client.post(url("approve", submission.pk))
    submission.refresh_from_db()

    inspect = BeautifulSoup(
        moderator_client.get(url("inspect", submission.pk)).content, "html.parser"
    )
    listing = BeautifulSoup(
        moderator_client.get(url("index"), {"status": "approved"}).content, "html.parser"
    )

    for soup in [inspect, listing]:
        (img,) = soup.select("main img")
        assert "/images/" in img["src"] or "/media/" in img["src"]
        assert url("photo", submission.pk) not in img["src"]
    assert not inspect.select("form[data-iln-approve-form], form[data-iln-reject-form]")


def test_a_withdrawn_photo_says_it_is_gone(moderator_client, submission):
    from wagtail_iln.photos.moderation import withdraw

    withdraw(submission)

    response = moderator_client.get(url("inspect", submission.pk))

    assert "The photo is no longer stored." in response.content.decode()
    assert moderator_client.get(url("photo", submission.pk)).status_code == 404


def test_campaigns_are_created_in_the_admin(admin_client, db):
    response = admin_client.post(
        reverse("wagtailsnippets_wagtail_iln_photocampaign:add"),
        {
            "name": "#quietcorner",
            "hashtags": "#quietcorner",
            "licences": ["cc-by-4.0"],
            "moderator_emails": "mo@example.org\nli@example.org",
            "opens_at": "",
            "closes_at": "",
            "collection": "",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    campaign = PhotoCampaign.objects.get(name="#quietcorner")
    assert campaign.moderator_emails == ["mo@example.org", "li@example.org"]
    assert campaign.collection.name == "#quietcorner"
