"""A real Celery worker on Redis runs the portal's tasks end to end (needs PostgreSQL and Redis)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from members import services
from members.models import Invitation
from pogi.celery import app as celery_app
from tests.factories import MembershipFactory

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.services


@pytest.fixture
def worker(require_postgres, require_redis, transactional_db, tmp_path, monkeypatch):
    queue = f"pogi-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pogi.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": require_redis,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "C_FORCE_ROOT": "1",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pogi", "worker", "-Q", queue, "--pool", "solo", "-l", "info"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # This test process sends to the worker's queue instead of running tasks in-process.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    monkeypatch.setitem(celery_app.conf, "broker_url", require_redis)
    monkeypatch.setitem(celery_app.conf, "result_backend", require_redis)
    try:
        from members.tasks import ping

        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
        yield {"queue": queue, "mail_dir": mail_dir}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if os.environ.get("REQUIRE_SERVICES") == "1" or process.returncode not in (0, -signal.SIGTERM):
            print((tmp_path / "worker.log").read_text()[-3000:])


def test_invitation_is_emailed_by_the_worker(worker, secretariat_user):
    # given an organisation
    organisation = MembershipFactory().organisation
    # when the secretariat invites a representative (the task is enqueued after commit)
    invitation = services.invitation_create(
        organisation=organisation, email="ny@kommune.example", position="primary", invited_by=secretariat_user
    )
    # then the worker sends the email and records it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at:
            break
        time.sleep(0.2)
    assert invitation.sent_at is not None, "the worker did not send the invitation"
    messages = list(worker["mail_dir"].glob("*.log"))
    assert len(messages) == 1
    text = messages[0].read_text()
    assert "ny@kommune.example" in text
    assert "/members/invitations/" in text


def test_periodic_task_runs_on_the_worker(worker):
    from members.tasks import invitations_expire

    assert invitations_expire.apply_async(queue=worker["queue"]).get(timeout=30) == 0
    assert Invitation.objects.count() == 0
