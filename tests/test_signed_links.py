"""Signed links with the right signature and any payload: never a server error.

A token signed with the site's key proves the app (or whoever held the key)
made it, not that it holds what the view expects. Each view that reads a
signed link is found from the URLs (a ``token`` argument) and must be listed
here with its salt; Hypothesis then signs arbitrary JSON with that salt and
opens the link, GET and POST.
"""

import pytest
from django.core import signing
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.test_security import PUBLIC, PUBLIC_ENDPOINTS, world  # noqa: F401 - the fixture
from wagtail_iln.applications.confirm import CONFIRM_SALT
from wagtail_iln.comments.moderation import SUBSCRIPTION_SALT
from wagtail_iln.health.links import CHECKIN_SALT
from wagtail_iln.mailin.emails import CONFIRM_SALT as MAIL_CONFIRM_SALT
from wagtail_iln.mailings.follow import CONFIRM_SALT as FOLLOW_CONFIRM_SALT
from wagtail_iln.mailings.follow import LEAVE_SALT
from wagtail_iln.mailings.sending import UNSUBSCRIBE_SALT
from wagtail_iln.photos.views import WITHDRAW_SALT
from wagtail_iln.privacy.data_rights import DATA_SALT

pytestmark = pytest.mark.slow

SALTS = {
    "check_in": CHECKIN_SALT,
    "my_data": DATA_SALT,
    "round_apply_confirm": CONFIRM_SALT,
    "comment_confirm": SUBSCRIPTION_SALT,
    "comment_unsubscribe": SUBSCRIPTION_SALT,
    "photo_withdraw": WITHDRAW_SALT,
    "topic_unsubscribe": UNSUBSCRIBE_SALT,
    "follow_confirm": FOLLOW_CONFIRM_SALT,
    "follow_leave": LEAVE_SALT,
    "mail_photo_confirm": MAIL_CONFIRM_SALT,
}
SIGNED = [e for e in PUBLIC if "token" in e.converters]

LINKS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**80),
    st.sampled_from([0, 1, 2, -1, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["1", "ana@example.org", "", "\x00", "1e400"]),
)
payloads = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_every_signed_link_is_listed():
    assert {e.pattern.name for e in SIGNED} == set(SALTS)


@pytest.mark.parametrize("endpoint", SIGNED, ids=str)
def test_any_payload_signed_with_the_right_key_is_refused_or_served_never_a_5xx(
    endpoint,
    world,  # noqa: F811
):
    kwargs = PUBLIC_ENDPOINTS[endpoint.pattern.name].kwargs(world)
    salt = SALTS[endpoint.pattern.name]
    client = Client()

    @LINKS
    @given(payloads)
    @example([1, 1, 10**30])  # a check-in period no date can hold
    @example([1, 1, 2**70])
    @example(2**64)
    @example(1.0)
    @example(True)
    @example([2**63, 1, 0])
    def check(payload):
        url = reverse(endpoint.name, kwargs={**kwargs, "token": signing.dumps(payload, salt=salt)})
        with transaction.atomic():
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code < 500, (method.__name__, payload)
            transaction.set_rollback(True)

    check()
