"""Faults injected while work is in flight: nothing is lost, nothing is published wrongly.

Each failure of docs/faults.md has its test here: the mail server refusing,
the database connection dropping during an approval, the media storage
failing while an approved photo is copied, the task worker stopped or killed
and started again, two web processes sharing one rate-limit bucket.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connection
from django.db.models.signals import post_save
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from tests import mail_backends
from tests.factories import PhotoCampaignFactory, PhotoSubmissionFactory
from tests.helpers import held_comment, pending_photo, run_task_worker
from tests.helpers import photo_form_data as form_data
from wagtail_iln.comments import moderation as comment_moderation
from wagtail_iln.comments.models import Comment
from wagtail_iln.models import ImageCredit, PhotoSubmission
from wagtail_iln.photos import moderation

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REFUSING = "tests.mail_backends.RefusingMailServer"
Image = get_image_model()

worker_process = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process needs a database it shares with the test; "
    "the SQLite test database lives in the test's memory (run with DATABASE_URL=postgres://…)",
)
session_kill = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="killing a database session from another connection needs PostgreSQL's "
    "pg_terminate_backend (run with DATABASE_URL=postgres://…)",
)


# Helpers


def let_retries_fall_due():
    """The clock moves past every waiting retry."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def tasks(status):
    """The app's e-mail tasks in ``status`` (Wagtail queues tasks of its own too)."""
    return list(
        DBTaskResult.objects.filter(status=status, task_path__endswith="_email").order_by(
            "enqueued_at"
        )
    )


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def moderator_client(django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "moderate_photosubmission"],
            content_type__app_label__in=["wagtailadmin", "wagtail_iln"],
        )
    )
    client = Client()
    client.force_login(user)
    return client


def admin_url(name, submission):
    return reverse(f"wagtail_iln_photos:{name}", args=[submission.pk])


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]]


def files_under(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


@pytest.fixture
def refusing(monkeypatch):
    """The mail server refuses the next ``n`` messages, then delivers to ``mail.outbox``."""

    def refuse(n):
        monkeypatch.setattr(mail_backends.RefusingMailServer, "refusals", n)

    with override_settings(EMAIL_BACKEND=REFUSING, TASKS=DATABASE_TASKS):
        yield refuse


@pytest.fixture
def campaign(db):
    return PhotoCampaignFactory(name="#favouritefeature", moderator_emails=["mod@example.org"])


@pytest.fixture
def page_with_form(index_page, campaign):
    from tests.factories import DiscussionTopicPageFactory

    return DiscussionTopicPageFactory(
        parent=index_page,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"})],
    )


# The mail server refuses


def test_a_refused_email_keeps_the_submission_and_the_worker_sends_it_once_later(
    client, page_with_form, refusing, django_capture_on_commit_callbacks
):
    refusing(3)
    action, data = form_data(page_with_form, client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)

    # The visitor is thanked and the photo waits for moderation; the e-mails wait for the worker.
    assert response.status_code == 302
    submission = PhotoSubmission.objects.get()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert len(tasks("READY")) == 2
    assert mail.outbox == []

    # The worker's first try: both refused, both queued again a minute later.
    run_task_worker()
    assert mail.outbox == []
    assert len(tasks("FAILED")) == 2
    waiting = tasks("READY")
    assert [task.args_kwargs["kwargs"] for task in waiting] == [{"email_attempt": 1}] * 2
    for task in waiting:
        assert 55 <= (task.run_after - task.enqueued_at).total_seconds() <= 60
    # Nothing runs before its time.
    run_task_worker()
    assert mail.outbox == [] and len(tasks("READY")) == 2

    # A minute later: one more refusal, waiting twice as long; the other is delivered.
    let_retries_fall_due()
    run_task_worker()
    assert len(mail.outbox) == 1
    (waiting,) = tasks("READY")
    assert waiting.args_kwargs["kwargs"] == {"email_attempt": 2}
    assert 115 <= (waiting.run_after - waiting.enqueued_at).total_seconds() <= 120

    let_retries_fall_due()
    run_task_worker()
    let_retries_fall_due()
    run_task_worker()
    # Each e-mail arrived exactly once, and the photo is still only pending.
    assert recipients(mail.outbox) == ["ana@example.org", "mod@example.org"]
    assert tasks("READY") == []
    assert len(tasks("SUCCESSFUL")) == 2
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert "The reading room window" not in client.get(page_with_form.url).content.decode()


def test_an_approval_stands_when_the_mail_server_refuses_and_the_email_follows(
    campaign, django_user_model, refusing, django_capture_on_commit_callbacks
):
    submission = PhotoSubmissionFactory(campaign=campaign)
    refusing(1)
    client = moderator_client(django_user_model)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("approve", submission), follow=True)

    assert any("approved" in message for message in messages_of(response))
    run_task_worker()
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED
    assert Image.objects.count() == ImageCredit.objects.count() == 1
    assert mail.outbox == []

    let_retries_fall_due()
    run_task_worker()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@example.org"], f"Your photo “{submission.title}” is now shown")
    ]
    let_retries_fall_due()
    run_task_worker()
    assert len(mail.outbox) == 1


@override_settings(WAGTAIL_ILN={"EMAIL_RETRIES": 2})
def test_after_the_last_retry_the_failure_stays_in_the_task_results(
    campaign, admin_user, refusing, django_capture_on_commit_callbacks
):
    campaign.moderator_emails = []
    campaign.save()
    submission = PhotoSubmissionFactory(campaign=campaign)
    refusing(100)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(submission, admin_user) is True
    for _ in range(5):
        run_task_worker()
        let_retries_fall_due()

    # One try and two retries, each recorded with its error; then no more.
    failed = tasks("FAILED")
    assert [task.args_kwargs["kwargs"].get("email_attempt", 0) for task in failed] == [0, 1, 2]
    assert {task.exception_class_path for task in failed} <= {
        "smtplib.SMTPServerDisconnected",
        "builtins.ConnectionRefusedError",
    }
    assert "Connection refused" in failed[1].traceback or "closed" in failed[1].traceback
    assert tasks("READY") == []
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED


def test_stored_tasks_carry_no_email_address_and_still_reach_it(
    client, page_with_form, topic_page, admin_user, django_capture_on_commit_callbacks
):
    """A worker backend keeps task arguments in the database; addresses stay out of them."""
    comment = held_comment(topic_page, language="fr", body="Bonjour d'Oslo !")
    with (
        override_settings(TASKS=DATABASE_TASKS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        action, data = form_data(page_with_form, client)
        assert client.post(action, data).status_code == 302
        assert client.post(reverse("wagtail_iln:my_data_request"), {"email": "ana@example.org"})
        comment_moderation.subscribe(comment, "mia@example.org")
        assert comment_moderation.approve(comment, admin_user) is True

    stored = json.dumps([task.args_kwargs for task in DBTaskResult.objects.all()])
    # Five e-mails, the page's rendering, and the topics' after the form's page met a cold cache.
    assert DBTaskResult.objects.count() == 7
    assert "@example.org" not in stored
    assert "/iln/my-data/" not in stored  # the link opens ana's data

    with override_settings(TASKS=DATABASE_TASKS):
        run_task_worker()
    assert recipients(mail.outbox) == [
        "ana@example.org",
        "ana@example.org",
        "mia@example.org",
        "mia@example.org",
        "mod@example.org",
    ]
    link = next(m for m in mail.outbox if "/iln/my-data/" in m.body)
    assert link.to == ["ana@example.org"]
    comment.refresh_from_db()
    assert comment.email == ""


def test_with_the_immediate_backend_a_refused_email_never_reaches_the_request(
    client,
    page_with_form,
    topic_page,
    admin_user,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    """No worker to retry: the refusal is logged, and what the request stored stays stored."""
    monkeypatch.setattr(mail_backends.RefusingMailServer, "refusals", 100)
    comment = held_comment(topic_page, language="en", body="Hello from Oslo!")
    with (
        override_settings(EMAIL_BACKEND=REFUSING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        action, data = form_data(page_with_form, client)
        assert client.post(action, data).status_code == 302
        answer = client.post(reverse("wagtail_iln:my_data_request"), {"email": "ana@example.org"})
        assert comment_moderation.approve(comment, admin_user) is True

    assert answer.status_code == 200
    assert PhotoSubmission.objects.get().status == PhotoSubmission.Status.PENDING
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert mail.outbox == []
    assert caplog.text.count("failed and cannot be retried") == 4


class UnreachableQueue(BaseTaskBackend):
    """A task backend whose queue cannot be reached, as a worker's database that is down."""

    def enqueue(self, task, args, kwargs):
        raise OperationalError("the task queue cannot be reached")


@override_settings(TASKS={"default": {"BACKEND": "tests.test_faults.UnreachableQueue"}})
def test_a_task_queue_that_cannot_be_reached_is_logged_and_the_approval_stands(
    topic_page, admin_user, caplog, django_capture_on_commit_callbacks
):
    comment = held_comment(topic_page, language="en", body="Hello from Oslo!")
    with django_capture_on_commit_callbacks(execute=True):
        assert comment_moderation.approve(comment, admin_user) is True
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    logged = [r for r in caplog.records if "the task queue cannot be reached" in r.getMessage()]
    assert len(logged) == 2  # the author's e-mail, the page's rendering


class QueueRefusingOurTasks(ImmediateBackend):
    """Runs Wagtail's own tasks (its search index, queued as an image is saved), refuses ours."""

    def enqueue(self, task, args, kwargs):
        if task.func.__module__.startswith("wagtail_iln"):
            raise OperationalError("the task queue cannot be reached")
        return super().enqueue(task, args, kwargs)


@override_settings(TASKS={"default": {"BACKEND": "tests.test_faults.QueueRefusingOurTasks"}})
def test_a_photo_approved_while_the_task_queue_is_down_stays_approved(
    admin_user, caplog, django_capture_on_commit_callbacks
):
    submission = pending_photo(PhotoCampaignFactory())
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.approve(submission, admin_user) is True
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED
    logged = [r for r in caplog.records if "the task queue cannot be reached" in r.getMessage()]
    assert len(logged) == 2  # the renditions, the author's e-mail


# The database connection drops during an approval


def drop_connection_when_the_image_is_saved():
    """Kill this process's own database session from a second connection, mid-approval."""
    import psycopg

    params = connection.get_connection_params()
    pid = connection.connection.info.backend_pid

    def kill(sender, **kwargs):
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    return kill


def fail_when_the_image_is_saved():
    def fail(sender, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    return fail


@pytest.mark.parametrize(
    "drop",
    [
        pytest.param(drop_connection_when_the_image_is_saved, marks=session_kill, id="killed"),
        pytest.param(fail_when_the_image_is_saved, id="refused"),
    ],
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dropped_database_connection_leaves_the_photo_pending_and_approving_again_works(
    drop, campaign, django_user_model, media_root
):
    submission = PhotoSubmissionFactory(campaign=campaign)
    client = moderator_client(django_user_model)
    client.get(admin_url("inspect", submission))  # the connection of this test is open
    handler = drop()
    post_save.connect(handler, sender=Image, weak=False)
    try:
        response = client.post(admin_url("approve", submission), follow=True)
    finally:
        post_save.disconnect(handler, sender=Image)

    assert "The photo could not be approved; it is still pending. Please try again." in (
        messages_of(response)
    )
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.image is None
    assert "could not be copied" in submission.moderation_error
    assert "connection" in submission.moderation_error
    assert submission.file.storage.exists(submission.file.name)
    assert Image.objects.count() == ImageCredit.objects.count() == 0
    assert files_under(media_root) == []  # no half-made image file either
    assert mail.outbox == []

    response = client.post(admin_url("approve", submission), follow=True)
    assert any("approved" in message for message in messages_of(response))
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED
    assert submission.moderation_error == ""
    assert Image.objects.count() == ImageCredit.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert client.post(admin_url("approve", submission)).status_code == 302
    assert Image.objects.count() == 1 and len(mail.outbox) == 1


# The media storage fails while an approved photo is copied


def test_a_storage_failure_shows_the_moderator_why_and_approving_again_works(
    campaign, django_user_model, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    submission = PhotoSubmissionFactory(campaign=campaign)
    client = moderator_client(django_user_model)
    real_save = FileSystemStorage._save

    def unavailable(self, name, content):
        raise OSError("the media storage is unavailable")

    monkeypatch.setattr(FileSystemStorage, "_save", unavailable)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("approve", submission), follow=True)
    monkeypatch.setattr(FileSystemStorage, "_save", real_save)

    assert "The photo could not be approved; it is still pending. Please try again." in (
        messages_of(response)
    )
    page = BeautifulSoup(client.get(admin_url("inspect", submission)).content, "html.parser")
    error = page.select_one("[data-iln-moderation-error]").get_text()
    assert "could not be copied to the image library" in error
    assert "media storage is unavailable" in error
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.file.storage.exists(submission.file.name)
    assert Image.objects.count() == ImageCredit.objects.count() == 0
    assert files_under(media_root) == []
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(admin_url("approve", submission))
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED
    assert submission.moderation_error == ""
    (image,) = Image.objects.all()
    assert (image.width, image.height) == (640, 480)
    assert image.file.storage.exists(image.file.name)
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


# The worker is stopped, or killed, and started again


class WorkerProcess:
    """``manage.py db_worker`` in its own process, on the test database.

    It sends with ``tests.mail_backends.FolderMailServer`` into ``folder``; its output
    goes to ``folder/worker-<n>.log``.
    """

    started = 0

    def __init__(self, folder, *options):
        WorkerProcess.started += 1
        self.folder = folder
        self.log = folder / f"worker-{WorkerProcess.started}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "ILN_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
            "ILN_WORKER_MAIL_DIR": str(folder),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "django", "db_worker", "--no-reload"]
        command += ["--no-startup-delay", "--interval", "0.1", *options]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def output(self):
        return self.log.read_text()

    def wait_for(self, condition, what, seconds=120):
        deadline = time.monotonic() + seconds
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the worker never got to {what}:\n{self.output()}")
            time.sleep(0.05)

    def finish(self, seconds=120):
        try:
            return self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"the worker did not stop:\n{self.output()}")


@pytest.fixture
def queued_approvals(campaign):
    """Three photos approved with the database backend: three e-mails wait for a worker."""
    campaign.moderator_emails = []
    campaign.save()
    moderator = get_user_model().objects.create_user("mo", "mo@example.org", "pw")
    with override_settings(TASKS=DATABASE_TASKS):
        for name in ["ana", "bo", "chen"]:
            submission = PhotoSubmissionFactory(campaign=campaign, email=f"{name}@example.org")
            assert moderation.approve(submission, moderator) is True
    assert len(tasks("READY")) == 3
    return ["ana@example.org", "bo@example.org", "chen@example.org"]


def delivered(folder):
    return sorted(address for message in mail_backends.sent(folder) for address in message["to"])


@worker_process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_stopped_mid_task_and_started_again_sends_each_email_once(
    queued_approvals, tmp_path
):
    (tmp_path / "hold-after").write_text("2")
    worker = WorkerProcess(tmp_path)
    worker.wait_for((tmp_path / "holding").exists, "the second e-mail")

    # Stopped (SIGTERM, as a deployment does) while it sends the second e-mail:
    # it finishes that task, takes no other, and exits.
    worker.process.send_signal(signal.SIGTERM)
    worker.wait_for(lambda: "shutting down gracefully" in worker.output(), "the signal")
    (tmp_path / "release").touch()
    assert worker.finish() == 0
    assert len(delivered(tmp_path)) == 2
    assert len(tasks("SUCCESSFUL")) == 2 and len(tasks("READY")) == 1

    # Started again: the e-mail still queued goes, the two sent do not go again.
    (tmp_path / "hold-after").unlink()
    assert WorkerProcess(tmp_path, "--batch").finish() == 0
    assert WorkerProcess(tmp_path, "--batch").finish() == 0
    assert delivered(tmp_path) == queued_approvals
    assert len(tasks("SUCCESSFUL")) == 3


@worker_process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_sending_does_not_send_that_email_again(queued_approvals, tmp_path):
    (tmp_path / "hold-after").write_text("1")
    worker = WorkerProcess(tmp_path)
    worker.wait_for((tmp_path / "holding").exists, "the first e-mail")
    worker.process.kill()  # SIGKILL: no chance to record that the e-mail went
    worker.finish()
    assert len(delivered(tmp_path)) == 1
    (in_flight,) = tasks("RUNNING")

    (tmp_path / "hold-after").unlink()
    assert WorkerProcess(tmp_path, "--batch").finish() == 0
    assert delivered(tmp_path) == queued_approvals
    # The task that was running when the worker died stays visible as running, not re-run.
    assert [task.pk for task in tasks("RUNNING")] == [in_flight.pk]
    assert len(tasks("SUCCESSFUL")) == 2

    # Queuing it again by hand, as docs/faults.md shows, sends it again: the operator's call.
    with override_settings(TASKS=DATABASE_TASKS):
        for result in DBTaskResult.objects.running():
            result.task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            result.set_failed(RuntimeError("the worker died; queued again by hand"))
    assert WorkerProcess(tmp_path, "--batch").finish() == 0
    assert tasks("RUNNING") == []
    assert len(delivered(tmp_path)) == 4


@worker_process
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_retries_refused_emails_and_sends_each_once(queued_approvals, tmp_path):
    (tmp_path / "refuse").write_text("4")
    # tests.worker_settings retries at once (EMAIL_RETRY_DELAY 0), so one batch run does it all.
    worker = WorkerProcess(tmp_path, "--batch")
    assert worker.finish() == 0, worker.output()
    assert delivered(tmp_path) == queued_approvals
    assert len(tasks("FAILED")) == 4
    assert len(tasks("SUCCESSFUL")) == 3
    assert tasks("READY") == []
    assert "retrying" in worker.output()


# Two web processes share one rate-limit bucket


REDIS_URL = os.environ.get("ILN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set ILN_TEST_REDIS_URL)")
    return client


def test_two_processes_sharing_a_redis_bucket_let_exactly_the_limit_through(tmp_path):
    client = redis_client()
    prefix = f"iln-faults-{uuid.uuid4().hex}"
    limit, attempts = 25, 40
    command = [sys.executable, "-m", "tests.ratelimit_process", REDIS_URL, prefix]
    processes = [
        subprocess.Popen(
            [*command, str(limit), str(attempts), str(tmp_path), name],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ["web1", "web2"]
    ]
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("ready-*"))) < 2:
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            assert time.monotonic() < deadline, "the web processes did not start"
            time.sleep(0.01)
        (tmp_path / "go").touch()
        results = [p.communicate(timeout=120) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)

    assert [p.returncode for p in processes] == [0, 0], results
    passed = [int(out) for out, _ in results]
    assert sum(passed) == limit, passed
