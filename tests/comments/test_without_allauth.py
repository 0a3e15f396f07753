"""A site without django-allauth keeps the comment form everybody fills in, and never imports it."""

import pytest

from tests.helpers import run_without

# A second interpreter that sets up its own test database.
pytestmark = pytest.mark.slow


def test_a_site_without_allauth_comments_as_before_without_importing_it():
    run_without("allauth", "tests.settings_without_allauth", "tests/comments/without_allauth.py")
