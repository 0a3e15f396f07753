import os
import uuid

import pytest

from tests.mailin import dovecot as dovecot_server
from tests.mailin.messages import ADDRESS
from wagtail_iln.models import PhotoCampaign


@pytest.fixture(scope="session")
def dovecot():
    """Dovecot's IMAP server on 127.0.0.1, for the whole run.

    Skipped when it is not installed (``apt-get install dovecot-imapd``), unless
    ``ILN_REQUIRE_IMAP=1`` (as in CI) makes that a failure.
    """
    if not dovecot_server.available():
        reason = "Dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("ILN_REQUIRE_IMAP") == "1":
            pytest.fail(f"{reason}; ILN_REQUIRE_IMAP=1 requires the IMAP tests to run")
        pytest.skip(reason)
    server = dovecot_server.Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def folder():
    """A mailbox folder of the test's own on the shared server."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def mailbox(dovecot, folder, settings):
    """The app reads ``folder`` of the test server, over STARTTLS."""
    settings.WAGTAIL_ILN = {
        **getattr(settings, "WAGTAIL_ILN", {}),
        "MAIL_IMAP": dovecot.settings(folder),
        "MAIL_SITE_URL": "https://iln.example.org",
    }
    dovecot.deliver(folder)
    return folder


@pytest.fixture
def campaign(db):
    return PhotoCampaign.objects.create(
        name="#favouritefeature",
        hashtags="#favouritefeature",
        moderator_emails=["moderator@example.org"],
        inbound_address=ADDRESS,
    )
