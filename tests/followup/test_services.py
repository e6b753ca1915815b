"""Rounds and responses: opening, saving drafts, conflicts, submitting, reopening, history."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from followup import services
from followup.models import GoalAnswer, ReminderLog, Response, Round
from members.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, goal_in_force

from .conftest import CRITERIA, GOAL, ORGANISATION, complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_round_asks_by_default_about_every_goal_in_force_on_its_opening_date(goals, secretariat_user):
    # when a round is created without choosing goals
    round_ = services.round_create(
        year=2026, opens_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 4, 1), by=secretariat_user
    )
    # then it asks about both goals in force
    assert set(round_.goal_versions.all()) == set(goals)
    # and a second round for the same year is refused
    with pytest.raises(ValidationError, match="already"):
        services.round_create(
            year=2026, opens_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 4, 1), by=secretariat_user
        )


def test_a_round_needs_its_deadline_after_its_opening_and_a_valid_schedule(goals, secretariat_user):
    with pytest.raises(ValidationError) as caught:
        services.round_create(
            year=2027, opens_on=datetime.date(2027, 4, 1), deadline=datetime.date(2027, 2, 1), by=secretariat_user
        )
    assert "deadline" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.round_create(
            year=2027,
            opens_on=datetime.date(2027, 2, 1),
            deadline=datetime.date(2027, 4, 1),
            reminder_days_before="fjorten",
            by=secretariat_user,
        )
    assert "reminder_days_before" in caught.value.message_dict
    assert not Round.objects.filter(year=2027).exists()


def test_opening_invites_primary_and_deputy_of_every_active_member_including_those_in_transition(
    goals, secretariat_user, org_a, rep_a, deputy_a, django_capture_on_commit_callbacks
):
    # given a member in transition with a primary representative, a specialist, and an applicant
    newcomer = MembershipFactory(
        organisation=OrganisationFactory(name="Nyby Kommune"),
        joined_on=datetime.date.today(),
        transition_until=datetime.date.today() + datetime.timedelta(days=300),
    ).organisation
    newcomer_rep = RepresentativeFactory(organisation=newcomer, position="primary").user
    RepresentativeFactory(organisation=org_a, position="specialist")
    MembershipFactory(status=Membership.Status.APPLIED, joined_on=None)
    round_ = services.round_create(
        year=2026, opens_on=datetime.date(2026, 2, 1), deadline=datetime.date(2026, 4, 1), by=secretariat_user
    )
    # when the round is opened
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=round_, by=secretariat_user)
    # then each active member has a response, the newcomer marked as in transition
    responses = {r.organisation: r for r in round_.responses.all()}
    assert set(responses) == {org_a, newcomer}
    assert responses[newcomer].in_transition and not responses[org_a].in_transition
    assert all(r.status == Response.Status.NOT_STARTED for r in responses.values())
    # and the primary representatives and the deputy got an invitation, the specialist did not
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rep_a.email, deputy_a.email, newcomer_rep.email])
    assert "/followup/responses/" in mail.outbox[0].body
    assert ReminderLog.objects.filter(step=ReminderLog.INVITATION).count() == 3
    # and sending the invitations again sends nothing more
    assert services.round_invitations_send(round=round_) == 0
    assert len(mail.outbox) == 3
    # and the round cannot be opened twice
    with pytest.raises(ValidationError):
        services.round_open(round=round_, by=secretariat_user)


def test_drafts_need_nothing_and_move_the_response_to_in_progress(response_a, rep_a, goals):
    # when the representative saves an almost empty goal section
    answer = services.response_goal_save(
        response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data={"challenges": "Svært."}
    )
    # then it is saved as a draft
    response_a.refresh_from_db()
    assert answer.version == 1 and answer.saved_by == rep_a
    assert response_a.status == Response.Status.DRAFT
    assert response_a.last_saved_by == rep_a


def test_two_people_saving_the_same_section_get_a_conflict_with_what_the_other_saved(
    response_a, rep_a, deputy_a, goals
):
    # given both opened goal 5 at version 0, and the deputy saved first
    services.response_goal_save(
        response=response_a,
        goal_version=goals[0],
        by=deputy_a,
        expected_version=0,
        data={**GOAL, "tenders_completed": 9},
    )
    # when the representative saves with the version they opened
    with pytest.raises(services.ResponseConflict) as caught:
        services.response_goal_save(
            response=response_a,
            goal_version=goals[0],
            by=rep_a,
            expected_version=0,
            data={**GOAL, "tenders_completed": 6},
        )
    # then nothing was overwritten, and the conflict says who saved what
    conflict = caught.value
    assert conflict.saved_by == deputy_a and conflict.version == 1
    assert ("tenders completed", "9") in conflict.values
    assert str(deputy_a) in conflict.message
    assert GoalAnswer.objects.get(response=response_a, goal_version=goals[0]).tenders_completed == 9
    # and saving again on purpose, with the current version, replaces it
    services.response_goal_save(
        response=response_a, goal_version=goals[0], by=rep_a, expected_version=1, data={**GOAL, "tenders_completed": 6}
    )
    assert GoalAnswer.objects.get(response=response_a, goal_version=goals[0]).tenders_completed == 6


def test_different_sections_can_be_saved_at_the_same_time(response_a, rep_a, deputy_a, goals):
    services.response_goal_save(response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data=GOAL)
    services.response_goal_save(response=response_a, goal_version=goals[1], by=deputy_a, expected_version=0, data=GOAL)
    services.response_organisation_save(response=response_a, by=deputy_a, expected_version=0, data=ORGANISATION)
    with pytest.raises(services.ResponseConflict):
        services.response_organisation_save(response=response_a, by=rep_a, expected_version=0, data=ORGANISATION)
    response_a.refresh_from_db()
    assert response_a.version == 3


def test_more_tenders_with_criteria_than_completed_is_refused_by_service_and_database(response_a, rep_a, goals):
    with pytest.raises(ValidationError) as caught:
        services.response_goal_save(
            response=response_a,
            goal_version=goals[0],
            by=rep_a,
            expected_version=0,
            data={"tenders_completed": 2, "tenders_with_criteria": 3},
        )
    assert "tenders_with_criteria" in caught.value.message_dict
    assert not GoalAnswer.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalAnswer.objects.create(
            response=response_a, goal_version=goals[0], tenders_completed=1, tenders_with_criteria=2
        )


def test_one_response_per_organisation_and_round_in_the_database(response_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(round=response_a.round, organisation=response_a.organisation)


def test_a_goal_not_in_the_round_cannot_be_answered(response_a, rep_a, goals, secretariat_user):
    other = goal_in_force(secretariat_user, number=9, title="Tekstiler", area="tekstiler", criteria=CRITERIA)
    with pytest.raises(ValidationError, match="does not ask"):
        services.response_goal_save(response=response_a, goal_version=other, by=rep_a, expected_version=0, data=GOAL)


def test_submit_checks_every_required_answer(response_a, rep_a, goals):
    # given only the organisation part answered, and goal 5 saying "not yet" without a reason
    services.response_organisation_save(
        response=response_a, by=rep_a, expected_version=0, data={**ORGANISATION, "policy_url_valid": False}
    )
    services.response_goal_save(
        response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data={"status": "not_yet"}
    )
    # when submitting
    with pytest.raises(ValidationError) as caught:
        services.response_submit(response=response_a, by=rep_a)
    # then each missing answer is named
    text = " ".join(caught.value.messages)
    assert "new link to the procurement policy" in text
    assert "5 Rengøring: give the number of tenders completed" in text
    assert "5 Rengøring: give the reason" in text
    assert "7 IT-udstyr: say where you stand" in text
    response_a.refresh_from_db()
    assert response_a.status == Response.Status.DRAFT


def test_not_relevant_needs_a_reason_but_no_numbers(response_a, rep_a, goals):
    services.response_organisation_save(response=response_a, by=rep_a, expected_version=0, data=ORGANISATION)
    for version in goals:
        services.response_goal_save(
            response=response_a,
            goal_version=version,
            by=rep_a,
            expected_version=0,
            data={"status": "not_relevant", "reason": "Ingen køb."},
        )
    assert services.response_submit(response=response_a, by=rep_a).status == Response.Status.SUBMITTED


def test_submitted_is_read_only_until_reopened_and_everything_is_in_the_history(
    response_a, rep_a, goals, secretariat_user, django_capture_on_commit_callbacks
):
    response = complete(response_a, rep_a, goals)
    # when submitted
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(response=response, by=rep_a, expected_version=response.version)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED and response.submitted_by == rep_a
    # then a receipt with the answers as PDF went to the person who submitted
    receipt = mail.outbox[-1]
    assert receipt.to == [rep_a.email]
    filename, content, mimetype = receipt.attachments[0]
    assert filename.endswith(".pdf")
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    # and nothing can be changed
    with pytest.raises(ValidationError, match="submitted"):
        services.response_goal_save(response=response, goal_version=goals[0], by=rep_a, expected_version=1, data=GOAL)
    with pytest.raises(ValidationError):
        services.response_submit(response=response, by=rep_a)
    # until the secretariat reopens it, with a reason
    with pytest.raises(ValidationError):
        services.response_reopen(response=response, by=secretariat_user, reason=" ")
    services.response_reopen(response=response, by=secretariat_user, reason="Forkert beløb")
    services.response_goal_save(
        response=response, goal_version=goals[0], by=rep_a, expected_version=1, data={**GOAL, "volume_dkk": 900_000}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(response=response, by=rep_a)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    # and the history holds every step, by whom
    statuses = list(response.history.order_by("history_date").values_list("status", "history_user"))
    assert ("submitted", rep_a.pk) in statuses and ("reopened", secretariat_user.pk) in statuses
    volumes = (
        GoalAnswer.history.filter(goal_version=goals[0]).order_by("history_date").values_list("volume_dkk", flat=True)
    )
    assert list(volumes) == [800_000, 900_000]
    # and the second submission got its own receipt
    assert sum(1 for m in mail.outbox if m.attachments) == 2


def test_submit_refuses_when_the_answers_changed_after_they_were_checked(response_a, rep_a, deputy_a, goals):
    response = complete(response_a, rep_a, goals)
    checked = response.version
    services.response_goal_save(response=response, goal_version=goals[0], by=deputy_a, expected_version=1, data=GOAL)
    with pytest.raises(ValidationError, match="changed"):
        services.response_submit(response=response, by=rep_a, expected_version=checked)


def test_a_closed_round_takes_no_answers_but_a_reopened_response_does(
    response_a, response_b, rep_a, rep_b, goals, secretariat_user
):
    response = complete(response_a, rep_a, goals)
    services.response_submit(response=response, by=rep_a)
    services.round_close(round=response.round, by=secretariat_user)
    with pytest.raises(ValidationError, match="not open"):
        services.response_goal_save(response=response_b, goal_version=goals[0], by=rep_b, expected_version=0, data=GOAL)
    services.response_reopen(response=response, by=secretariat_user, reason="Efter aftale")
    services.response_goal_save(response=response, goal_version=goals[0], by=rep_a, expected_version=1, data=GOAL)
    with pytest.raises(ValidationError):
        services.round_close(round=response.round, by=secretariat_user)


def test_a_receipt_whose_task_never_ran_is_sent_by_the_catch_up_once(response_a, rep_a, goals):
    response = complete(response_a, rep_a, goals)
    # given a submission whose receipt task was never queued (the on-commit callback is not run)
    services.response_submit(response=response, by=rep_a, expected_version=response.version)
    response.refresh_from_db()
    assert not [m for m in mail.outbox if m.attachments]
    # then within the grace period the catch-up leaves it to the queued task, and days later it is too old
    assert services.receipts_send_missing(now=response.submitted_at + datetime.timedelta(minutes=5)) == 0
    assert services.receipts_send_missing(now=response.submitted_at + datetime.timedelta(days=4)) == 0
    # and after it the catch-up sends it, once
    later = response.submitted_at + datetime.timedelta(minutes=11)
    assert services.receipts_send_missing(now=later) == 1
    assert services.receipts_send_missing(now=later) == 0
    (receipt,) = [m for m in mail.outbox if m.attachments]
    assert receipt.to == [rep_a.email]
