"""What every moderation queue does for a moderator, checked on each queue of the admin.

Each area below says how to make a pending item, how the public sees an
approved one, and what its actions ask for; the tests drive the real admin
views with the test client.
"""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail import hooks
from wagtail.images import get_image_model

from tests.factories import DiscussionTopicPageFactory, PhotoCampaignFactory, PhotoSubmissionFactory
from tests.helpers import approved_comment, make_user
from wagtail_iln.models import Comment, ImageCredit, PhotoSubmission
from wagtail_iln.moderation.group import VIEWSETS_HOOK
from wagtail_iln.moderation.viewsets import ModerationQueueViewSet


class PhotoArea:
    viewset_name = "wagtail_iln_photos"
    model = PhotoSubmission
    permission = "moderate_photosubmission"
    other_permission = "moderate_comment"
    menu_label = "Photos"
    #: What each action's form needs, one at a time and in bulk.
    single_data = {"reject": {"reject-reason": "not-clear"}}
    bulk_data = {"reject": {"reason": "not-clear", "note": ""}}
    reason = "The photo is not clear enough"
    tells_of_rejection = True

    def __init__(self, index_page):
        self.files = {}
        self.campaign = PhotoCampaignFactory(name="#favouritefeature")
        gallery = {"campaign": self.campaign, "heading": "Photos", "per_page": 50, "layout": "grid"}
        self.page = DiscussionTopicPageFactory(
            parent=index_page, slug="gallery", body=[("photo_gallery", gallery)]
        )

    def pending(self, n=0):
        submission = PhotoSubmissionFactory(campaign=self.campaign, email=f"p{n}@example.org")
        self.files[submission.pk] = submission.file.name
        return submission

    def label(self, item):
        return item.title

    def submitter(self, item):
        return item.email

    def shown(self, client):
        soup = BeautifulSoup(client.get(self.page.url).content, "html.parser")
        return [title.get_text() for title in soup.select(".iln-gallery .iln-photo__title")]

    def assert_approved(self, item):
        """An approved photo is a credited image of the library."""
        assert item.image is not None
        assert ImageCredit.objects.get(image=item.image).creator == item.credit_name

    def assert_rejected(self, item):
        """Its file is deleted; the reason is kept for the moderators."""
        assert not item.file
        assert not item.file.storage.exists(self.files[item.pk])
        assert item.rejection_reason == self.reason


class CommentArea:
    viewset_name = "wagtail_iln_comments"
    model = Comment
    permission = "moderate_comment"
    other_permission = "moderate_photosubmission"
    menu_label = "Comments"
    single_data = {}
    bulk_data = {}
    reason = None
    tells_of_rejection = False

    def __init__(self, index_page):
        self.page = DiscussionTopicPageFactory(parent=index_page, slug="workplace")

    def pending(self, n=0):
        return approved_comment(
            self.page,
            status=Comment.Status.PENDING,
            body=f"Hello from Oslo, comment {n}!",
            email=f"p{n}@example.org",
        )

    def label(self, item):
        return item.body

    def submitter(self, item):
        return item.email

    def shown(self, client):
        soup = BeautifulSoup(client.get(self.page.url).content, "html.parser")
        return [body.get_text() for body in soup.select(".iln-comment__body")]

    def assert_approved(self, item):
        """The author's address is forgotten once they have been told."""
        assert item.email == ""

    def assert_rejected(self, item):
        assert item.email == ""


AREAS = {"photos": PhotoArea, "comments": CommentArea}


def registered_queues():
    return {
        viewset.name: viewset
        for viewset in hooks.get_hooks(VIEWSETS_HOOK)
        if isinstance(viewset, type) and issubclass(viewset, ModerationQueueViewSet)
    }


@pytest.fixture(params=list(AREAS))
def area(request, index_page):
    return AREAS[request.param](index_page)


@pytest.fixture
def queue(area):
    return registered_queues()[area.viewset_name]


@pytest.fixture
def moderator(area, django_user_model):
    client = Client()
    client.force_login(make_user(django_user_model, "mo", area.permission))
    return client


def url(area, name, *args):
    return reverse(f"{area.viewset_name}:{name}", args=args)


def bulk_url(area, action, items, **params):
    opts = area.model._meta
    path = reverse("wagtail_bulk_action", args=[opts.app_label, opts.model_name, action])
    query = "&".join(
        [*(f"id={item.pk}" for item in items), *(f"{k}={v}" for k, v in params.items())]
    )
    return f"{path}?{query}"


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def status_of(item):
    item.refresh_from_db()
    return item.status


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_contract_covers_every_queue_of_the_menu():
    assert set(registered_queues()) == {area.viewset_name for area in AREAS.values()}


def test_the_queue_lists_what_waits_and_counts_it_in_the_menu(area, moderator):
    waiting = area.pending(1)
    done = area.pending(2)
    done.status = "approved"
    done.save()

    html = moderator.get(url(area, "index")).content.decode()
    assert url(area, "inspect", waiting.pk) in html
    assert url(area, "inspect", done.pk) not in html
    every = moderator.get(url(area, "index"), {"status": "all"}).content.decode()
    assert url(area, "inspect", done.pk) in every

    home = moderator.get(reverse("wagtailadmin_home")).content.decode()
    assert f"{area.menu_label} (1)" in home
    assert "Moderation (1)" in home


def test_approving_shows_the_item_and_tells_the_submitter(
    area, moderator, client, django_capture_on_commit_callbacks
):
    item = area.pending()
    submitter = area.submitter(item)
    assert area.label(item) not in " ".join(area.shown(client))

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(url(area, "approve", item.pk), follow=True)

    assert response.redirect_chain[0][0] == url(area, "index")
    assert any("approved" in message for message in messages_of(response))
    assert status_of(item) == "approved"
    assert item.moderated_by.username == "mo"
    area.assert_approved(item)
    assert area.label(item) in " ".join(area.shown(client))
    assert len(sent_to(submitter)) == 1


def test_a_second_approval_changes_nothing(area, moderator, django_capture_on_commit_callbacks):
    item = area.pending()
    submitter = area.submitter(item)
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(url(area, "approve", item.pk))
    item.refresh_from_db()
    moderated_at = item.moderated_at
    images = get_image_model().objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        again = moderator.post(url(area, "approve", item.pk), follow=True)

    assert any("already approved" in message for message in messages_of(again))
    item.refresh_from_db()
    assert item.moderated_at == moderated_at
    assert get_image_model().objects.count() == images
    assert len(sent_to(submitter)) == 1


def test_rejecting_hides_the_item_and_tells_the_submitter_why_where_the_area_does(
    area, moderator, client, django_capture_on_commit_callbacks
):
    item = area.pending()
    submitter = area.submitter(item)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            url(area, "reject", item.pk), area.single_data.get("reject", {}), follow=True
        )

    assert any("rejected" in message for message in messages_of(response))
    assert status_of(item) == "rejected"
    area.assert_rejected(item)
    assert area.label(item) not in " ".join(area.shown(client))
    told = sent_to(submitter)
    if area.tells_of_rejection:
        (message,) = told
        assert area.reason in message.body
    else:
        assert told == []


def test_each_action_works_in_bulk_and_leaves_the_rest_alone(
    area, queue, moderator, django_capture_on_commit_callbacks
):
    for number, action in enumerate(queue.actions):
        chosen = [area.pending(10 * number + n) for n in range(2)]
        left_alone = area.pending(10 * number + 9)
        data = area.bulk_data.get(action.name, {})

        confirm = moderator.get(bulk_url(area, action.name, chosen))
        assert confirm.status_code == 200
        for item in chosen:
            assert url(area, "inspect", item.pk) in confirm.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            response = moderator.post(
                bulk_url(area, action.name, chosen, next=url(area, "index")), data, follow=True
            )

        assert response.redirect_chain[-1][0] == url(area, "index")
        assert any(message.startswith("2 ") for message in messages_of(response)), action.name
        target = queue.moderation.transitions[action.name].status
        assert [status_of(item) for item in chosen] == [target, target]
        assert status_of(left_alone) == "pending"


def test_an_item_already_approved_is_left_alone_in_bulk(
    area, moderator, django_capture_on_commit_callbacks
):
    item = area.pending()
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(url(area, "approve", item.pk))
    item.refresh_from_db()
    outbox = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(bulk_url(area, "approve", [item]), follow=True)

    assert not any("approved." in message for message in messages_of(response))
    moderated_at = item.moderated_at
    item.refresh_from_db()
    assert (item.status, item.moderated_at) == ("approved", moderated_at)
    assert len(mail.outbox) == outbox


def attempts(area, queue, item):
    yield "get", url(area, "index"), {}
    yield "get", url(area, "index_results"), {}
    yield "get", url(area, "inspect", item.pk), {}
    for action in queue.actions:
        yield "post", url(area, action.name, item.pk), area.single_data.get(action.name, {})
        yield "get", bulk_url(area, action.name, [item]), {}
        yield "post", bulk_url(area, action.name, [item]), area.bulk_data.get(action.name, {})


def test_a_user_without_the_moderate_permission_is_refused(area, queue, django_user_model):
    item = area.pending()
    other = Client()
    other.force_login(make_user(django_user_model, "ed", area.other_permission))

    for method, path, data in attempts(area, queue, item):
        response = getattr(other, method)(path, data)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("wagtailadmin_home"), path
        response = getattr(other, method)(
            path, data, headers={"x-requested-with": "XMLHttpRequest"}
        )
        assert response.status_code == 403, path

    item.refresh_from_db()
    assert (item.status, item.moderated_at) == ("pending", None)
    home = other.get(reverse("wagtailadmin_home")).content.decode()
    assert f"{area.menu_label} (1)" not in home


def test_unknown_items_and_get_requests_change_nothing(area, queue, moderator):
    item = area.pending()
    unknown = item.pk + 1000

    for action in queue.actions:
        data = area.single_data.get(action.name, {})
        assert moderator.post(url(area, action.name, unknown), data).status_code == 404
        assert moderator.get(url(area, action.name, item.pk)).status_code == 405
        path = reverse(
            "wagtail_bulk_action",
            args=[area.model._meta.app_label, area.model._meta.model_name, action.name],
        )
        bulk = moderator.post(f"{path}?id={unknown}", area.bulk_data.get(action.name, {}))
        assert bulk.status_code == 404

    item.refresh_from_db()
    assert (item.status, item.moderated_at) == ("pending", None)


def test_an_action_that_needs_a_reason_does_nothing_without_one(area, queue, moderator):
    asking = [action for action in queue.actions if action.form_class]
    if not asking:
        pytest.skip("none of this queue's actions asks for a reason")
    item = area.pending()
    untouched = area.pending(1)

    for action in asking:
        response = moderator.post(url(area, action.name, item.pk), {})
        # The item's page again, the form with its errors and every other action's form.
        assert response.status_code == 400
        assert any(f"not {action.name}" in message for message in messages_of(response))
        soup = BeautifulSoup(response.content, "html.parser")
        form = soup.select_one(f"form[data-iln-{action.name}-form]")
        assert form["action"] == url(area, action.name, item.pk)
        assert form.select(".error-message")
        for other in queue.actions:
            other_form = soup.select_one(f"form[data-iln-{other.name}-form]")
            assert other_form["action"] == url(area, other.name, item.pk)
            if other is not action:
                assert not other_form.select(".error-message")

        response = moderator.post(bulk_url(area, action.name, [untouched]), {})
        assert response.status_code == 200  # the form again, with its errors

    for pending in (item, untouched):
        pending.refresh_from_db()
        assert (pending.status, pending.moderated_at) == ("pending", None)
    assert mail.outbox == []
