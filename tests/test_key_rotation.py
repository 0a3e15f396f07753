"""Rotating SECRET_KEY, the old key kept in SECRET_KEY_FALLBACKS: nothing sent before breaks."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import (
    DiscussionTopicPageFactory,
    EnrolmentFactory,
    ParticipantFactory,
    PartnershipFactory,
    RoundFactory,
)
from tests.helpers import approved_comment
from tests.helpers import post_comment as post
from wagtail_iln.comments.commenters import COOKIE_NAME, commenter_token
from wagtail_iln.comments.models import Comment, CommentSubscription, email_hash
from wagtail_iln.comments.moderation import subscription_token
from wagtail_iln.health.links import check_in_token
from wagtail_iln.privacy.data_rights import data_token

EMAIL = "ana@example.org"
OLD, NEW = "tests-only-not-secret", "a-new-secret-key-after-rotation"


@pytest.fixture
def before(index_page, settings):
    """What exists before the rotation: Ana's comment, subscription, links and cookie."""
    assert settings.SECRET_KEY == OLD
    topic = DiscussionTopicPageFactory(parent=index_page, slug="workplace")
    ana = ParticipantFactory(name="Ana Souza", email=EMAIL)
    round = RoundFactory()
    enrolment = EnrolmentFactory(participant=ana, round=round)
    partnership = PartnershipFactory(
        round=round, members=[enrolment, EnrolmentFactory(round=round)]
    )
    comment = approved_comment(topic, name="Ana", email_hash=email_hash(EMAIL))
    subscription = CommentSubscription.objects.create(
        thread_key=topic.translation_key, email=EMAIL, email_hash=email_hash(EMAIL), language="en"
    )
    return {
        "topic": topic,
        "comment": comment,
        "data": f"/iln/my-data/{data_token(EMAIL)}/",
        "check_in": f"/iln/check-in/{check_in_token(partnership.pk, ana.pk, 0)}/in_touch/",
        "confirm": f"/iln/comments/confirm/{subscription_token(subscription)}/",
        "cookie": commenter_token(EMAIL),
    }


def rotated(**wagtail_iln):
    return override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD], WAGTAIL_ILN=wagtail_iln)


def test_links_and_cookies_sent_before_a_rotation_still_work(before):
    with rotated():
        client = Client()
        assert "Ana Souza" in client.get(before["data"]).content.decode()
        assert client.get(before["check_in"]).status_code == 200
        assert client.post(before["confirm"]).status_code == 200
        assert CommentSubscription.objects.get().confirmed_at is not None
        # The browser that proved Ana's address before the rotation still speaks for it.
        browser = Client()
        browser.cookies[COOKIE_NAME] = before["cookie"]
        post(browser, before["topic"], name="Ana", email=EMAIL, body="Still me.")
        assert Comment.objects.latest("pk").status == "approved"


def test_erasure_finds_comments_hashed_before_a_rotation(before):
    with rotated():
        call_command("iln_erase_commenter", EMAIL)
        assert not Comment.objects.filter(pk=before["comment"].pk).exists()
        assert not CommentSubscription.objects.exists()


def test_with_a_dedicated_hash_key_erasure_outlives_the_old_key(before):
    """Hashes made under SECRET_KEY are found once the hash key is set, while it is a fallback;
    hashes made under the hash key are found whatever SECRET_KEY becomes."""
    with rotated(EMAIL_HASH_KEY="never-rotated"):
        later = approved_comment(before["topic"], name="Ana", email_hash=email_hash(EMAIL))
    with override_settings(
        SECRET_KEY="yet-another-key",
        SECRET_KEY_FALLBACKS=[],
        WAGTAIL_ILN={"EMAIL_HASH_KEY": "never-rotated"},
    ):
        call_command("iln_erase_commenter", EMAIL)
    assert not Comment.objects.filter(pk=later.pk).exists()
    # Made under the dropped key, before the hash key was set: lost, as the check warns.
    assert Comment.objects.filter(pk=before["comment"].pk).exists()
