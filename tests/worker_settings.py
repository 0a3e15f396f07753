"""Settings of a real task worker run by the fault tests against the test database.

The test passes the test database's name and a folder for the e-mails the
worker sends (``tests.mail_backends.FolderMailServer``) through the environment.
"""

import os

from tests.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["ILN_WORKER_DATABASE_NAME"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.mail_backends.FolderMailServer"
EMAIL_FILE_PATH = os.environ["ILN_WORKER_MAIL_DIR"]
MEDIA_ROOT = os.environ.get("ILN_WORKER_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
# A refused e-mail is tried again at once: the tests wait for no clock.
WAGTAIL_ILN = {"EMAIL_RETRY_DELAY": 0}
