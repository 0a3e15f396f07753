"""The site's privacy notice is linked from My data and from every public form's privacy note."""

import pytest
from bs4 import BeautifulSoup

from tests.helpers import open_round
from wagtail_iln.privacy.notice import privacy_policy_url

NOTICES = {"en": "/privacy/", "fr": "/fr/confidentialite/"}


def links(client, path):
    html = BeautifulSoup(client.get(path).content, "html.parser")
    return [a["href"] for a in html.select("main a[data-iln-privacy-link]")]


@pytest.fixture
def notices(settings):
    settings.WAGTAIL_ILN = {"PRIVACY_POLICY_URL": NOTICES}


def test_my_data_and_the_application_form_link_to_the_notice_in_the_readers_language(
    client, notices, db
):
    assert links(client, "/iln/my-data/") == ["/privacy/"]
    assert links(client, "/fr/iln/my-data/") == ["/fr/confidentialite/"]
    round = open_round()
    assert links(client, f"/iln/rounds/{round.pk}/apply/") == ["/privacy/"]


def test_a_language_without_its_own_notice_gets_the_default_languages(notices):
    assert privacy_policy_url("es") == "/privacy/"
    assert privacy_policy_url("fr-ca") == "/fr/confidentialite/"


def test_one_url_serves_every_language(settings):
    settings.WAGTAIL_ILN = {"PRIVACY_POLICY_URL": "https://example.org/privacy"}
    assert privacy_policy_url("fr") == "https://example.org/privacy"


def test_without_a_notice_there_is_no_link(client, db):
    assert links(client, "/iln/my-data/") == []
    round = open_round()
    assert links(client, f"/iln/rounds/{round.pk}/apply/") == []
