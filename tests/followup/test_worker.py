"""Invitations and reminders sent by real Celery workers on Redis (needs PostgreSQL and Redis).

A reminder is never sent twice to the same person for the same step: not when
the beat task runs again, and not when the worker is stopped and another one
takes over.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from followup import services
from followup.models import ReminderLog
from followup.tasks import reminders_send_due
from pogi.celery import app as celery_app

from .conftest import complete

BASE_DIR = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.services


@pytest.fixture
def workers(require_postgres, require_redis, transactional_db, tmp_path, monkeypatch):
    """Start and stop workers on one private queue; every email they send lands in one directory."""
    queue = f"pogi-followup-test-{uuid.uuid4().hex[:8]}"
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
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    monkeypatch.setitem(celery_app.conf, "broker_url", require_redis)
    monkeypatch.setitem(celery_app.conf, "result_backend", require_redis)
    running = []

    def start(name: str):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pogi",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "-n",
                f"{name}@%h",
                "-l",
                "info",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        running.append((process, log, name))
        from members.tasks import ping

        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
        return process

    def stop(process):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    try:
        yield {"queue": queue, "mail_dir": mail_dir, "start": start, "stop": stop}
    finally:
        for process, log, name in running:
            if process.poll() is None:
                stop(process)
            log.close()
            if os.environ.get("REQUIRE_SERVICES") == "1" or process.returncode not in (0, -signal.SIGTERM):
                print((tmp_path / f"{name}.log").read_text()[-3000:])


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def mails(mail_dir: Path) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.glob("*.log"))] if mail_dir.exists() else []


def test_reminders_are_sent_once_across_runs_and_worker_restarts(
    workers, goals, secretariat_user, org_a, org_b, rep_a, rep_b
):
    first = workers["start"]("first")
    # given a round whose deadline is in three days (a reminder is due today), opened now
    today = timezone.localdate()
    round_ = services.round_create(
        year=today.year,
        opens_on=today,
        deadline=today + datetime.timedelta(days=3),
        reminder_days_before="3",
        reminder_days_after="",
        by=secretariat_user,
    )
    services.round_open(round=round_, by=secretariat_user)
    # the worker sends the invitations (enqueued after commit)
    assert wait_for(lambda: ReminderLog.objects.filter(step="invitation").count() == 2), "no invitations sent"
    # and A submits
    services.response_submit(response=complete(round_.responses.get(organisation=org_a), rep_a, goals), by=rep_a)
    # when the beat task runs on the worker, twice
    assert reminders_send_due.apply_async(queue=workers["queue"]).get(timeout=60) == 1
    assert reminders_send_due.apply_async(queue=workers["queue"]).get(timeout=60) == 0
    # and again on a new worker after the first one stopped
    workers["stop"](first)
    workers["start"]("second")
    assert reminders_send_due.apply_async(queue=workers["queue"]).get(timeout=60) == 0
    # then only B's representative got one reminder
    assert list(ReminderLog.objects.filter(step="before-3").values_list("email", flat=True)) == [rep_b.email]
    assert wait_for(lambda: sum("/followup/responses/" in m for m in mails(workers["mail_dir"])) >= 3)
    reminders = [m for m in mails(workers["mail_dir"]) if "We have not yet received" in m]
    assert len(reminders) == 1
    assert rep_b.email in reminders[0] and rep_a.email not in reminders[0]
