"""The annual report rendered by real Celery workers on Redis (needs PostgreSQL and Redis).

A worker killed while it renders leaves no file behind; the unacknowledged
task goes back to the queue, another worker renders the report, and it is
produced exactly once.
"""

import hashlib
import shutil
import time
from pathlib import Path

import pytest
from django.db import transaction

from followup.models import Report
from followup.services import reports as report_services

from .conftest import wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def report_years():
    # Years of their own, so no other test's report files share the directory.
    return 2045, 2046


def status(report):
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


def test_a_worker_killed_mid_render_leaves_no_file_and_the_report_is_made_once(
    celery_workers, world, secretariat_user, private_media
):
    report_dir = Path(private_media) / "followup" / "reports" / "2046"
    shutil.rmtree(report_dir, ignore_errors=True)
    # given a worker that is slow to render
    first = celery_workers["start"]("first", REPORT_RENDER_PAUSE_SECONDS="120")
    with transaction.atomic():
        report = report_services.report_generate(
            round=world["round"], kind="report", language="da", by=secretariat_user
        )
    assert wait_for(lambda: status(report) == Report.Status.RENDERING), "the worker did not start rendering"
    # when it is killed mid-render
    first.kill()
    first.wait()
    # then no file, whole or half, was written
    assert not report_dir.exists() or not list(report_dir.iterdir())
    # when another worker starts: the unacknowledged task is delivered again once its visibility timeout has passed
    celery_workers["start"](
        "second", CELERY_VISIBILITY_TIMEOUT="3", CELERY_UNACKED_RESTORE_SECONDS="1", CELERY_UNACKED_RESTORE_THROTTLE="1"
    )
    assert wait_for(lambda: status(report) == Report.Status.DONE, timeout=90), "the report was not rendered again"
    # and it has had time to pick up any further copy of the task
    time.sleep(12)
    # then the report was made once, by the second attempt, and stored whole with its hash
    report.refresh_from_db()
    assert report.attempts == 2
    files = sorted(report_dir.iterdir())
    assert [f.name for f in files] == [Path(report.file.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == report.content_hash
    assert files[0].read_bytes().startswith(b"%PDF")
    assert Report.history.filter(id=report.pk, status=Report.Status.DONE).count() == 1
