"""Liking topics and gallery photos: one like per account or per browser, no page reload needed."""

import hashlib
import json

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from tests.factories import DiscussionTopicPageFactory
from tests.helpers import approved_photo, pending_photo, translate
from wagtail_iln.comments.commenters import commenter_token
from wagtail_iln.likes.browsers import COOKIE_NAME, SALT
from wagtail_iln.likes.counts import like_label
from wagtail_iln.models import Like


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def like_form(client, page, selector="#iln-like-topic form[data-iln-like]"):
    form = soup(client.get(page.url)).select_one(selector)
    assert form is not None, selector
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return form["action"], data


def like_topic(client, topic, **headers):
    action, data = like_form(client, topic)
    return client.post(action, data, **headers)


def topic_like_text(client, topic):
    form = soup(client.get(topic.url)).select_one("#iln-like-topic form")
    return form.select_one(".iln-like__count").get_text(strip=True), form.button


def like_photo(client, gallery_page, photo, **headers):
    action, data = like_form(client, gallery_page, f"#iln-photo-{photo.pk} form[data-iln-like]")
    return client.post(action, data, **headers)


def test_liking_a_topic_without_javascript_comes_back_to_it_and_counts_one(client, topic_page):
    text, button = topic_like_text(client, topic_page)
    assert text == ""
    assert button.get_text(strip=True) == "Like this topic"

    response = like_topic(client, topic_page)

    assert response.status_code == 302
    assert response["Location"] == f"{topic_page.url}?iln-liked=iln-like-topic#iln-like-topic"
    text, button = topic_like_text(client, topic_page)
    assert text == "1 person likes this"
    assert button.get_text(strip=True) == "You like this topic"
    assert button.has_attr("disabled")


def test_an_anonymous_like_keeps_nothing_about_the_reader(client, topic_page):
    response = like_topic(client, topic_page, REMOTE_ADDR="203.0.113.9")

    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"]
    identifier = signing.loads(cookie.value, salt=SALT)
    like = Like.objects.get()
    assert like.user is None
    assert like.browser == hashlib.sha256(identifier.encode()).hexdigest()
    assert identifier not in like.browser
    stored = " ".join(str(value) for value in Like.objects.values().get().values())
    assert "203.0.113.9" not in stored
    assert like.target == str(topic_page.translation_key)


def test_liking_with_javascript_answers_with_the_new_count(client, topic_page):
    other = Client()
    like_topic(other, topic_page)

    response = like_topic(client, topic_page, HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "count": 2,
        "label": "2 people like this",
        "liked": "You like this topic",
    }


def test_a_browser_likes_once_however_often_it_sends_the_form(client, topic_page):
    like_topic(client, topic_page)
    like_topic(client, topic_page)
    replayed = client.post(*like_form(client, topic_page))
    assert replayed.status_code == 302
    assert COOKIE_NAME not in replayed.cookies  # the browser keeps the id it was given
    assert Like.objects.count() == 1
    assert topic_like_text(client, topic_page)[0] == "1 person likes this"


def test_an_account_likes_once_from_any_browser(topic_page, django_user_model):
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)

    like_topic(phone, topic_page)
    response = like_topic(laptop, topic_page)

    assert COOKIE_NAME not in response.cookies
    assert list(Like.objects.values_list("user", "browser")) == [(user.pk, "")]
    assert topic_like_text(laptop, topic_page)[1].get_text(strip=True) == "You like this topic"


def test_one_count_is_shared_by_every_translation_of_a_topic(
    client, topic_page, site_root, django_capture_on_commit_callbacks
):
    french = Locale.objects.create(language_code="fr")
    for page in [site_root, topic_page.get_parent(), topic_page]:
        with django_capture_on_commit_callbacks(execute=True):
            translate(page, french, {})
    french_topic = topic_page.get_translation(french)
    like_topic(client, topic_page)
    like_topic(Client(), french_topic)

    text = soup(client.get(french_topic.url)).select_one("#iln-like-topic .iln-like__count")
    assert text.get_text(strip=True) == "2 personnes aiment ceci"
    assert topic_like_text(client, topic_page)[0] == "2 people like this"


@pytest.mark.parametrize(
    "language, one, two",
    [
        ("en", "1 person likes this", "2 people like this"),
        ("fr", "1 personne aime ceci", "2 personnes aiment ceci"),
        ("es", "A 1 persona le gusta esto", "A 2 personas les gusta esto"),
    ],
)
def test_the_count_speaks_each_language_in_its_plural_forms(language, one, two):
    with translation.override(language):
        assert like_label(0) == ""
        assert like_label(1) == one
        assert like_label(2) == two


@pytest.mark.parametrize(
    "cookie",
    [
        "not-a-signed-value",
        signing.dumps("0" * 32, salt=SALT, key="the secret key of another site"),
        signing.dumps("0" * 32, salt="wagtail_iln.comments.commenter"),
        commenter_token("mia@example.org"),
        signing.dumps("../../etc/passwd", salt=SALT),
    ],
    ids=["forged", "other-site", "other-purpose", "commenter-cookie", "bad-shape"],
)
def test_a_cookie_the_site_did_not_give_is_not_believed(client, topic_page, cookie):
    client.cookies[COOKIE_NAME] = cookie
    response = like_topic(client, topic_page)

    assert response.status_code == 302
    given = signing.loads(response.cookies[COOKIE_NAME].value, salt=SALT)
    assert Like.objects.get().browser == hashlib.sha256(given.encode()).hexdigest()
    assert given != "0" * 32


def test_a_stolen_cookie_cannot_like_twice(client, topic_page):
    response = like_topic(client, topic_page)
    thief = Client()
    thief.cookies[COOKIE_NAME] = response.cookies[COOKIE_NAME].value
    like_topic(thief, topic_page)
    assert Like.objects.count() == 1


def test_a_draft_topic_cannot_be_liked(client, topic_page, index_page):
    draft = DiscussionTopicPageFactory(parent=index_page, slug="draft", live=False)
    action = reverse("wagtail_iln:like", args=["topic", draft.pk])
    _, data = like_form(client, topic_page)

    response = client.post(action, data)

    assert response.status_code == 404
    assert "This can no longer be liked." in response.content.decode()
    assert Like.objects.count() == 0


@pytest.mark.parametrize("kind", ["comment", "page", "TOPIC"])
def test_only_topics_and_photos_can_be_liked(client, topic_page, kind):
    response = client.post(reverse("wagtail_iln:like", args=[kind, topic_page.pk]))
    assert response.status_code == 404
    assert Like.objects.count() == 0


def test_a_pending_photo_cannot_be_liked(client, gallery_page, campaign):
    shown = approved_photo(campaign)
    held = pending_photo(campaign)
    action, data = like_form(client, gallery_page, f"#iln-photo-{shown.pk} form")

    response = client.post(
        reverse("wagtail_iln:like", args=["photo", held.pk]),
        data,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 404
    assert json.loads(response.content) == {"error": "This can no longer be liked."}
    assert Like.objects.count() == 0


def test_liking_a_photo_sends_the_reader_back_to_it_in_the_gallery(client, gallery_page, campaign):
    photo = approved_photo(campaign)
    client.get(gallery_page.url)  # the gallery is now in the cache

    response = like_photo(client, gallery_page, photo)

    assert response["Location"] == (
        f"{gallery_page.url}?iln-liked=iln-photo-{photo.pk}#iln-photo-{photo.pk}"
    )
    thanked = soup(client.get(response["Location"])).select_one(f"#iln-photo-{photo.pk}")
    assert thanked.select_one(".iln-like__count").get_text(strip=True) == "1 person likes this"
    assert thanked.button.get_text(strip=True) == "You like this"
    # The cached gallery every other reader sees counts the like too.
    cached = soup(Client().get(gallery_page.url)).select_one(f"#iln-photo-{photo.pk}")
    assert cached.select_one(".iln-like__count").get_text(strip=True) == "1 person likes this"
    assert cached.button.get_text(strip=True) == "Like"


def test_the_cached_gallery_gives_each_reader_their_own_csrf_token(gallery_page, campaign):
    photo = approved_photo(campaign)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert like_photo(first, gallery_page, photo).status_code == 302
    assert like_photo(second, gallery_page, photo).status_code == 302
    assert Like.objects.count() == 2


def test_a_like_without_the_csrf_token_is_refused(gallery_page, campaign):
    photo = approved_photo(campaign)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("wagtail_iln:like", args=["photo", photo.pk]))
    assert response.status_code == 403
    assert Like.objects.count() == 0


def test_the_gallery_goes_back_to_the_page_of_photos_the_reader_was_on(
    client, gallery_page, campaign
):
    photos = [approved_photo(campaign) for _ in range(13)]
    next_link = soup(client.get(gallery_page.url)).select_one("a[href*='iln-gallery-']")
    page_two = next_link["href"].split("#")[0]
    form = soup(client.get(gallery_page.url + page_two)).select_one(
        f"#iln-photo-{photos[0].pk} form"
    )
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert data["next"] == f"{gallery_page.url}{page_two}"

    data["next"] = "https://elsewhere.example/"
    response = client.post(form["action"], data)

    assert response["Location"].startswith(f"/?iln-liked=iln-photo-{photos[0].pk}")


@override_settings(WAGTAIL_ILN={"LIKE_RATE_LIMIT": (2, 600)})
def test_a_client_liking_too_fast_is_told_to_wait(client, gallery_page, campaign):
    photos = [approved_photo(campaign) for _ in range(3)]
    assert like_photo(client, gallery_page, photos[0]).status_code == 302
    assert like_photo(client, gallery_page, photos[1]).status_code == 302

    refused = like_photo(client, gallery_page, photos[2])
    answered = like_photo(client, gallery_page, photos[2], HTTP_ACCEPT="application/json")

    assert refused.status_code == 429
    message = "You have liked a lot in a short time. Please try again later."
    assert message in refused.content.decode()
    assert json.loads(answered.content) == {"error": message}
    assert Like.objects.count() == 2


def test_liking_needs_a_post(client, topic_page):
    response = client.get(reverse("wagtail_iln:like", args=["topic", topic_page.pk]))
    assert response.status_code == 405


def photo_forms(client, page):
    forms = {}
    for figure in soup(client.get(page.url)).select("figure.iln-photo"):
        for form in figure.select("form[data-iln-like]"):
            # Each "Like" button is described by its own photo's title.
            title = figure.select_one(f"#{form.button['aria-describedby']}")
            assert title.get_text(strip=True) == figure.h3.get_text(strip=True)
            forms[figure["id"]] = (
                form["action"],
                form.select_one(".iln-like__count").get_text(strip=True),
            )
    return forms


def test_each_photo_of_a_gallery_has_its_own_button_and_count(client, gallery_page, campaign):
    liked_twice, liked_once, unliked, also_unliked = (approved_photo(campaign) for _ in range(4))
    for photo, times in [(liked_twice, 2), (liked_once, 1)]:
        for _ in range(times):
            assert like_photo(Client(), gallery_page, photo).status_code == 302

    forms = photo_forms(client, gallery_page)

    def action(photo):
        return reverse("wagtail_iln:like", args=["photo", photo.pk])

    assert forms == {
        f"iln-photo-{liked_twice.pk}": (action(liked_twice), "2 people like this"),
        f"iln-photo-{liked_once.pk}": (action(liked_once), "1 person likes this"),
        f"iln-photo-{unliked.pk}": (action(unliked), ""),
        f"iln-photo-{also_unliked.pk}": (action(also_unliked), ""),
    }


def test_a_site_like_button_that_transforms_its_action_is_rendered_photo_by_photo(
    client, gallery_page, campaign, settings, tmp_path
):
    override = tmp_path / "wagtail_iln" / "likes"
    override.mkdir(parents=True)
    (override / "_like.html").write_text(
        '<form data-iln-like action="{{ like.action }}" data-shout="{{ like.action|upper }}">'
        '<span class="iln-like__count">{{ like.label }}</span></form>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    photos = [approved_photo(campaign) for _ in range(2)]

    page = soup(client.get(gallery_page.url))

    for photo in photos:
        form = page.select_one(f"#iln-photo-{photo.pk} form[data-iln-like]")
        action = reverse("wagtail_iln:like", args=["photo", photo.pk])
        assert (form["action"], form["data-shout"]) == (action, action.upper())
