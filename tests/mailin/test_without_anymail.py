"""A site without django-anymail takes photos by e-mail from IMAP, and never imports it."""

import pytest

from tests.helpers import run_without

# A second interpreter that sets up its own test database.
pytestmark = pytest.mark.slow


def test_a_site_without_anymail_handles_mail_without_importing_it():
    run_without("anymail", "tests.settings_without_anymail", "tests/mailin/without_anymail.py")
