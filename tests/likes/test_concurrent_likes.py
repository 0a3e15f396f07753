"""Likes sent at the same moment, on PostgreSQL: every reader counted once, none lost.

Each thread is a browser of its own with its own database connection; a
barrier lets them all post together.
"""

import secrets
import threading

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.helpers import approved_photo
from wagtail_iln.likes.browsers import COOKIE_NAME, SALT
from wagtail_iln.models import Like, PhotoCampaign

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL; SQLite runs one writer at a time",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def photo(db):
    campaign = PhotoCampaign.objects.create(name="#favouritefeature", hashtags="#favouritefeature")
    return approved_photo(campaign)


def at_once(clients, url):
    """Post a like from every client together; the statuses, in no particular order."""
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def send(number, client):
        try:
            barrier.wait()
            response = client.post(url, {"next": "/"}, REMOTE_ADDR=f"198.51.100.{number}")
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(number, client))
        for number, client in enumerate(clients, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


def test_50_browsers_liking_one_photo_at_once_count_exactly_50(photo):
    url = reverse("wagtail_iln:like", args=["photo", photo.pk])

    statuses = at_once([Client() for _ in range(50)], url)

    assert statuses == [302] * 50
    assert Like.objects.filter(kind="photo", target=str(photo.pk)).count() == 50
    assert Like.objects.values("browser").distinct().count() == 50


def test_one_browser_sending_its_like_ten_times_at_once_counts_once(photo):
    cookie = signing.dumps(secrets.token_hex(16), salt=SALT)
    clients = [Client() for _ in range(10)]
    for client in clients:
        client.cookies[COOKIE_NAME] = cookie
    url = reverse("wagtail_iln:like", args=["photo", photo.pk])

    statuses = at_once(clients, url)

    assert statuses == [302] * 10
    assert Like.objects.count() == 1


def test_one_account_liking_from_ten_browsers_at_once_counts_once(photo, django_user_model):
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    clients = [Client() for _ in range(10)]
    for client in clients:
        client.force_login(user)
    url = reverse("wagtail_iln:like", args=["photo", photo.pk])

    statuses = at_once(clients, url)

    assert statuses == [302] * 10
    assert list(Like.objects.values_list("user", flat=True)) == [user.pk]
