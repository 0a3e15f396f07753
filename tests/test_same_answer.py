"""Whether an address is known never shows in the answer: not its content, status or headers,
nor the work done before it is sent.

Each view is called as Django calls it: the transaction commits, the answer is
returned, and the server closes it once sent. Until then, the database work is
the same for a known and an unknown address, and no e-mail has been sent; the
e-mail task, which looks the address up, runs after.
"""

import re
import uuid

from django.core import mail
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.applications.test_round_applications import PROFILE
from tests.factories import DiscussionTopicPageFactory, ParticipantFactory
from tests.helpers import open_round
from wagtail_iln.applications.views import ApplyView
from wagtail_iln.comments.models import CommentSubscription, email_hash
from wagtail_iln.comments.views import CommentPostView
from wagtail_iln.privacy.models import DataLink
from wagtail_iln.privacy.views import request_my_data

KNOWN, UNKNOWN = "ana@example.org", "nobody@example.org"
apply_to_round = ApplyView.as_view()
post_comment = CommentPostView.as_view()


def answer(capture, view, data, **kwargs):
    """(response, queries made, e-mails sent) up to the moment the answer is sent."""
    request = RequestFactory().post("/", data)
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        response = view(request, **kwargs)
    return response, len(queries), len(mail.outbox)


def visible(response):
    """What a client sees of an answer: its status, headers and body (the times left out)."""
    headers = {k: v for k, v in response.items() if k not in ("Expires", "Date")}
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
    return response.status_code, headers, body


def sent_after(response):
    """Close the answer as the server does once it is sent; the e-mails sent then.

    The server's close also closes the database connection; the test's
    transaction keeps it, as Django's test client does.
    """
    mail.outbox.clear()
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return [m.to for m in mail.outbox]


def compare(capture, view, post_for, **kwargs):
    """Post for the known and the unknown address; both answers, then the e-mails sent after.

    ``post_for(address)`` is the post. A first post warms what the site caches
    for every visitor (its Wagtail site, say), which would count once.
    """
    warm_up, *_ = answer(capture, view, post_for("first@example.org"), **kwargs)
    sent_after(warm_up)
    mail.outbox.clear()
    known, known_queries, known_sent = answer(capture, view, post_for(KNOWN), **kwargs)
    unknown, unknown_queries, unknown_sent = answer(capture, view, post_for(UNKNOWN), **kwargs)
    assert visible(known) == visible(unknown)
    assert known_queries == unknown_queries
    assert known_sent == unknown_sent == 0  # nothing is sent while the visitor waits
    return sent_after(known), sent_after(unknown)


def test_asking_for_ones_data(db, django_capture_on_commit_callbacks):
    ParticipantFactory(name="Ana Souza", email=KNOWN)
    after_known, after_unknown = compare(
        django_capture_on_commit_callbacks,
        request_my_data,
        lambda address: {"email": address.upper()},
    )
    assert (after_known, after_unknown) == ([[KNOWN]], [])
    # The address nobody holds data for is not kept either.
    assert list(DataLink.objects.values_list("email", flat=True)) == [KNOWN]


def test_asking_to_hear_of_new_comments(index_page, django_capture_on_commit_callbacks):
    topic = DiscussionTopicPageFactory(parent=index_page, slug="workplace")
    CommentSubscription.objects.create(
        thread_key=topic.translation_key,
        email=KNOWN,
        email_hash=email_hash(KNOWN),
        language="en",
        confirmed_at=timezone.now(),
    )

    def comment(address):
        return {
            "name": "Ana",
            "email": address,
            "body": "Hello!",
            "notify": "on",
            "form_key": str(uuid.uuid4()),
        }

    after_known, after_unknown = compare(
        django_capture_on_commit_callbacks, post_comment, comment, pk=topic.pk
    )
    # The one already subscribed is not asked again; the new one is asked to confirm.
    assert (after_known, after_unknown) == ([], [[UNKNOWN]])


def test_applying_to_a_round(db, django_capture_on_commit_callbacks):
    round = open_round()
    ParticipantFactory(name="Ana Souza", email=KNOWN)

    def application(address):
        return {
            **PROFILE,
            "email": address,
            "consent": "on",
            "website": "",
            "form_key": str(uuid.uuid4()),
        }

    after_known, after_unknown = compare(
        django_capture_on_commit_callbacks,
        apply_to_round,
        application,
        pk=round.pk,
    )
    assert (after_known, after_unknown) == ([[KNOWN]], [[UNKNOWN]])


def test_following_a_discussion_by_email(index_page, django_capture_on_commit_callbacks):
    from wagtail_iln.mailings.follow import FollowView
    from wagtail_iln.mailings.models import Follower

    Follower.objects.create(
        index=index_page,
        email=KNOWN,
        language="en",
        form_key=uuid.uuid4(),
        confirmed_at=timezone.now(),
    )

    def follow(address):
        return {"email": address, "website": "", "form_key": str(uuid.uuid4())}

    after_known, after_unknown = compare(
        django_capture_on_commit_callbacks, FollowView.as_view(), follow, pk=index_page.pk
    )
    # The one already following is not asked again; the new one is asked to confirm.
    assert (after_known, after_unknown) == ([], [[UNKNOWN]])
    assert Follower.objects.filter(email=KNOWN).count() == 1
