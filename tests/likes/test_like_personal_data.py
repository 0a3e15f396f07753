"""A signed-in reader's likes are in their data download and go when their data is erased."""

import json

from bs4 import BeautifulSoup
from django.test import Client

from wagtail_iln.models import Like
from wagtail_iln.privacy.data_rights import data_token

EMAIL = "Reader@Example.org"


def like(client, page):
    form = BeautifulSoup(client.get(page.url).content, "html.parser").select_one(
        "#iln-like-topic form"
    )
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    return client.post(form["action"], data)


def test_an_accounts_likes_are_downloaded_and_erased_with_its_address(
    client, topic_page, django_user_model
):
    reader = django_user_model.objects.create_user("reader", EMAIL, "pw")
    client.force_login(reader)
    like(client, topic_page)
    like(Client(), topic_page)  # someone else, anonymous
    link = f"/iln/my-data/{data_token('reader@example.org')}/"

    data = json.loads(Client().get(link + "?format=json").content)

    assert [(item["kind"], item["liked"]) for item in data["likes"]] == [
        ("topic", str(topic_page.translation_key))
    ]
    assert Client().post(link, {"action": "erase"}).status_code in (200, 302)
    assert list(Like.objects.values_list("user", flat=True)) == [None]
    assert "1 person likes this" in Client().get(topic_page.url).content.decode()


def test_anonymous_likes_are_nobodys_data(client, topic_page):
    like(client, topic_page)
    link = f"/iln/my-data/{data_token('anyone@example.org')}/"
    data = json.loads(Client().get(link + "?format=json").content)
    assert data["likes"] == []
