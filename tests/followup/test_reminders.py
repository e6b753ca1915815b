"""Reminders: the round's schedule, only to members that have not submitted, never twice to a person for a step."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from followup import services
from followup.models import ReminderLog

from .conftest import complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


DEADLINE = datetime.date(2026, 4, 1)  # the open round's deadline; schedule 14,3 days before and 7 after


def reminders():
    return sorted((log.step, log.email) for log in ReminderLog.objects.exclude(step="invitation"))


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (DEADLINE - datetime.timedelta(days=15), None),
        (DEADLINE - datetime.timedelta(days=14), "before-14"),
        (DEADLINE - datetime.timedelta(days=4), "before-14"),
        (DEADLINE - datetime.timedelta(days=3), "before-3"),
        (DEADLINE, "before-3"),
        (DEADLINE + datetime.timedelta(days=7), "after-7"),
        (DEADLINE + datetime.timedelta(days=70), "after-7"),
    ],
)
def test_the_step_due_is_the_latest_of_the_schedule(open_round, today, step):
    assert services.reminder_step_due(round=open_round, today=today) == step


def test_no_step_before_the_round_was_opened(open_round):
    # the round was opened today (in the real calendar): a step dated before today is not due
    open_round.opened_at = datetime.datetime(2026, 3, 30, 12, tzinfo=datetime.UTC)
    assert services.reminder_step_due(round=open_round, today=DEADLINE - datetime.timedelta(days=1)) is None


def test_reminders_go_only_to_members_that_have_not_submitted_and_only_once(
    open_round, response_a, rep_a, deputy_a, rep_b, goals
):
    # given A has submitted and B has not
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    mail.outbox.clear()
    day = DEADLINE - datetime.timedelta(days=3)
    # when the beat task runs, and runs again the same day and the next
    assert services.reminders_send_due(today=day) == 1
    assert services.reminders_send_due(today=day) == 0
    assert services.reminders_send_due(today=day + datetime.timedelta(days=1)) == 0
    # then only B's representative got the reminder, once
    assert [m.to for m in mail.outbox] == [[rep_b.email]]
    assert "Reminder" in mail.outbox[0].subject or "Påmindelse" in mail.outbox[0].subject
    assert reminders() == [("before-3", rep_b.email)]
    # and the next step is sent when it is due
    assert services.reminders_send_due(today=DEADLINE + datetime.timedelta(days=7)) == 1
    assert reminders() == [("after-7", rep_b.email), ("before-3", rep_b.email)]


def test_a_closed_round_sends_no_reminders(open_round, secretariat_user):
    services.round_close(round=open_round, by=secretariat_user)
    assert services.reminders_send_due(today=DEADLINE) == 0
    assert reminders() == []


def test_a_claimed_step_is_not_sent_again_even_if_the_first_sender_stopped_after_claiming(
    open_round, response_b, rep_b
):
    # given a worker that wrote the log row and stopped (the row is written before the email)
    ReminderLog.objects.create(round=open_round, response=response_b, user=rep_b, step="before-3", email=rep_b.email)
    mail.outbox.clear()
    # when another worker runs the task
    services.reminders_send_due(today=DEADLINE)
    # then B's representative is not reminded a second time for that step
    assert rep_b.email not in [m.to[0] for m in mail.outbox]


def test_remind_now_sends_to_one_member_once_a_day(
    open_round, response_a, response_b, rep_a, rep_b, secretariat_user, goals
):
    mail.outbox.clear()
    assert services.reminder_send_one(response=response_b, by=secretariat_user, today=DEADLINE) == 1
    assert [m.to for m in mail.outbox] == [[rep_b.email]]
    with pytest.raises(ValidationError, match="already been reminded today"):
        services.reminder_send_one(response=response_b, by=secretariat_user, today=DEADLINE)
    assert (
        services.reminder_send_one(
            response=response_b, by=secretariat_user, today=DEADLINE + datetime.timedelta(days=1)
        )
        == 1
    )
    log = ReminderLog.objects.filter(step__startswith="manual").first()
    assert log.sent_by == secretariat_user
    # a member that has submitted is not reminded
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    with pytest.raises(ValidationError, match="already submitted"):
        services.reminder_send_one(response=response_a, by=secretariat_user, today=DEADLINE)
