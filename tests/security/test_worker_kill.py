"""The whole worker killed while it renders the annual report (needs PostgreSQL and Redis).

Killing the worker's process group (the parent and its pool child) leaves
the report "rendering" with nobody working on it, and its message
unacknowledged until the broker's visibility timeout. Once the run is older
than the report task's hard time limit it is lost: the page says so, the
secretariat can generate it again at once, and a new worker completes it.
The beat task ``reports_requeue_lost`` queues a lost run again by itself.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from followup import tasks  # noqa: F401 - imported first, with the task's real limits
from followup.models import Report
from followup.services import reports as report_services
from members.tasks import ping
from tests.followup import conftest as followup_world
from tests.followup.conftest import wait_for

pytestmark = pytest.mark.services

# The follow-up report's world (two closed rounds, four members), in years no other test uses.
goals = followup_world.goals
world = followup_world.world
LIMIT = 5  # seconds: the report task's hard time limit as the portal sees it, small for the test
CELERY = [sys.executable, "-m", "celery", "-A", "pogi", "worker", "-l", "info"]


@pytest.fixture
def report_years():
    return 2047, 2048


def status(report):
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


@pytest.fixture
def killable_worker(celery_workers, tmp_path):
    """A prefork worker (parent and pool child) in a process group of its own, on the test's queue."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pogi.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "C_FORCE_ROOT": "1",
        "REPORT_RENDER_PAUSE_SECONDS": "120",  # rendering waits, so the worker is killed mid-render
    }
    log = open(tmp_path / "killed.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [*CELERY, "-Q", celery_workers["queue"], "--pool", "prefork", "--concurrency", "1", "-n", "killed@%h"],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killpg reaches the parent and its child, not pytest
    )
    try:
        assert ping.apply_async(queue=celery_workers["queue"]).get(timeout=60) == "pong"
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _kill_while_rendering(worker, report):
    assert wait_for(lambda: status(report) == Report.Status.RENDERING), "the worker did not start rendering"
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    # the pool child died with its parent (a zombie left for init to reap counts as dead)
    assert wait_for(lambda: not _alive_in_group(worker.pid), timeout=10), "a worker process survived"


def _alive_in_group(pgid: int) -> list[str]:
    rows = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True, check=True).stdout
    return [row for row in rows.splitlines() if row.split()[0] == str(pgid) and not row.split()[1].startswith("Z")]


def test_a_run_lost_with_its_worker_can_be_generated_again_at_once(
    celery_workers, killable_worker, world, secretariat_user, client, settings
):
    settings.REPORT_TIME_LIMIT = LIMIT
    # given the report being rendered by a worker
    with transaction.atomic():
        report = report_services.report_generate(
            round=world["round"], kind="report", language="en", by=secretariat_user
        )
    # when the whole worker is killed mid-render
    _kill_while_rendering(killable_worker, report)
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING and not report.is_lost
    # then, within the time limit, asking again changes nothing: the run might still finish
    assert (timezone.now() - report.started_at).total_seconds() < LIMIT, "too slow to check within the limit"
    again = report_services.report_generate(round=world["round"], kind="report", language="en", by=secretariat_user)
    assert again.status == Report.Status.RENDERING and again.started_at == report.started_at
    # once the run is older than the task's hard time limit, it is lost
    time.sleep(max(0.0, LIMIT + 0.5 - (timezone.now() - report.started_at).total_seconds()))
    report.refresh_from_db()
    assert report.is_lost
    # and the secretariat's page says so and offers "Generate again"
    client.force_login(secretariat_user)
    with translation.override("en"):
        detail, generate = (
            reverse(f"followup:report-{name}", kwargs={"year": 2048}) for name in ("detail", "generate")
        )
    page = client.get(detail).content.decode()
    assert "The previous attempt was lost" in page
    # when the secretariat generates it again, it is queued at once
    reply = client.post(generate, {"kind": "report", "language": "en"})
    assert reply.status_code == 302
    assert status(report) == Report.Status.QUEUED
    # and a new worker completes it
    celery_workers["start"]("second")
    assert wait_for(lambda: status(report) == Report.Status.DONE, timeout=90), "the new worker did not render it"
    report.refresh_from_db()
    assert report.attempts == 1 and report.file and report.size


def test_a_lost_run_is_queued_again_by_the_beat_task(
    celery_workers, killable_worker, world, secretariat_user, settings
):
    settings.REPORT_TIME_LIMIT = LIMIT
    # given a worker killed while rendering the Danish report
    with transaction.atomic():
        report = report_services.report_generate(
            round=world["round"], kind="report", language="da", by=secretariat_user
        )
    _kill_while_rendering(killable_worker, report)
    # within the limit the beat task leaves it alone (unless a slow machine already took longer)
    report.refresh_from_db()
    if (timezone.now() - report.started_at).total_seconds() < LIMIT - 0.5:
        assert report_services.reports_requeue_lost() == 0
    # when the beat task runs past the limit
    assert wait_for(lambda: Report.objects.get(pk=report.pk).is_lost, timeout=LIMIT + 5)
    assert report_services.reports_requeue_lost() == 1
    # then the report is queued again with the reason, and a new worker completes it
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.error
    celery_workers["start"]("second")
    assert wait_for(lambda: status(report) == Report.Status.DONE, timeout=90), "the new worker did not render it"
    report.refresh_from_db()
    assert report.attempts == 2 and report.error == ""
