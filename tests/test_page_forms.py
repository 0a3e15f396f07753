"""The forms placed in pages, answered alike: a photo, a comment and an application.

A post with mistakes comes back as the page, scrolled to the form, with a
summary of the errors at the form's top linking to each field; a GET of the
URL a form posts to goes to the page the form is on.
"""

from collections import Counter

import pytest
from bs4 import BeautifulSoup

from tests.factories import DiscussionTopicPageFactory, PhotoCampaignFactory
from tests.helpers import (
    application_form_data,
    comment_form_data,
    open_round,
    photo_form_data,
)
from wagtail_iln.applications.models import Application
from wagtail_iln.comments.models import Comment
from wagtail_iln.photos.models import PhotoSubmission


@pytest.fixture
def campaign(db):
    return PhotoCampaignFactory(name="#favouritefeature")


@pytest.fixture
def round(db):
    return open_round()


@pytest.fixture
def topic(index_page, campaign, round):
    """A topic page with all three forms: the photo form, the application form, comments."""
    return DiscussionTopicPageFactory(
        parent=index_page,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[
            ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
            ("round_application_form", {"round": round, "heading": "Apply now"}),
        ],
    )


# What each form is: how a visitor fills it in, what they get wrong, where it lands.
FORMS = {
    "photo": {
        "selector": "form[data-iln-photo-form]",
        "form_data": lambda client, page, **changes: photo_form_data(page, client, **changes),
        "mistakes": {"email": "ana@", "consent": ""},
        "summary_labels": {"consent": "Your consent"},
        "kept": {"title": "The reading room window", "workplace": "Biblioteca Municipal"},
        "section": lambda campaign, round: f"iln-campaign-{campaign.pk}",
        "model": PhotoSubmission,
    },
    "application": {
        "selector": "form[data-iln-application-form]",
        "form_data": lambda client, page, **changes: application_form_data(page, client, **changes),
        # A list of boxes in error: its link goes to the first box.
        "mistakes": {"email": "ana@", "contact_methods": ["carrier_pigeon"]},
        "kept": {"name": "Ana Souza", "city": "Recife"},
        "section": lambda campaign, round: f"iln-round-{round.pk}",
        "model": Application,
    },
    "comment": {
        "selector": "#comment-form",
        "form_data": comment_form_data,
        "mistakes": {"email": "mia@", "body": ""},
        "kept": {"name": "Mia"},
        "section": lambda campaign, round: "comments",
        "model": Comment,
    },
}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def form_post(client, page, kind, **changes):
    return FORMS[kind]["form_data"](client, page, **changes)


@pytest.mark.parametrize("kind", FORMS)
def test_a_post_with_mistakes_comes_back_at_the_form_with_a_summary_of_the_errors(
    client, topic, kind
):
    action, data = form_post(client, topic, kind, **FORMS[kind]["mistakes"])
    response = client.post(action, data)

    assert response.status_code == 400
    assert not FORMS[kind]["model"].objects.exists()
    page = soup_of(response)
    # The action's fragment is the form: the browser shows the answer scrolled to it.
    path, _, fragment = action.partition("#")
    form = page.find(id=fragment)
    assert form.name == "form"
    assert form["action"] == action
    # The summary opens the form (after its heading, if it has one) ...
    summary = next(child for child in form.find_all(recursive=False) if child.name != "h3")
    assert "iln-error-summary" in summary["class"]
    assert (summary["role"], summary["tabindex"]) == ("alert", "-1")
    assert summary.has_attr("autofocus")
    assert "Please correct the errors below." in summary.get_text()
    # ... and links to each field in error, naming the error.
    links = summary.select("a[href^='#']")
    in_error = set()
    for link in links:
        [target] = page.find_all(id=link["href"][1:])
        assert target.name in ("input", "select", "textarea")
        assert target.find_parent("form") is form
        in_error.add(target["name"])
        field = target.find_parent(class_="iln-field")
        message = field.select_one(".iln-field__error").get_text()
        assert message in link.get_text()
        label = field.select_one("label, legend")
        for optional in label.select(".iln-field__optional"):
            optional.extract()  # "(optional)" is for the field, not the summary
        label = label.get_text(" ", strip=True).rstrip(":")
        # A consent is named briefly, not by its whole sentence.
        short = FORMS[kind].get("summary_labels", {}).get(target["name"])
        assert link.get_text().startswith(short or label)
    assert in_error == set(FORMS[kind]["mistakes"])
    # Everything typed is kept.
    for name, value in FORMS[kind]["kept"].items():
        assert form.select_one(f"[name={name}]")["value"] == value


def test_ids_are_unique_on_a_page_with_all_three_forms(client, topic):
    ids = Counter(element["id"] for element in soup_of(client.get(topic.url)).find_all(id=True))
    assert [name for name, count in ids.items() if count > 1] == []
    # Each form posts from its own id; the e-mail fields are told apart.
    assert {"comment-form", "iln-comment-email"} <= set(ids)


@pytest.mark.parametrize("kind", ["photo", "comment"])
def test_a_get_of_a_forms_url_goes_to_the_page_the_form_is_on(client, topic, campaign, round, kind):
    action, _data = form_post(client, topic, kind)
    section = FORMS[kind]["section"](campaign, round)

    response = client.get(action)

    assert response.status_code == 302
    assert response["Location"] == f"{topic.url}#{section}"
    assert soup_of(client.get(topic.url)).find(id=section)
    assert not FORMS[kind]["model"].objects.exists()


@pytest.mark.parametrize("kind", ["photo", "comment"])
def test_the_photo_and_comment_forms_are_folded_until_opened_or_handed_back(client, topic, kind):
    selector = FORMS[kind]["selector"]
    folded = soup_of(client.get(topic.url)).select_one(selector).find_parent("details")
    assert folded is not None and not folded.has_attr("open")
    action, data = form_post(client, topic, kind, **FORMS[kind]["mistakes"])
    handed_back = soup_of(client.post(action, data)).select_one(selector).find_parent("details")
    assert handed_back.has_attr("open")


def test_the_application_is_a_page_of_its_own_linked_from_the_topic(client, topic, round):
    block = soup_of(client.get(topic.url)).find(id=f"iln-round-{round.pk}")
    assert block.select_one("form") is None
    link = block.select_one("a[data-iln-apply-link]")
    assert link["href"] == f"/iln/rounds/{round.pk}/apply/?page={topic.pk}"

    page = soup_of(client.get(link["href"]))
    form = page.select_one("form[data-iln-application-form]")
    legends = [legend.get_text() for legend in form.select("fieldset.iln-form__group > legend")]
    assert legends == ["About you", "Your work", "Your hopes", "Keeping in touch", "Your consent"]
    grouped = {field["name"] for field in form.select("fieldset.iln-form__group [name]")}
    shown = {
        field["name"]
        for field in form.select("input, select, textarea")
        if field.get("type") != "hidden" and field["name"] != "website"
    }
    assert shown == grouped
    assert page.select_one(".iln-application-form__back a")["href"] == topic.url
    assert not Application.objects.exists()


@pytest.mark.parametrize("kind", ["photo", "application"])
def test_a_get_of_a_forms_url_without_a_page_shows_the_form_on_its_own_page(
    client, campaign, round, kind
):
    url = {
        "photo": f"/iln/photos/{campaign.pk}/submit/",
        "application": f"/iln/rounds/{round.pk}/apply/",
    }
    response = client.get(url[kind])

    assert response.status_code == 200
    form = soup_of(response).select_one(FORMS[kind]["selector"])
    assert form["action"] == f"{url[kind]}#{form['id']}"
    assert form.select_one("input[name=page]") is None
