"""My data speaks the reader's language, looks like the site's forms, and forms link to it."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import translation
from wagtail.models import Locale

from tests.factories import ParticipantFactory
from wagtail_iln.privacy.data_rights import data_token

EMAIL = "lea.martin@example.org"


def html_of(response):
    return BeautifulSoup(response.content, "html.parser")


def french(text):
    with translation.override("fr"):
        return translation.gettext(text)


def assert_labelled(html):
    """Every field has a visible label, and every described-by id is on the page."""
    fields = html.select("form input:not([type=hidden]):not([name=website]), form select")
    assert fields
    for field in fields:
        if field.get("type") in ("checkbox", "radio") and field.find_parent("fieldset"):
            assert html.select_one(f"label[for={field['id']}]"), field["id"]
        else:
            label = html.select_one(f"label[for={field['id']}]")
            assert label and label.get_text(strip=True), field["id"]
            assert label.get_text(strip=True)[0].isupper(), label.get_text()
    for element in html.select("[aria-describedby]"):
        for target in element["aria-describedby"].split():
            assert html.find(id=target), f"{element.get('id')} is described by missing #{target}"


def test_the_request_page_answers_in_the_language_of_its_url(client, db):
    response = client.get("/fr/iln/my-data/")
    assert response.status_code == 200
    html = html_of(response)
    assert html.html["lang"] == "fr"
    assert html.h1.get_text() == french("Your data")
    form = html.select_one("form[data-iln-data-request]")
    label = form.select_one("label[for=id_email]").get_text(strip=True)
    assert label.startswith(french("Your e-mail address"))
    assert_labelled(html)
    assert "as_div" not in response.content.decode()


def test_an_invalid_address_is_summarised_in_the_readers_language(client, db):
    response = client.post("/es/iln/my-data/", {"email": "not an address"})
    assert response.status_code == 400
    html = html_of(response)
    assert html.html["lang"] == "es"
    summary = html.select_one("[role=alert].iln-error-summary")
    assert summary.select_one("a[href='#id_email']")
    assert_labelled(html)


def test_the_emailed_link_opens_the_page_in_the_language_it_was_asked_in(
    client, db, django_capture_on_commit_callbacks
):
    ParticipantFactory(name="Léa Martin", email=EMAIL, time_zone="Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/iln/my-data/", {"email": EMAIL})
    [message] = mail.outbox
    path = re.search(r"http://testserver(/\S+/)", message.body).group(1)
    assert path.startswith("/fr/iln/my-data/")
    page = html_of(client.get(path))
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == french("Your data")
    assert page.select_one("input[name=name]")["value"] == "Léa Martin"


def test_the_profile_form_has_labels_and_the_applications_time_zone_dropdown(client, db):
    ParticipantFactory(email=EMAIL, time_zone="America/Sao_Paulo", languages=["pt", "en"])
    html = html_of(client.get(f"/iln/my-data/{data_token(EMAIL)}/"))
    form = html.select_one("form[data-iln-profile-form]")
    time_zone = form.select_one("select[name=time_zone]")
    assert time_zone.select_one("option[selected]")["value"] == "America/Sao_Paulo"
    assert time_zone.select_one("option[value='Europe/Paris']")
    assert form.select_one("label[for=id_time_zone]").get_text(strip=True).startswith("Time zone")
    assert_labelled(html)


def test_a_bad_time_zone_is_refused_and_changes_nothing(client, db):
    participant = ParticipantFactory(email=EMAIL, time_zone="Europe/Paris")
    response = client.post(
        f"/iln/my-data/{data_token(EMAIL)}/",
        {"action": "correct", "name": "Léa", "country": "FR", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert html_of(response).select_one(".iln-error-summary a[href='#id_time_zone']")
    participant.refresh_from_db()
    assert participant.time_zone == "Europe/Paris"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_comment_form_links_to_my_data_in_the_pages_language(
    client, language, topic_page, site_root
):
    if language != "en":
        locale = Locale.objects.create(language_code=language)
        site_root.copy_for_translation(locale).save_revision().publish()
        topic_page.get_parent().copy_for_translation(locale).save_revision().publish()
        topic_page = topic_page.copy_for_translation(locale)
        topic_page.save_revision().publish()
    html = html_of(client.get(topic_page.url))
    prefix = "" if language == "en" else f"/{language}"
    form = html.select_one("form.iln-comment-form")
    assert form.select_one("a[data-iln-my-data-link]")["href"] == f"{prefix}/iln/my-data/"


def test_the_follow_form_links_to_my_data(client, index_page):
    html = html_of(client.get(index_page.url))
    form = html.select_one("form[data-iln-follow-form]")
    assert form.select_one("a[data-iln-my-data-link]")["href"] == "/iln/my-data/"
