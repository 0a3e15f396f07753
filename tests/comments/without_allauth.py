"""Run by test_without_allauth.py in a fresh interpreter that refuses to import allauth."""

import sys

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command

from tests.helpers import post_comment
from wagtail_iln.models import Comment


def test_the_comment_form_is_todays_and_allauth_is_never_imported(client, topic_page):
    assert not [app for app in settings.INSTALLED_APPS if app.startswith("allauth")]
    html = BeautifulSoup(client.get(topic_page.url).content, "html.parser")
    form = html.select_one("#comment-form")
    assert form.select_one("input[name=name]") and form.select_one("input[name=email]")
    assert html.select(".iln-sign-in, .iln-comment-form__account") == []

    response = post_comment(client, topic_page, body="Hello without sign-in")

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    call_command("check", "--fail-level", "WARNING")
    assert [name for name in sys.modules if name.split(".")[0] == "allauth"] == []
