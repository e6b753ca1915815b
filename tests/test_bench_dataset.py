"""The bench dataset: generated at a small scale, consistent with the portal's rules, the same for the same seed,
and never written over other data."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from followup.completeness import response_missing
from followup.models import GoalAnswer, Response, Round
from goals.models import Criterion, Goal, GoalVersion
from members.models import Membership, Organisation, Representative, User
from tests.factories import OrganisationFactory
from workgroups.models import Decision, Hearing, Meeting, Project, ProjectPhase, ProjectStatusReport
from workgroups.quarters import quarter_end, quarter_of
from workgroups.services.projects import APPROVING_BODY

pytestmark = pytest.mark.django_db


def generate(*options: str) -> str:
    out = StringIO()
    call_command("bench_dataset", "--scale", "small", "--last-year", "2026", *options, stdout=out)
    return out.getvalue()


def answers_checksum() -> str:
    rows = GoalAnswer.objects.order_by(
        "response__round__year", "response__organisation__slug", "goal_version__goal__number"
    ).values_list(
        "response__round__year",
        "response__organisation__slug",
        "goal_version__goal__number",
        "goal_version__number",
        "tenders_completed",
        "tenders_with_criteria",
        "volume_dkk",
        "status",
        "challenges",
        "saved_at",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_small_scale_gives_members_goals_and_rounds_answered_as_the_portal_requires():
    # when the small dataset is generated
    output = generate()

    # then the command reports its stages, the total and the last round
    assert "goal answers" in output
    assert "total" in output
    assert "the last follow-up round is 2026" in output
    # 50 member organisations, each with an active membership and one primary representative
    assert Organisation.objects.count() == 50
    assert Membership.objects.filter(status="active").values("organisation").distinct().count() == 50
    assert Representative.objects.filter(position="primary").count() == 50
    # no one can log in with a password, and every address is a bench address
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert not User.objects.exclude(email__endswith="@bench.pogi.example").exists()
    # 20 goals with 5 versions of 10 criteria each, one version in force per goal, the others superseded
    assert Goal.objects.count() == 20
    assert GoalVersion.objects.count() == 100
    assert GoalVersion.objects.filter(status="published").count() == 20
    assert GoalVersion.objects.filter(status="superseded").count() == 80
    assert Criterion.objects.count() == 1000
    # three rounds ending this year, each asking about 10 goals; the last asks about the versions in force and is
    # still open, two weeks before its deadline
    rounds = list(Round.objects.order_by("year"))
    assert [(r.year, r.status) for r in rounds] == [(2024, "closed"), (2025, "closed"), (2026, "open")]
    assert rounds[-1].closed_at is None and rounds[-1].deadline == datetime.date(2026, 11, 29)
    assert all(r.goal_versions.count() == 10 for r in rounds)
    assert set(rounds[-1].goal_versions.values_list("status", flat=True)) == {"published"}
    # every member is asked in every round; most responses of a closed round are submitted, and in the open round
    # many members are still drafting
    last = rounds[-1]
    assert last.responses.count() == 50
    assert 35 <= rounds[-2].responses.filter(status="submitted").count() <= 48
    assert 20 <= last.responses.filter(status="submitted").count() <= 40
    assert last.responses.filter(status__in=["draft", "not_started"]).count() >= 10
    # a submitted response is complete as the portal requires before submitting
    for response in Response.objects.filter(status="submitted").select_related("round"):
        versions = list(response.round.goal_versions.select_related("goal"))
        answers = {a.goal_version_id: a for a in response.answers.all()}
        assert len(answers) == 10
        assert response_missing(response=response, goal_versions=versions, answers=answers) == []
    # never more tenders with the criteria than tenders completed
    assert GoalAnswer.objects.count() > 1000
    assert not GoalAnswer.objects.filter(tenders_with_criteria__gt=F("tenders_completed")).exists()
    # the share of tenders with the criteria rises from the first round to the last
    shares = []
    for r in (rounds[0], last):
        totals = GoalAnswer.objects.filter(response__round=r).aggregate(
            done=Sum("tenders_completed"), used=Sum("tenders_with_criteria")
        )
        shares.append(totals["used"] / totals["done"])
    assert shares[0] < shares[1]
    # every response and answer has a history, and each goal version its way to being in force
    assert not Response.objects.exclude(pk__in=Response.history.values("id")).exists()
    assert GoalAnswer.history.count() == GoalAnswer.objects.count()
    steps = GoalVersion.history.values("id").annotate(n=Count("history_id")).values_list("n", flat=True)
    assert min(steps) >= 6
    # and the revision cycle left hearings, meetings and one adoption decision per version, beside the decisions
    # that approved the projects
    assert Hearing.objects.count() == 200
    assert Meeting.objects.filter(minutes__gt="").exists()
    assert Decision.objects.filter(item__version__isnull=False).count() == 100
    assert (
        Decision.objects.filter(item__project__isnull=False).count()
        == Project.objects.exclude(approved_on=None).count()
    )


def test_small_scale_gives_projects_in_every_stage_as_the_project_services_leave_them(client):
    # when the small dataset is generated
    generate()

    # then it holds 40 projects of both tracks in every stage, each a bench project owned by a member
    projects = list(
        Project.objects.exclude(kind=Project.Kind.DIALOGUE)
        .select_related("owner", "decision__item__meeting__body")
        .prefetch_related("phases", "participants", "status_reports", "goals", "product_areas")
    )
    assert len(projects) == 40
    assert {p.status for p in projects} == set(Project.Status.values)
    assert {p.track for p in projects} == {"move", "lab"}
    assert all(p.slug.startswith("bench-") and p.get_absolute_url() for p in projects)
    today = datetime.date(2026, 11, 15)  # the dataset's "now"
    for project in projects:
        assert project.track == Project.TRACK_OF_KIND[project.kind]
        # the owner takes part as the owner, its representative leads, and the project serves a goal and an area
        owners = [p.organisation_id for p in project.participants.all() if p.role == "owner"]
        assert owners == [project.owner_id]
        assert project.lead.representative_or_none.organisation_id == project.owner_id
        assert project.goals.all() and project.product_areas.all()
        assert project.history.exists()
        phases = list(project.phases.all())
        # approved only by a carried decision of its track's body, on its own agenda item, on the meeting's day
        if project.approved_on is not None:
            decision = project.decision
            assert decision.outcome == "carried" and decision.present >= decision.quorum
            assert decision.item.project_id == project.pk
            assert decision.item.meeting.body.kind == APPROVING_BODY[project.track]
            assert decision.item.meeting.starts_at.date() == project.approved_on
        else:
            assert project.decision is None
            assert project.status in ("proposed", "prioritised", "stopped")
        if project.status in ("approved", "running", "completed"):
            assert phases and project.approved_on is not None
        if project.started_on is not None:
            assert project.started_on >= project.approved_on
        # a reached milestone has its date, never after the dataset's today
        for phase in phases:
            assert phase.planned_end >= phase.planned_start
            if phase.status == "done":
                assert phase.actual_start <= phase.actual_end <= today
            else:
                assert phase.actual_end is None
        if project.status == "running":
            assert project.progress is not None and project.progress < 100
            assert any(p.status in ("planned", "in_progress") for p in phases)
        if project.status == "completed":
            assert project.ended_on and project.effect_note
            assert all(p.status in ("done", "cancelled") for p in phases)
        if project.status == "stopped":
            assert project.stop_reason and project.ended_on
        # status reports: one a quarter, while the project ran, a red light with its deviation
        for report in project.status_reports.all():
            assert project.started_on is not None
            assert quarter_end(report.year, report.quarter) >= project.started_on
            assert (report.year, report.quarter) <= quarter_of(project.ended_on or today)
            assert not report.is_red or report.deviations
    assert ProjectStatusReport.objects.filter(project__status="running").exists()
    assert ProjectPhase.history.count() == ProjectPhase.objects.count()
    # and the public list and a project's page show them
    response = client.get("/projects/?status=running")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == sum(p.status == "running" for p in projects) + 1  # the dialogue
    assert client.get(projects[0].get_absolute_url()).status_code == 200


def test_small_scale_gives_a_nordic_buyer_dialogue_with_applications_sign_ups_and_its_send_log(client):
    from workgroups.models import Dialogue, DialogueApplication, NewsDelivery
    from workgroups.selectors.dialogues import places_by_country

    generate()
    [dialogue] = Dialogue.objects.select_related("project")
    assert dialogue.project.slug.startswith("bench-") and dialogue.project.track == "nordic"
    assert dialogue.texts.count() == 5 and dialogue.countries.count() == 4
    for country in dialogue.countries.select_related("contact_organisation"):
        assert country.contact_organisation.country == country.country
    applications = list(dialogue.applications.all())
    assert {a.status for a in applications} == set(DialogueApplication.Status.values)
    assert all(a.reason for a in applications if a.status != "submitted")
    places = places_by_country(dialogue=dialogue)
    assert 0 < places["taken"] <= dialogue.target_max
    # each news update went once to each confirmed address and accepted participant, never to an unconfirmed one
    for news in dialogue.news.all():
        emails = list(news.deliveries.values_list("email", flat=True))
        assert len(emails) == len(set(emails))
        confirmed = set(dialogue.interest.exclude(confirmed_at=None).values_list("email", flat=True))
        accepted = {a.responsible_email for a in applications if a.status == "accepted"}
        assert set(emails) == confirmed | accepted
    assert not NewsDelivery.objects.filter(signup__confirmed_at=None, signup__isnull=False).exists()
    assert client.get(dialogue.project.get_absolute_url()).status_code == 200


def test_the_same_seed_gives_the_same_answers_and_another_seed_others():
    # given a generated dataset
    generate()
    first = answers_checksum()

    # when it is generated again over itself with the same seed
    generate("--reset")

    # then the answers are the same
    assert answers_checksum() == first
    # and another seed gives other answers
    generate("--reset", "--seed", "2")
    assert answers_checksum() != first


def test_a_second_run_without_reset_is_refused_and_changes_nothing():
    # given a generated dataset
    generate()
    answers = GoalAnswer.objects.count()

    # when it is generated again without --reset
    with pytest.raises(CommandError, match=r"already holds a bench dataset .*Run again with --reset"):
        generate()

    # then the dataset is as it was
    assert Organisation.objects.count() == 50
    assert GoalAnswer.objects.count() == answers


def test_a_database_with_other_data_is_refused_even_with_reset():
    # given an organisation the generator did not make
    organisation = OrganisationFactory(name="Testby Kommune")

    # when the dataset is generated with --reset
    with pytest.raises(CommandError, match=r"did not generate \(1 organisation\)\. Nothing was changed"):
        generate("--reset")

    # then nothing was deleted or added
    assert list(Organisation.objects.all()) == [organisation]
    assert not GoalAnswer.objects.exists()


def test_options_override_the_scale():
    # when the sizes are given one by one
    generate("--organisations=12", "--goals=4", "--goals-per-round=3", "--versions=2", "--criteria=3", "--rounds=2")

    # then the dataset has those sizes
    assert Organisation.objects.count() == 12
    assert GoalVersion.objects.count() == 8
    assert Criterion.objects.count() == 24
    assert Round.objects.count() == 2
    # and a round cannot ask about more goals than there are
    with pytest.raises(CommandError, match="cannot exceed --goals"):
        generate("--reset", "--goals=4", "--goals-per-round=5")
