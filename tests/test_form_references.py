"""Several public forms on one page: each keeps its own ids, labels, descriptions and errors."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import Page

from tests.factories import DiscussionTopicPageFactory, PhotoCampaignFactory
from tests.helpers import open_round

FORMS = {
    "photo": "form[data-iln-photo-form]",
    "application": "form[data-iln-application-form]",
    "comment": "#comment-form",
}
# Where each form shows its messages.
SECTIONS = {
    "photo": ".iln-photo-form",
    "application": ".iln-application-form",
    "comment": "#comments",
}


@pytest.fixture
def page(index_page):
    campaign = PhotoCampaignFactory(name="#favouritefeature")
    round = open_round()
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[
            ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
            ("round_application_form", {"round": round, "heading": "Apply now"}),
        ],
    )
    topic.save_revision().publish()
    return Page.objects.get(pk=topic.pk).specific


def broken_references(html):
    """Duplicate ids, and ``for`` / ``aria-describedby`` / ``aria-labelledby`` naming no id."""
    soup = BeautifulSoup(html, "html.parser")
    for inert in soup.select("template"):  # not in the document until a script puts it there
        inert.decompose()
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    problems = [f"id {i!r} used {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1]
    for tag in soup.find_all(True):
        targets = []
        if tag.name == "label" and tag.get("for"):
            targets.append(tag["for"])
        for attribute in ("aria-describedby", "aria-labelledby"):
            targets += (tag.get(attribute) or "").split()
        problems += [f"<{tag.name}> points at missing {t!r}" for t in targets if t not in ids]
    for label in soup.find_all("label", attrs={"for": True}):
        field = soup.find(id=label["for"])
        if field is not None and label.find_parent("form") is not field.find_parent("form"):
            problems.append(f"the label of {label['for']!r} names a field of another form")
    return problems


def page_html(client, page, kind):
    """The page showing the form ``kind``: the topic; for the application, its own page."""
    html = client.get(page.url).content.decode()
    if kind == "application":
        link = BeautifulSoup(html, "html.parser").select_one("a[data-iln-apply-link]")
        html = client.get(link["href"]).content.decode()
    return html


def form_fields(html, selector):
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    data = {
        tag["name"]: tag.get("value", "")
        for tag in form.find_all("input")
        if tag.get("type") == "hidden"
    }
    return form["action"], data


def test_a_page_with_three_forms_has_unique_ids_and_labels_that_point_at_their_own_fields(
    client, page
):
    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(FORMS["photo"]) and soup.select_one(FORMS["comment"])
    assert broken_references(html) == []
    application = page_html(client, page, "application")
    assert BeautifulSoup(application, "html.parser").select_one(FORMS["application"])
    assert broken_references(application) == []
    # The posted names stay what they were.
    photo = soup.select_one(FORMS["photo"])
    assert {"email", "form_key", "website", "photo"} <= {i.get("name") for i in photo("input")}


def test_the_forms_sent_back_with_errors_keep_unique_ids_and_describe_their_errors(client, page):
    posts = {
        "comment": {"name": "", "email": "not an address", "body": ""},
        "photo": {
            "photo": SimpleUploadedFile("notes.jpg", b"not a photo"),
            "email": "nope",
            "title": "",
        },
        "application": {"email": "nope", "name": ""},
    }
    for kind, fields in posts.items():
        action, data = form_fields(page_html(client, page, kind), FORMS[kind])
        response = client.post(action, {**data, **fields, "page": page.pk})
        assert response.status_code == 400, kind
        html = response.content.decode()
        assert broken_references(html) == [], kind
        form = BeautifulSoup(html, "html.parser").select_one(FORMS[kind])
        email = form.find("input", attrs={"name": "email"})
        described = email["aria-describedby"].split()
        error = BeautifulSoup(html, "html.parser").find(id=described[-1])
        assert error.get_text(strip=True), kind  # the field's error is what describes it


@pytest.mark.parametrize("kind", FORMS)
@pytest.mark.parametrize("form_key", ["", "not-a-key", "1" * 300])
def test_a_damaged_form_key_is_named_in_the_error(client, page, kind, form_key):
    action, data = form_fields(page_html(client, page, kind), FORMS[kind])
    data.update(form_key=form_key, page=page.pk)
    shown = BeautifulSoup(Client().post(action, data).content, "html.parser")
    # Named where the form's errors are listed: the summary at its top.
    messages = [item.get_text(" ", strip=True) for item in shown.select_one(SECTIONS[kind])("li")]
    assert any(
        "This form is incomplete or out of date. Please reload the page and send it again."
        in message
        for message in messages
    )
