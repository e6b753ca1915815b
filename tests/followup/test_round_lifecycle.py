"""Opening, closing and reopening a round: a confirmation page each, reasons kept, no reminders once closed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import ReminderLog, Response, Round
from members.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def round_url(name, round_):
    return reverse(f"followup:{name}", kwargs={"year": round_.year})


def messages_of(reply):
    return [str(m) for m in get_messages(reply.wsgi_request)]


def with_deadline(round_, days_from_today):
    """The round's deadline moved relative to today (the fixture's lies in the past)."""
    Round.objects.filter(pk=round_.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=days_from_today))
    round_.refresh_from_db()
    return round_


@pytest.fixture
def draft_round(goals, secretariat_user, org_a, org_b, rep_a, rep_b):
    return services.round_create(
        year=2027, opens_on=datetime.date(2027, 2, 1), deadline=datetime.date(2027, 4, 1), by=secretariat_user
    )


@pytest.fixture
def closed_round(open_round, secretariat_user):
    return services.round_close(round=open_round, by=secretariat_user)


# --- opening ---------------------------------------------------------------------------------------------


def test_opening_asks_for_confirmation_and_says_how_many_members_are_invited(
    secretariat_client, draft_round, django_capture_on_commit_callbacks
):
    members = Membership.objects.filter(status=Membership.Status.ACTIVE).count()
    assert members >= 2
    # when the secretariat follows "Open the round"
    page = secretariat_client.get(round_url("round-open", draft_round)).content.decode()
    # then a page says how many are invited, and nothing has happened yet
    assert f"This sends an invitation to {members} members" in page
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.DRAFT and not mail.outbox
    # when the form is posted without the box ticked
    reply = secretariat_client.post(round_url("round-open", draft_round), {})
    # then nothing changes and the page says why
    assert reply.status_code == 200
    assert "Nothing has been changed: tick the box to confirm." in reply.content.decode()
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.DRAFT and not draft_round.responses.exists()
    # when it is confirmed
    with django_capture_on_commit_callbacks(execute=True):
        reply = secretariat_client.post(round_url("round-open", draft_round), {"confirm": "on"})
    # then the round is open and the members are invited
    assert reply.status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.OPEN and draft_round.responses.count() == members
    assert mail.outbox


def test_the_overview_links_to_the_confirmation_pages_not_to_a_one_click_post(secretariat_client, draft_round):
    page = secretariat_client.get(round_url("round-detail", draft_round)).content.decode()
    assert f'href="{round_url("round-open", draft_round)}"' in page
    assert f'action="{round_url("round-open", draft_round)}"' not in page


# --- closing ---------------------------------------------------------------------------------------------


def test_closing_before_the_deadline_asks_for_confirmation_and_a_reason(
    secretariat_client, open_round, response_a, rep_a, goals
):
    # given an open round whose deadline is in ten days, with A's response started and B's not
    with_deadline(open_round, 10)
    services.response_goal_save(
        response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data={"status": "meets"}
    )
    # when the secretariat follows "Close the round"
    page = secretariat_client.get(round_url("round-close", open_round)).content.decode()
    # then the page says whom it concerns and that a reason is needed
    assert "2 members have not submitted; they can no longer answer." in page
    assert "Why is the round closed before its deadline?" in page
    # when confirmed without a reason
    reply = secretariat_client.post(round_url("round-close", open_round), {"confirm": "on", "reason": " "})
    # then nothing changes
    assert reply.status_code == 200
    assert "Give the reason for closing the round before it" in reply.content.decode()
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN
    # when a reason is given but the box is not ticked
    reply = secretariat_client.post(round_url("round-close", open_round), {"reason": "Rapporten skal bruges nu."})
    assert "Nothing has been changed: tick the box to confirm." in reply.content.decode()
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN
    # when both are given
    reply = secretariat_client.post(
        round_url("round-close", open_round), {"confirm": "on", "reason": "Rapporten skal bruges nu."}
    )
    # then the round is closed, and the reason is kept and shown with the round's history
    assert reply.status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.CLOSED and open_round.close_reason == "Rapporten skal bruges nu."
    assert open_round.closed_at is not None and open_round.closed_early
    page = secretariat_client.get(round_url("round-detail", open_round)).content.decode()
    assert "Closed before the deadline. Reason: Rapporten skal bruges nu." in page
    assert open_round.history.first().close_reason == "Rapporten skal bruges nu."


def test_closing_after_the_deadline_needs_no_reason_but_a_confirmation(secretariat_client, open_round):
    page = secretariat_client.get(round_url("round-close", open_round)).content.decode()
    assert "2 members have not submitted; they can no longer answer." in page
    assert "Why is the round closed before its deadline?" not in page
    reply = secretariat_client.post(round_url("round-close", open_round), {"confirm": "on"})
    assert reply.status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.CLOSED and open_round.close_reason == ""
    assert not open_round.closed_early


def test_the_service_refuses_an_early_close_without_a_reason(open_round, secretariat_user):
    with_deadline(open_round, 3)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.round_close(round=open_round, by=secretariat_user)
    closed = services.round_close(round=open_round, by=secretariat_user, reason="Sekretariatet lukker tidligt.")
    assert closed.close_reason == "Sekretariatet lukker tidligt." and closed.closed_by == secretariat_user


# --- no reminders once closed ------------------------------------------------------------------------


def test_a_closed_round_sends_no_scheduled_reminders(closed_round, response_a):
    # given the round closed with A's response reopened in it (it can still be completed)
    Response.objects.filter(pk=response_a.pk).update(status=Response.Status.REOPENED)
    # when the reminders run on a day a reminder would have been due
    sent = services.reminders_send_due(today=closed_round.deadline + datetime.timedelta(days=7))
    # then none go
    assert sent == 0 and not ReminderLog.objects.exclude(step="invitation").exists()


def test_remind_now_is_refused_and_not_offered_in_a_closed_round(secretariat_client, closed_round, response_a):
    with pytest.raises(ValidationError, match="closed"):
        services.reminder_send_one(response=response_a, by=None)
    page = secretariat_client.get(round_url("round-detail", closed_round)).content.decode()
    assert reverse("followup:response-remind", kwargs={"pk": response_a.pk}) not in page
    outbox = len(mail.outbox)
    reply = secretariat_client.post(reverse("followup:response-remind", kwargs={"pk": response_a.pk}))
    assert reply.status_code == 302
    assert "The round is closed; no reminders are sent." in messages_of(reply)
    assert len(mail.outbox) == outbox


def test_an_open_round_still_offers_remind_now(secretariat_client, open_round, response_a):
    page = secretariat_client.get(round_url("round-detail", open_round)).content.decode()
    assert reverse("followup:response-remind", kwargs={"pk": response_a.pk}) in page


def test_invitations_queued_before_a_close_are_not_sent(closed_round):
    ReminderLog.objects.all().delete()
    assert services.round_invitations_send(round=closed_round) == 0


# --- reopening ---------------------------------------------------------------------------------------


def test_reopening_asks_for_confirmation_a_reason_and_a_future_deadline(secretariat_client, closed_round):
    new_deadline = timezone.localdate() + datetime.timedelta(days=14)
    page = secretariat_client.get(round_url("round-reopen", closed_round)).content.decode()
    assert "2 members have not submitted; they can answer again until the new deadline" in page
    # without confirmation: nothing changes
    reply = secretariat_client.post(
        round_url("round-reopen", closed_round), {"reason": "Flere svar ønskes.", "deadline": new_deadline.isoformat()}
    )
    assert reply.status_code == 200
    assert "Nothing has been changed: tick the box to confirm." in reply.content.decode()
    closed_round.refresh_from_db()
    assert closed_round.status == Round.Status.CLOSED
    # a deadline in the past: refused on its field
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    reply = secretariat_client.post(
        round_url("round-reopen", closed_round), {"reason": "Flere svar.", "deadline": past, "confirm": "on"}
    )
    assert reply.status_code == 200 and "The new deadline must be in the future." in reply.content.decode()
    closed_round.refresh_from_db()
    assert closed_round.status == Round.Status.CLOSED
    # confirmed, with a reason and a new deadline
    reply = secretariat_client.post(
        round_url("round-reopen", closed_round),
        {"reason": "Flere svar ønskes.", "deadline": new_deadline.isoformat(), "confirm": "on"},
    )
    assert reply.status_code == 302
    closed_round.refresh_from_db()
    assert closed_round.status == Round.Status.OPEN and closed_round.deadline == new_deadline
    assert closed_round.reopen_reason == "Flere svar ønskes." and closed_round.reopened_at is not None
    page = secretariat_client.get(round_url("round-detail", closed_round)).content.decode()
    assert "Reason: Flere svar ønskes." in page


def test_the_reopening_is_audited_and_members_can_answer_and_be_reminded_again(
    closed_round, response_a, secretariat_user
):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    services.round_reopen(round=closed_round, by=secretariat_user, reason="Forlænget.", deadline=deadline)
    record = closed_round.history.first()
    assert record.history_user == secretariat_user and record.status == "open" and record.reopen_reason == "Forlænget."
    assert closed_round.history.filter(status="closed").exists()  # the earlier closing stays in the history
    response_a.refresh_from_db()
    assert response_a.is_editable
    assert services.reminders_send_due(today=deadline - datetime.timedelta(days=3)) > 0


@pytest.mark.parametrize("status", ["draft", "open"])
def test_only_a_closed_round_can_be_reopened(status, goals, secretariat_user, secretariat_client):
    round_ = services.round_create(
        year=2030, opens_on=datetime.date(2030, 2, 1), deadline=datetime.date(2030, 4, 1), by=secretariat_user
    )
    Round.objects.filter(pk=round_.pk).update(status=status)
    with pytest.raises(ValidationError, match="Only a closed round can be reopened"):
        services.round_reopen(
            round=round_, by=secretariat_user, reason="x", deadline=timezone.localdate() + datetime.timedelta(days=5)
        )
    reply = secretariat_client.get(round_url("round-reopen", round_))
    assert reply.status_code == 302 and "Only a closed round can be reopened." in messages_of(reply)
    assert Round.objects.get(pk=round_.pk).status == status


def test_reopening_needs_a_reason_and_no_other_open_round(closed_round, goals, secretariat_user):
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="reason"):
        services.round_reopen(round=closed_round, by=secretariat_user, reason="  ", deadline=deadline)
    other = services.round_create(
        year=2031, opens_on=datetime.date(2031, 2, 1), deadline=datetime.date(2031, 4, 1), by=secretariat_user
    )
    services.round_open(round=other, by=secretariat_user)
    with pytest.raises(ValidationError, match="Another round is open"):
        services.round_reopen(round=closed_round, by=secretariat_user, reason="Forlænget.", deadline=deadline)
    assert Round.objects.get(pk=closed_round.pk).status == Round.Status.CLOSED


# --- extending the deadline --------------------------------------------------------------------------


def test_an_open_rounds_deadline_can_be_extended_and_is_audited(open_round, secretariat_user):
    later = timezone.localdate() + datetime.timedelta(days=20)
    services.round_update(round=open_round, by=secretariat_user, deadline=later)
    open_round.refresh_from_db()
    assert open_round.deadline == later
    record = open_round.history.first()
    assert record.history_user == secretariat_user and record.deadline == later


def test_an_open_rounds_deadline_cannot_be_moved_into_the_past(secretariat_client, open_round, secretariat_user):
    with_deadline(open_round, 5)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="past"):
        services.round_update(round=open_round, by=secretariat_user, deadline=yesterday)
    reply = secretariat_client.post(
        round_url("round-edit", open_round),
        {"deadline": yesterday.isoformat(), "intro": "", "reminder_days_before": "3", "reminder_days_after": ""},
    )
    assert reply.status_code == 200 and "cannot be moved into the past" in reply.content.decode()
    open_round.refresh_from_db()
    assert open_round.deadline == timezone.localdate() + datetime.timedelta(days=5)


def test_a_closed_round_cannot_be_changed_only_reopened(closed_round, secretariat_user):
    with pytest.raises(ValidationError, match="closed round cannot be changed"):
        services.round_update(
            round=closed_round, by=secretariat_user, deadline=timezone.localdate() + datetime.timedelta(days=5)
        )
