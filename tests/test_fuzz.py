"""The public forms, fuzzed: whatever is posted, never a 500, and nothing kept from an invalid post.

Hypothesis fills each field with its valid value or with something else: any
unicode (control characters included), very long text, several values where
one is expected, a file where text is expected or text where a file is
expected, bogus bytes for the photo, or nothing at all. Each example runs in a
transaction rolled back afterwards, so examples do not see each other.
Derandomized and bounded, so the file runs the same examples every time, in
seconds.
"""

import datetime
import io
import uuid
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from wagtail.models import Page

from tests.factories import (
    DiscussionIndexPageFactory,
    DiscussionTopicPageFactory,
    ParticipantFactory,
    PhotoCampaignFactory,
    RoundFactory,
    jpeg_bytes,
)
from tests.helpers import stored_files
from wagtail_iln.applications.models import Application
from wagtail_iln.comments.models import Comment, CommentSubscription
from wagtail_iln.conf import DEFAULTS
from wagtail_iln.photos.models import PhotoSubmission
from wagtail_iln.privacy import data_rights
from wagtail_iln.programme.models import Enrolment, Participant
from wagtail_iln.programme.personal_data import ProfileForm

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples every run, none replayed from an earlier failure
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

MISSING = "<missing>"  # a field left out of the post


def junk_text():
    return st.one_of(
        st.text(max_size=40),  # any unicode, control characters included
        st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=20),
        st.builds(lambda c, n: c * n, st.characters(), st.integers(200, 30_000)),
        st.sampled_from(
            ["", " ", "\x00", "\r\n", "0", "-1", "1e400", "null", "²", "١٢", "9" * 30, "é" * 130]
        ),
    )


def field(*valid):
    """A valid value, or junk, or several values, or a file, or nothing at all."""
    return st.one_of(
        st.sampled_from(valid),
        junk_text(),
        st.lists(junk_text(), min_size=2, max_size=3),
        st.just(("notes.txt", b"a file where text belongs")),
        st.just(MISSING),
    )


def honeypot():
    return st.one_of(st.just(""), st.just(MISSING), junk_text())


def image_bytes(format, size=(640, 480), **params):
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 160)).save(out, format, **params)
    return out.getvalue()


VALID_JPEG = jpeg_bytes(640, 480, label="fuzz")
FILES = [
    ("photo.jpg", VALID_JPEG),
    ("photo.png", image_bytes("PNG")),
    ("tiny.jpg", image_bytes("JPEG", size=(12, 12))),
    ("moving.gif", image_bytes("GIF", save_all=True, append_images=[Image.new("RGB", (640, 480))])),
    ("empty.jpg", b""),
    ("notes.jpg", b"<script>alert(1)</script>"),
    ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64),
]


def photo():
    """A real photo, another image, bogus or truncated bytes, text instead of a file, nothing."""
    return st.one_of(
        st.sampled_from(FILES),
        st.binary(max_size=2048).map(lambda content: ("photo.jpg", content)),
        st.integers(0, len(VALID_JPEG) - 1).map(lambda n: ("cut.jpg", VALID_JPEG[:n])),
        junk_text(),
        st.just(MISSING),
    )


def form_data(values):
    """What the test client posts: files as uploads, missing fields left out."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {}
    for name, value in values.items():
        if value == MISSING:
            continue
        if isinstance(value, tuple):
            value = SimpleUploadedFile(value[0], value[1], "application/octet-stream")
        data[name] = value
    return data


def last(value):
    """The value a form field reads when a name is posted several times."""
    return value[-1] if isinstance(value, list) else value


def certainly_invalid(values, required):
    """Whether no form could accept this post: a required field missing or the honeypot filled."""
    if any(values.get(name, MISSING) == MISSING for name in required):
        return True
    website = values.get("website", MISSING)
    return website != MISSING and isinstance(last(website), str) and last(website).strip() != ""


# State


MODELS = [PhotoSubmission, Comment, CommentSubscription, Application, Participant, Enrolment]


def rows():
    return {model: list(model._base_manager.order_by("pk").values()) for model in MODELS}


def post_and_check(client, url, values, required, media_root, model, accepted=302):
    """Post; never a 500; an invalid post changes nothing; a valid one keeps only valid rows.

    ``accepted`` is the status of a post the form took: a redirect, or 200 for a
    page that answers in place.
    """
    before_rows, before_files = rows(), set(stored_files(media_root))
    try:
        with transaction.atomic():
            response = client.post(url, form_data(values))
            after_rows, after_files = rows(), set(stored_files(media_root))
            if response.status_code == accepted:
                assert not certainly_invalid(values, required)
                if response.status_code == 302:
                    assert url_has_allowed_host_and_scheme(response["Location"], {"testserver"})
                before = {row["id"]: row for row in before_rows[model]}
                for row in after_rows[model]:
                    if before.get(row["id"]) != row:
                        model.objects.get(pk=row["id"]).full_clean()  # nothing the model refuses
            transaction.set_rollback(True)
    finally:
        for path in set(stored_files(media_root)) - before_files:
            Path(path).unlink()
    event(f"status {response.status_code}")  # see them with --hypothesis-show-statistics
    assert response.status_code < 500
    if response.status_code != accepted:
        assert response.status_code in (400, 403, 429), response.status_code
        assert after_rows == before_rows
        assert after_files == before_files
    return response


# The forms


@pytest.fixture(autouse=True)
def generous_limits(settings):
    """Rate limits out of the way: every example posts from the same address."""
    settings.WAGTAIL_ILN = {name: (10**6, 60) for name in DEFAULTS if name.endswith("RATE_LIMIT")}


@pytest.fixture
def stage(site_root):
    """A campaign and a round taking posts, each on its own page, and a topic without forms."""
    now = timezone.now()
    campaign = PhotoCampaignFactory(name="#favouritefeature")
    round = RoundFactory(
        applications_open_at=now - datetime.timedelta(days=1),
        applications_close_at=now + datetime.timedelta(days=20),
        # Still to run: a round whose end date has passed is closed.
        starts_on=now.date() + datetime.timedelta(days=30),
        ends_on=now.date() + datetime.timedelta(days=150),
    )
    index = DiscussionIndexPageFactory(parent=site_root, slug="discussion")
    pages = [
        DiscussionTopicPageFactory(parent=index, body=body)
        for body in (
            [("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"})],
            [("round_application_form", {"round": round, "heading": "Apply now"})],
            [],
        )
    ]
    return campaign, round, *(Page.objects.get(pk=page.pk).specific for page in pages)


# A hidden field's id is read with isdigit(), which "²" and "①" pass and int() refuses.
DIGITS = "0123456789²³①٣١𝟗"
PAGE = "<the form's page>"  # replaced by the id of the page the form is on


def id_field(*valid):
    """An id as a hidden field posts it: valid, digits of any script, junk, or nothing."""
    return st.one_of(
        st.sampled_from([*valid, "", "0", "-1", "2147483648", "99999999999999999999"]),
        st.text(st.sampled_from(DIGITS), min_size=1, max_size=3),
        junk_text(),
        st.just(MISSING),
    )


def posts(valid, **others):
    """Posts of the ``valid`` fields and the ``others`` (strategies), left out unless drawn.

    Mostly a valid post with up to three fields broken, so each refusal is
    reached from an otherwise good post; sometimes every field fuzzed at once.
    """
    strategies = {
        **{name: field(value) for name, value in valid.items()},
        "website": honeypot(),
        **others,
    }
    names = sorted(strategies)

    def broken(names_to_break):
        return st.fixed_dictionaries(
            {
                name: strategies[name]
                if name in names_to_break
                else st.just(valid.get(name, MISSING))
                for name in names
            }
        )

    return st.one_of(
        st.sets(st.sampled_from(names), max_size=3).flatmap(broken),
        st.fixed_dictionaries(strategies),
    )


def on_page(values, page):
    return {name: str(page.pk) if value == PAGE else value for name, value in values.items()}


# Each form's required fields with valid values; the others are fuzzed on their own.

NEXT = field("/", "/discussion/", "//evil.example/", "https://evil.example/", "javascript:x")

PHOTO = {
    "photo": FILES[0],
    "title": "The reading room window",
    "story": "Morning light over the harbour.",
    "credit_name": "Ana Souza",
    "email": "ana@example.org",
    "country": "BR",
    "workplace": "Biblioteca Municipal",
    "licence": "cc-by-4.0",
    "consent": "on",
    "form_key": str(uuid.uuid4()),
}


@FUZZ
@given(values=posts(PHOTO, photo=photo(), page=id_field(PAGE), next=NEXT))
@example(values={**PHOTO, "page": "²"})
@example(values={**PHOTO, "page": "①", "photo": ("photo.jpg", b"")})
def test_the_photo_form_never_fails_and_keeps_nothing_from_an_invalid_post(
    values, stage, media_root
):
    campaign, _, page, _, _ = stage
    url = reverse("wagtail_iln:photo_submit", args=[campaign.pk])
    post_and_check(Client(), url, on_page(values, page), PHOTO, media_root, PhotoSubmission)


COMMENT = {
    "name": "Mia",
    "email": "mia@example.org",
    "body": "Hello from Oslo! https://example.org/",
    "form_key": str(uuid.uuid4()),
}


@FUZZ
@given(values=posts(COMMENT, notify=field("on", ""), parent=id_field()))
@example(values={**COMMENT, "parent": "²"})
def test_the_comment_form_never_fails_and_keeps_nothing_from_an_invalid_post(
    values, stage, media_root
):
    _, _, _, _, topic = stage
    url = reverse("wagtail_iln:comment_post", args=[topic.pk])
    post_and_check(Client(), url, values, COMMENT, media_root, Comment)


APPLICATION = {
    "name": "Ana Souza",
    "email": "ana@example.org",
    "country": "BR",
    "time_zone": "America/Recife",
    "languages": ["pt", "en"],
    "workplace_kind": "public",
    "hopes_partnership": "Ideas for reaching teenagers.",
    "contact_frequency": "fortnightly",
    "consent": "on",
    "form_key": str(uuid.uuid4()),
}
APPLICATION_OPTIONAL = {
    "city": field("Recife", ""),
    "workplace": field("Biblioteca Municipal", ""),
    "workplace_size": field("small", ""),
    "role": field("Children's librarian", ""),
    "day_to_day": field("Story times.", ""),
    "career_path": field(""),
    "hopes_career": field(""),
    "contact_methods": st.one_of(st.just(["email", "video_call"]), field("fax", "email")),
}


@FUZZ
@given(
    values=posts(
        APPLICATION,
        languages=st.one_of(st.just(["pt", "en"]), field("en", "xx")),
        page=id_field(PAGE),
        next=NEXT,
        **APPLICATION_OPTIONAL,
    )
)
@example(values={**APPLICATION, "page": "²"})
def test_the_application_form_never_fails_and_keeps_nothing_from_an_invalid_post(
    values, stage, media_root
):
    _, round, _, page, _ = stage
    url = reverse("wagtail_iln:round_apply", args=[round.pk])
    post_and_check(Client(), url, on_page(values, page), APPLICATION, media_root, Application)


@pytest.fixture
def participant(db):
    return ParticipantFactory(email="ana@example.org")


@FUZZ
@given(email=field("ana@example.org", "someone@example.org"))
def test_the_data_request_form_never_fails_and_stores_nothing(email, participant):
    before = rows()
    response = Client().post(reverse("wagtail_iln:my_data_request"), form_data({"email": email}))
    assert response.status_code in (200, 400)
    assert rows() == before


# What the owner of a data link may correct: every profile field but the address.
PROFILE_VALUES = {
    "name": "Ana Souza",
    "country": "BR",
    "city": "Recife",
    "time_zone": "America/Recife",
    "languages": ["pt", "en"],
    "workplace": "Biblioteca Municipal",
    "workplace_kind": "public",
    "workplace_size": "small",
    "role": "Children's librarian",
    "day_to_day": "Story times.",
    "career_path": "Teacher, then librarian.",
    "hopes_career": "Run a network.",
    "hopes_partnership": "Ideas for teenagers.",
    "contact_frequency": "fortnightly",
    "contact_methods": ["email"],
}


@FUZZ
@given(values=posts({**PROFILE_VALUES, "action": "correct"}, website=st.just(MISSING)))
def test_correcting_ones_data_never_fails_and_changes_nothing_when_invalid(
    values, participant, media_root
):
    required = [name for name, field in ProfileForm().fields.items() if field.required]
    assert set(required) <= set(PROFILE_VALUES)
    url = reverse("wagtail_iln:my_data", args=[data_rights.data_token(participant.email)])
    post_and_check(Client(), url, values, required, media_root, Participant, accepted=200)
