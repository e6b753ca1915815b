"""Invitations and reminders sent by real Celery workers on Redis (needs PostgreSQL and Redis).

A reminder is never sent twice to the same person for the same step: not when
the beat task runs again, and not when the worker is stopped and another one
takes over.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from followup import services
from followup.models import ReminderLog
from followup.tasks import reminders_send_due

from .conftest import complete, wait_for

pytestmark = pytest.mark.services


@pytest.fixture
def workers(celery_workers):
    return celery_workers


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
