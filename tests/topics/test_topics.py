import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import (
    DiscussionIndexPageFactory,
    DiscussionTopicPageFactory,
    ImageCreditFactory,
)
from wagtail_iln.models import DiscussionIndexPage, DiscussionTopicPage


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


class TestTopicPagesInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        self.user = self.login()
        self.root = Site.objects.get(is_default_site=True).root_page
        self.index = DiscussionIndexPageFactory(parent=self.root, slug="discussion")

    def test_where_topics_may_be_created(self):
        self.assertCanCreateAt(Page, DiscussionIndexPage)
        self.assertCanCreateAt(DiscussionIndexPage, DiscussionTopicPage)
        self.assertCanNotCreateAt(Page, DiscussionTopicPage)
        self.assertCanNotCreateAt(DiscussionTopicPage, DiscussionTopicPage)
        self.assertAllowedParentPageTypes(DiscussionTopicPage, {DiscussionIndexPage})

    def test_an_editor_writes_and_publishes_a_topic(self):
        image = ImageCreditFactory().image
        data = nested_form_data(
            {
                "title": "Your partnership",
                "slug": "your-partnership",
                "intro": "Set goals together.",
                "hero_image": image.pk,
                "tags": "partnership, ILNround",
                "discussion_opens": "2026-12-01",
                "discussion_closes": "2026-12-14",
                "body": streamfield(
                    [
                        ("rich_text", rich_text("<p>Welcome back.</p>")),
                        (
                            "prompt_section",
                            {
                                "heading": "Your partnership",
                                "intro": "",
                                "questions": streamfield([("item", "How often will you meet?")]),
                            },
                        ),
                        ("image", {"image": image.pk, "caption": "Our reading room"}),
                        (
                            "call_to_action",
                            {
                                "heading": "Tell us",
                                "text": "Post with the hashtags.",
                                "hashtags": streamfield([("item", "#ILNround")]),
                                "show_share_links": "on",
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.index, DiscussionTopicPage, data)
        topic = DiscussionTopicPage.objects.get(slug="your-partnership")
        assert topic.live
        assert sorted(t.name for t in topic.tags.all()) == ["ILNround", "partnership"]
        assert [block.block_type for block in topic.body] == [
            "rich_text",
            "prompt_section",
            "image",
            "call_to_action",
        ]
        self.assertPageIsRenderable(topic)
        self.assertPageIsPreviewable(topic, post_data=data)

    def test_a_window_that_closes_before_it_opens_is_refused(self):
        data = nested_form_data(
            {
                "title": "Backwards",
                "slug": "backwards",
                "discussion_opens": "2026-12-14",
                "discussion_closes": "2026-12-01",
                "body": streamfield([]),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(
            f"/admin/pages/add/wagtail_iln/discussiontopicpage/{self.index.pk}/", data
        )
        assert response.status_code == 200
        assert "The closing date cannot be before the opening date." in response.content.decode()
        assert not DiscussionTopicPage.objects.filter(slug="backwards").exists()

    def test_a_hashtag_with_spaces_in_a_call_to_action_is_refused(self):
        data = nested_form_data(
            {
                "title": "Bad tag",
                "slug": "bad-tag",
                "body": streamfield(
                    [
                        (
                            "call_to_action",
                            {
                                "heading": "Tell us",
                                "text": "",
                                "hashtags": streamfield([("item", "two words")]),
                                "show_share_links": "",
                            },
                        )
                    ]
                ),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(
            f"/admin/pages/add/wagtail_iln/discussiontopicpage/{self.index.pk}/", data
        )
        assert response.status_code == 200
        assert "A hashtag is one word" in response.content.decode()
        assert not DiscussionTopicPage.objects.filter(slug="bad-tag").exists()


def test_topic_page_shows_prompts_window_hashtags_and_credit(client, topic_page):
    page = soup(client.get(topic_page.url))
    assert [h1.get_text() for h1 in page.find_all("h1")] == [topic_page.title]
    assert page.find("main")
    assert [h2.get_text() for h2 in page.select(".iln-prompt h2")] == ["Your workplace"]
    assert [li.get_text() for li in page.select(".iln-prompt li")] == [
        "What does your library look like?",
        "Who uses it?",
    ]
    closes = topic_page.discussion_closes
    window = page.select_one(".iln-window")
    assert window.get_text(" ", strip=True).startswith("Discuss until")
    assert window.time["datetime"] == closes.isoformat()
    tag_links = {a.get_text(): a["href"] for a in page.select(".iln-hashtags a")}
    assert tag_links == {
        "#favouritefeature": "/discussion/?tag=favouritefeature",
        "#ILNround": "/discussion/?tag=ilnround",
    }
    hero = page.select_one(".iln-hero")
    assert hero.img["alt"] == "Start"
    assert hero.figcaption.get_text().strip() == "Photo: 'Start' by eko, CC BY-NC-SA 2.0"


def test_share_links_are_plain_links_and_no_script_of_another_site_is_loaded(client, topic_page):
    page = soup(client.get(topic_page.url))
    # The like button's own script only, served locally; nothing inline.
    scripts = page.find_all("script")
    assert [script.get("src") for script in scripts] == ["/static/wagtail_iln/js/likes.js"]
    assert [script.string for script in scripts] == [None]
    links = {a.get_text(): a["href"] for a in page.select(".iln-share a")}
    assert set(links) == {"Bluesky", "X", "LinkedIn", "Facebook", "E-mail"}
    assert links["LinkedIn"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert "getting-to-know-you" in links["Facebook"]
    assert links["E-mail"].startswith("mailto:?subject=")
    for anchor in page.select(".iln-share a"):
        assert "noopener" in anchor["rel"]
    # The stylesheet is the app's own, served locally.
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert stylesheets == ["/static/wagtail_iln/css/wagtail_iln.css"]


@override_settings(WAGTAIL_ILN={"SHARE_SERVICES": ["email"]})
def test_share_services_come_from_settings(client, topic_page):
    page = soup(client.get(topic_page.url))
    assert [a.get_text() for a in page.select(".iln-share a")] == ["E-mail"]


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (3, 20, "Discussion opens on"),
        (-20, -3, "Discussion closed on"),
        (-3, 10, "Discuss until"),
    ],
)
def test_discussion_window(client, index_page, opens, closes, expected):
    today = timezone.localdate()
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        discussion_opens=today + datetime.timedelta(days=opens),
        discussion_closes=today + datetime.timedelta(days=closes),
    )
    window = soup(client.get(topic.url)).select_one(".iln-window")
    assert window.get_text(" ", strip=True).startswith(expected)
    assert topic.discussion_is_open is (expected == "Discuss until")


def test_discussion_window_date_is_written_out(client, topic_page):
    topic_page.discussion_opens = datetime.date(2026, 11, 1)
    topic_page.discussion_closes = datetime.date(2099, 12, 13)
    topic_page.save_revision().publish()
    window = soup(client.get(topic_page.url)).select_one(".iln-window time")
    assert window.get_text() == "Dec. 13, 2099"
    assert window["datetime"] == "2099-12-13"


def test_index_lists_live_topics_newest_first(client, index_page):
    now = timezone.now()
    for days, title in [(28, "Oldest"), (0, "Newest"), (14, "Middle")]:
        topic = DiscussionTopicPageFactory(parent=index_page, title=title)
        topic.first_published_at = now - datetime.timedelta(days=days)
        topic.save()
    draft = DiscussionTopicPageFactory(parent=index_page, title="Draft", live=False)
    assert not draft.live
    page = soup(client.get(index_page.url))
    assert [a.get_text() for a in page.select(".iln-card__title a")] == [
        "Newest",
        "Middle",
        "Oldest",
    ]
    assert [h1.get_text() for h1 in page.find_all("h1")] == [index_page.title]


def test_the_first_cards_image_loads_at_once_and_the_others_when_scrolled_near(client, index_page):
    now = timezone.now()
    for days in range(3):
        topic = DiscussionTopicPageFactory(parent=index_page, hero_image=ImageCreditFactory().image)
        topic.first_published_at = now - datetime.timedelta(days=days)
        topic.save()
    images = soup(client.get(index_page.url)).select(".iln-card img")
    assert [image.get("loading") for image in images] == [None, "lazy", "lazy"]


@override_settings(WAGTAIL_ILN={"INDEX_PAGE_SIZE": 2})
def test_index_is_paginated(client, index_page):
    now = timezone.now()
    for n in range(5):
        topic = DiscussionTopicPageFactory(parent=index_page, title=f"Topic {n}")
        topic.first_published_at = now - datetime.timedelta(days=n)
        topic.save()
    first = soup(client.get(index_page.url))
    assert [a.get_text() for a in first.select(".iln-card__title a")] == ["Topic 0", "Topic 1"]
    assert first.select_one(".iln-pagination a[rel=next]")["href"] == "?page=2"
    last = soup(client.get(index_page.url, {"page": 3}))
    assert [a.get_text() for a in last.select(".iln-card__title a")] == ["Topic 4"]
    assert "Page 3 of 3" in last.select_one(".iln-pagination").get_text()
    # A page number that is not a number shows the first page, not an error.
    assert soup(client.get(index_page.url, {"page": "x"})).select(".iln-card")


def test_index_filters_by_hashtag(client, index_page):
    tagged = DiscussionTopicPageFactory(parent=index_page, title="Tagged")
    tagged.tags.add("favouritefeature")
    tagged.save_revision().publish()
    DiscussionTopicPageFactory(parent=index_page, title="Other")
    page = soup(client.get(index_page.url, {"tag": "favouritefeature"}))
    assert [a.get_text() for a in page.select(".iln-card__title a")] == ["Tagged"]
    assert "Topics tagged #favouritefeature" in page.get_text()
    empty = soup(client.get(index_page.url, {"tag": "nothing-here"}))
    assert empty.select(".iln-card") == []
    assert "No topics carry this hashtag yet." in empty.get_text()


def test_a_round_announcement_topic_shows_stats_and_the_application_form(client, index_page):
    from tests.factories import EnrolmentFactory, ParticipantFactory, RoundFactory

    now = timezone.now()
    round_ = RoundFactory(
        name="Round 12",
        applications_open_at=now - datetime.timedelta(days=1),
        applications_close_at=now + datetime.timedelta(days=13),
        # Still to run: a round whose end date has passed is closed.
        starts_on=now.date() + datetime.timedelta(days=30),
        ends_on=now.date() + datetime.timedelta(days=150),
    )
    for country in ("BT", "FJ", "FJ"):
        EnrolmentFactory(
            round=round_, participant=ParticipantFactory(country=country), status="accepted"
        )
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        body=[
            ("round_stats", {"round": round_, "heading": "", "show_chart": True}),
            ("round_application_form", {"round": round_, "heading": "Apply now"}),
        ],
    )
    page = soup(client.get(topic.url))
    assert "This round we have 3 participants from 2 countries" in page.get_text(" ")
    assert page.select_one("svg[role=img]")
    link = page.select_one("a[data-iln-apply-link]")
    assert link["href"] == f"/iln/rounds/{round_.pk}/apply/?page={topic.pk}"
