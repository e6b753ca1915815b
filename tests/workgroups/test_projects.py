"""Projects of POGI Move and POGI Lab: every move of the status through its one service, approval only by a carried
decision of the right body, progress derived from the milestones, the hand-over from Lab to Move, and the public
pages with their filters."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from goals import reference
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today, goal_in_force
from workgroups import services
from workgroups.models import (
    Meeting,
    Project,
    ProjectParticipant,
    ProjectPhase,
    ProjectReportReminder,
    ProjectStatusReport,
)
from workgroups.quarters import quarter_end, quarter_of
from workgroups.selectors.projects import financing_of
from workgroups.services.projects import PROJECT_TRANSITIONS

pytestmark = pytest.mark.django_db

P = Project.Status
TODAY = datetime.date.today


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are matched in English; the pages are read in the language of their address."""
    with translation.override("en"):
        yield


@pytest.fixture
def members(db):
    """Three member organisations, each with its primary representative (who sit in Move, Lab and the Council)."""
    return [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ["Aby", "Bby", "Cby"]
    ]


def propose(rep, kind=Project.Kind.DEVELOPMENT, **fields):
    fields.setdefault("title", "Genbrug af møbler")
    fields.setdefault("purpose", "Møbler genbruges på tværs af forvaltningerne.")
    fields.setdefault("lead", rep.user)
    return services.project_propose(owner=rep.organisation, kind=kind, by=rep.user, **fields)


def phase(project, by, weight=1, **fields):
    return services.project_phase_add(
        project=project,
        by=by,
        title=fields.get("title", "Fase"),
        milestone=fields.get("milestone", "Milepæl"),
        weight=weight,
        planned_start=TODAY() - datetime.timedelta(days=30),
        planned_end=TODAY() + datetime.timedelta(days=30),
    )


def meeting_of(kind, members, by):
    meeting = services.meeting_create(kind=kind, title="Møde", starts_at=earlier_today(), place="Odense", by=by)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    services.attendance_record(meeting=meeting, users=[r.user for r in members], by=by)
    return meeting


def decide(project, kind, members, by, vote="for"):
    meeting = meeting_of(kind, members, by)
    item = services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=by)
    services.decision_record(
        item=item, proposal="Projektet godkendes.", votes=[(r.organisation, vote) for r in members], by=by
    )
    project.refresh_from_db()
    return project


def approved(members, by, kind=Project.Kind.DEVELOPMENT):
    project = propose(members[0], kind=kind)
    services.project_prioritise(project=project, by=by)
    return decide(project, "council" if kind == Project.Kind.DEVELOPMENT else "move", members, by)


class TestProposal:
    def test_a_representative_proposes_for_their_own_organisation(self, members):
        project = propose(members[0], participants=[members[1].organisation], partners=[("SKI", "Aftalerne")])
        assert project.status == P.PROPOSED and project.track == Project.Track.LAB
        roles = dict(project.participants.values_list("organisation__name", "role"))
        assert roles == {"Aby Kommune": "owner", "Bby Kommune": "participant"}
        assert project.partners.get().name == "SKI"
        assert project.history.count() == 1

    def test_nobody_proposes_for_an_organisation_they_do_not_represent(self, members):
        with pytest.raises(ValidationError, match="organisation you represent"):
            services.project_propose(
                owner=members[1].organisation, kind="development", title="X", purpose="Y", by=members[0].user
            )

    def test_the_lead_represents_the_owner(self, members):
        with pytest.raises(ValidationError, match="lead must represent"):
            propose(members[0], lead=members[1].user)

    def test_only_members_take_part(self, members):
        outsider = OrganisationFactory(name="Ikke Medlem Kommune")
        with pytest.raises(ValidationError, match="Ikke Medlem Kommune is not a member"):
            propose(members[0], participants=[outsider])
        assert not Project.objects.exists()

    def test_a_potential_needs_its_assumption(self, members):
        with pytest.raises(ValidationError, match="assumption"):
            propose(members[0], co2_potential_tonnes=Decimal("120"))

    def test_the_kind_decides_the_track(self, members):
        assert propose(members[0], kind="purchasing").track == Project.Track.MOVE
        assert propose(members[0], kind="behaviour", title="Adfærd").track == Project.Track.MOVE


class TestTransitions:
    @pytest.mark.parametrize("start", P.values)
    # approval is a decision (TestApproval); a project never returns to proposed
    @pytest.mark.parametrize("to", [P.PRIORITISED, P.RUNNING, P.COMPLETED, P.STOPPED])
    def test_only_the_transitions_in_the_table_are_allowed(self, members, secretariat_user, start, to):
        project = propose(members[0])
        phase(project, secretariat_user)
        Project.objects.filter(pk=project.pk).update(status=start, stop_reason="Stoppet" if start == P.STOPPED else "")
        ProjectPhase.objects.filter(project=project).update(status="done", actual_end=TODAY())
        moves = {
            P.PRIORITISED: lambda: services.project_prioritise(project=project, by=secretariat_user),
            P.RUNNING: lambda: services.project_start(project=project, by=secretariat_user),
            P.COMPLETED: lambda: services.project_complete(
                project=project, by=secretariat_user, measured_effect_tonnes=None, effect_note="Ikke målt."
            ),
            P.STOPPED: lambda: services.project_stop(project=project, by=secretariat_user, reason="Ingen finansiering"),
        }
        if (start, to) in PROJECT_TRANSITIONS:
            assert moves[to]().status == to
        else:
            with pytest.raises(ValidationError, match="cannot become"):
                moves[to]()
            project.refresh_from_db()
            assert project.status == start

    def test_a_project_starts_with_a_plan(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        with pytest.raises(ValidationError, match="at least one phase"):
            services.project_start(project=project, by=secretariat_user)

    def test_completion_needs_every_milestone_closed_and_the_effect_said(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        first = phase(project, secretariat_user)
        services.project_start(project=project, by=secretariat_user)
        with pytest.raises(ValidationError, match="how the effect was measured"):
            services.project_complete(project=project, by=secretariat_user, measured_effect_tonnes=None, effect_note="")
        with pytest.raises(ValidationError, match="Every phase"):
            services.project_complete(
                project=project, by=secretariat_user, measured_effect_tonnes=None, effect_note="X"
            )
        services.project_phase_update(phase=first, by=secretariat_user, status="done", actual_end=TODAY())
        done = services.project_complete(
            project=project, by=secretariat_user, measured_effect_tonnes=Decimal("80"), effect_note="Målt på købene."
        )
        assert done.status == P.COMPLETED and done.measured_effect_tonnes == Decimal("80")

    def test_stopping_needs_a_reason_and_the_secretariat(self, members, secretariat_user):
        project = propose(members[0])
        with pytest.raises(ValidationError, match="reason"):
            services.project_stop(project=project, by=secretariat_user, reason=" ")
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.project_stop(project=project, by=members[0].user, reason="Vi trækker forslaget")

    def test_only_the_secretariat_prioritises(self, members):
        project = propose(members[0])
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.project_prioritise(project=project, by=members[0].user)

    def test_another_member_does_not_run_the_project(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        with pytest.raises(ValidationError, match="owner organisation and the secretariat"):
            phase(project, members[1].user)
        phase(project, members[0].user)
        with pytest.raises(ValidationError, match="owner organisation and the secretariat"):
            services.project_start(project=project, by=members[1].user)


class TestApproval:
    def test_the_council_approves_a_lab_project_by_a_carried_decision(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        assert project.status == P.APPROVED
        assert project.decision.item.meeting.body.kind == "council"
        assert project.approved_on == timezone.localdate(project.decision.item.meeting.starts_at)

    def test_pogi_move_approves_a_move_project(self, members, secretariat_user):
        assert approved(members, secretariat_user, kind="purchasing").status == P.APPROVED

    def test_a_decision_not_carried_leaves_it_prioritised(self, members, secretariat_user):
        project = propose(members[0])
        services.project_prioritise(project=project, by=secretariat_user)
        assert decide(project, "council", members, secretariat_user, vote="against").status == P.PRIORITISED

    @pytest.mark.parametrize("body", ["move", "steering_group", "lab"])
    def test_a_lab_project_goes_to_the_council_only(self, members, secretariat_user, body):
        project = propose(members[0])
        services.project_prioritise(project=project, by=secretariat_user)
        meeting = services.meeting_create(
            kind=body, title="Møde", starts_at=earlier_today(), place="X", by=secretariat_user
        )
        with pytest.raises(ValidationError, match="started by the Council"):
            services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=secretariat_user)

    def test_a_proposal_goes_on_the_agenda_only_once_prioritised_and_once_at_a_time(self, members, secretariat_user):
        project = propose(members[0])
        meeting = meeting_of("council", members, secretariat_user)
        with pytest.raises(ValidationError, match="Only a prioritised project"):
            services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=secretariat_user)
        services.project_prioritise(project=project, by=secretariat_user)
        item = services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=secretariat_user)
        assert item.kind == "decision"
        with pytest.raises(ValidationError, match="already on an agenda"):
            services.agenda_item_add(meeting=meeting, title="Igen", project=project, by=secretariat_user)


class TestProgress:
    def test_progress_is_the_weight_of_the_milestones_reached(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        assert project.progress is None  # no plan yet
        _first, second, third = (phase(project, secretariat_user, weight=w) for w in (1, 3, 2))
        services.project_phase_update(phase=second, by=secretariat_user, status="done", actual_end=TODAY())
        assert Project.objects.get(pk=project.pk).progress == 50  # 3 of 6
        services.project_phase_update(phase=third, by=secretariat_user, status="cancelled")
        assert Project.objects.get(pk=project.pk).progress == 75  # 3 of 4: a cancelled milestone no longer counts

    def test_a_milestone_reached_has_a_date_not_in_the_future(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        first = phase(project, secretariat_user)
        with pytest.raises(ValidationError, match="date the milestone was reached"):
            services.project_phase_update(phase=first, by=secretariat_user, status="done")
        with pytest.raises(ValidationError, match="future"):
            services.project_phase_update(
                phase=first, by=secretariat_user, status="done", actual_end=TODAY() + datetime.timedelta(days=1)
            )

    def test_a_phase_ends_after_it_starts(self, members, secretariat_user):
        project = propose(members[0])
        with pytest.raises(ValidationError, match="ends on or after"):
            services.project_phase_add(
                project=project,
                by=secretariat_user,
                title="Fase",
                milestone="M",
                planned_start=TODAY(),
                planned_end=TODAY() - datetime.timedelta(days=1),
            )


class TestHandOver:
    @pytest.fixture
    def completed(self, members, secretariat_user):
        project = propose(members[0], participants=[members[1].organisation])
        services.project_partner_add(project=project, name="Dansk Møbelgenbrug", by=secretariat_user)
        services.project_prioritise(project=project, by=secretariat_user)
        project = decide(project, "council", members, secretariat_user)
        first = phase(project, secretariat_user)
        services.project_start(project=project, by=secretariat_user)
        services.project_phase_update(phase=first, by=secretariat_user, status="done", actual_end=TODAY())
        return services.project_complete(
            project=project, by=secretariat_user, measured_effect_tonnes=Decimal("410"), effect_note="Målt."
        )

    def test_a_completed_lab_project_is_handed_over_to_move(self, completed, secretariat_user, members):
        move = services.project_hand_over(project=completed, kind="purchasing", by=secretariat_user)
        assert move.track == Project.Track.MOVE and move.status == P.PROPOSED
        assert move.handed_over_from == completed and completed.handed_over_to == move
        assert move.co2_potential_tonnes == Decimal("410")  # the measured effect is the Move project's potential
        roles = dict(move.participants.values_list("organisation__name", "role"))
        assert roles == {"Aby Kommune": "owner", "Bby Kommune": ProjectParticipant.Role.SUPPORT}
        assert list(move.partners.values_list("name", flat=True)) == ["Dansk Møbelgenbrug"]
        assert completed.history.count() > 1 and move.history.exists()

    def test_a_project_is_handed_over_once_and_only_from_lab_when_completed(self, completed, secretariat_user, members):
        services.project_hand_over(project=completed, kind="purchasing", by=secretariat_user)
        with pytest.raises(ValidationError, match="already been handed over"):
            services.project_hand_over(project=completed, kind="behaviour", by=secretariat_user)
        running = approved(members, secretariat_user)
        with pytest.raises(ValidationError, match="Only a completed Lab project"):
            services.project_hand_over(project=running, kind="purchasing", by=secretariat_user)

    def test_the_hand_over_is_the_secretariats(self, completed, members):
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.project_hand_over(project=completed, kind="purchasing", by=members[0].user)


class TestPublicPages:
    @pytest.fixture
    def portfolio(self, members, secretariat_user):
        reference.load()
        cleaning = goal_in_force(title="Rengøring")
        lab = approved(members, secretariat_user)
        for weight in (1, 1):
            phase(lab, secretariat_user, weight=weight)
        services.project_phase_update(phase=lab.phases.first(), by=secretariat_user, status="done", actual_end=TODAY())
        move = propose(members[1], kind="purchasing", title="Mærkede rengøringsmidler", goals=[cleaning.goal])
        services.project_participant_add(project=move, organisation=members[2].organisation, by=members[1].user)
        return lab, move, cleaning.goal

    def test_the_list_shows_every_project_with_its_derived_progress(self, client, portfolio):
        html = client.get("/projects/").content.decode()
        assert "Genbrug af møbler" in html and "Mærkede rengøringsmidler" in html
        assert "50 %" in html

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("track=move", {"Mærkede rengøringsmidler"}),
            ("status=approved", {"Genbrug af møbler"}),
            ("kind=development", {"Genbrug af møbler"}),
            ("member=cby-kommune", {"Mærkede rengøringsmidler"}),
            ("q=rengøring", {"Mærkede rengøringsmidler"}),
        ],
    )
    def test_the_filters(self, client, portfolio, query, expected):
        response = client.get(f"/projects/?{query}")
        titles = {p.title for p in response.context["page"].object_list}
        assert titles == expected

    def test_the_goal_filter_counts_no_phase_twice(self, client, portfolio, secretariat_user):
        lab, _move, goal = portfolio
        lab.goals.add(goal)
        response = client.get(f"/projects/?goal={goal.number}")
        found = {p.title: p.progress for p in response.context["page"].object_list}
        assert found == {"Genbrug af møbler": 50, "Mærkede rengøringsmidler": None}

    def test_the_list_takes_the_same_queries_for_many_projects(self, client, portfolio, members):
        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/projects/").status_code == 200
            return len(queries)

        few = count()
        for n in range(5):
            propose(members[n % 3], title=f"Projekt {n}")
        assert count() == few

    def test_the_project_page(self, client, portfolio):
        lab, move, _goal = portfolio
        path = f"/projects/{lab.slug}/"
        html = client.get(path).content.decode()
        assert "Genbrug af møbler" in html and "Aby Kommune" in html and "Faser og milepæle" in html
        english = client.get("/en" + path).content.decode()
        assert "50 %" in html and "Phases and milestones" in english
        # the project's own text is written in Danish: marked so on the English page, unmarked on the Danish one
        assert '<h1 lang="da">Genbrug af møbler</h1>' in english and "<h1>Genbrug af møbler</h1>" in html
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/projects/{move.slug}/")
        assert len(queries) == 6  # session-less visitor: the project, its phases, participants, partners, goals, areas
        assert client.get("/projects/no-such-project/").status_code == 404


REPORT = {
    "activities": "Forsøg i to forvaltninger.",
    "results": "200 møbler genbrugt.",
    "deviations": "",
    "next_activities": "Forsøget udvides.",
    "cost": "green",
    "time": "green",
    "quality": "green",
}


def running(members, by):
    project = approved(members, by)
    Project.objects.filter(pk=project.pk).update(approved_on=TODAY() - datetime.timedelta(days=300))
    phase(project, by)
    return services.project_start(project=project, by=by, started_on=TODAY() - datetime.timedelta(days=200))


class TestStatusReports:
    def test_the_owner_files_the_quarters_report_and_corrects_it(self, members, secretariat_user):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        report = services.status_report_file(project=project, by=members[0].user, year=year, quarter=quarter, **REPORT)
        again = services.status_report_file(
            project=project, by=members[0].user, year=year, quarter=quarter, **{**REPORT, "results": "250 møbler."}
        )
        assert again.pk == report.pk and again.results == "250 møbler." and again.history.count() == 2

    def test_a_red_light_needs_its_deviation(self, members, secretariat_user):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        with pytest.raises(ValidationError, match="red light needs"):
            services.status_report_file(
                project=project, by=secretariat_user, year=year, quarter=quarter, **{**REPORT, "time": "red"}
            )

    def test_no_report_for_a_quarter_not_begun_nor_one_before_the_start(self, members, secretariat_user):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        next_year, next_quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        with pytest.raises(ValidationError, match="once it has begun"):
            services.status_report_file(
                project=project, by=secretariat_user, year=next_year, quarter=next_quarter, **REPORT
            )
        with pytest.raises(ValidationError, match="had not started"):
            services.status_report_file(project=project, by=secretariat_user, year=year - 2, quarter=1, **REPORT)

    def test_another_member_files_nothing_and_reads_nothing(self, members, secretariat_user, client):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        with pytest.raises(ValidationError, match="owner organisation and the secretariat"):
            services.status_report_file(project=project, by=members[2].user, year=year, quarter=quarter, **REPORT)
        client.force_login(members[2].user)
        url = f"/projects/{project.slug}/reports/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"period": f"{year}-{quarter}", **REPORT}).status_code == 404
        assert not project.status_reports.exists()

    def test_the_page_files_a_report_and_keeps_the_text_when_refused(self, members, secretariat_user, client):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        client.force_login(members[0].user)
        url = f"/projects/{project.slug}/reports/"
        refused = client.post(url, {"period": f"{year}-{quarter}", **REPORT, "quality": "red"})
        assert refused.status_code == 400 and "200 møbler genbrugt." in refused.content.decode()
        assert client.post(url, {"period": f"{year}-{quarter}", **REPORT}).status_code == 302
        assert project.status_reports.get().filed_by == members[0].user
        # the form comes back with the quarter's report, to correct rather than rewrite
        assert "200 møbler genbrugt." in client.get(url).content.decode()

    def test_the_secretariat_sees_missing_and_red_reports(self, members, secretariat_user, secretariat_client):
        late = running(members, secretariat_user)
        red = propose(members[1], title="Rødt projekt")
        services.project_prioritise(project=red, by=secretariat_user)
        red = decide(red, "council", members, secretariat_user)
        phase(red, secretariat_user)
        services.project_start(project=red, by=secretariat_user)
        year, quarter = quarter_of(TODAY())
        services.status_report_file(
            project=red,
            by=secretariat_user,
            year=year,
            quarter=quarter,
            **{**REPORT, "cost": "red", "deviations": "Dyrere end planlagt; vi søger en fond."},
        )
        with CaptureQueriesContext(connection) as queries:
            response = secretariat_client.get("/projects/reports/")
        overview = response.context
        rows = {row["project"].title: row for row in overview["rows"]}
        assert rows[late.title]["missing"] and not rows[late.title]["red"]
        assert rows["Rødt projekt"]["red"] and not rows["Rødt projekt"]["missing"]  # started this quarter: owes none
        assert (overview["missing"], overview["red"]) == (1, 1)
        few = len(queries)
        for _n in range(3):
            running(members, secretariat_user).title  # noqa: B018
        with CaptureQueriesContext(connection) as queries:
            secretariat_client.get("/projects/reports/")
        assert len(queries) == few


class TestReminders:
    def test_the_lead_is_reminded_once_in_the_last_two_weeks_of_the_quarter(
        self, members, secretariat_user, mailoutbox
    ):
        project = running(members, secretariat_user)
        year, quarter = quarter_of(TODAY())
        end = quarter_end(year, quarter)
        assert services.status_report_reminders_send_due(today=end - datetime.timedelta(days=20)) == 0
        assert services.status_report_reminders_send_due(today=end - datetime.timedelta(days=10)) == 1
        assert services.status_report_reminders_send_due(today=end - datetime.timedelta(days=5)) == 0
        (mail,) = mailoutbox
        assert mail.to == [members[0].user.email]
        assert project.title in mail.subject and f"/projects/{project.slug}/reports/" in mail.body
        # a quarter whose report is filed is not asked for
        services.status_report_file(project=project, by=secretariat_user, year=year, quarter=quarter, **REPORT)
        ProjectReportReminder.objects.all().delete()
        assert services.status_report_reminders_send_due(today=end - datetime.timedelta(days=5)) == 0


class TestFinancing:
    @pytest.fixture
    def planned(self, members, secretariat_user):
        project = approved(members, secretariat_user)
        for budget in (400_000, 600_000):
            services.project_phase_add(
                project=project,
                by=members[0].user,
                title=f"Fase {budget}",
                milestone="M",
                planned_start=TODAY(),
                planned_end=TODAY() + datetime.timedelta(days=90),
                budget_dkk=budget,
            )
        return project

    def add(self, project, by, source, kind, amount, status):
        return services.project_funding_add(
            project=project, by=by, source=source, kind=kind, amount_dkk=amount, status=status
        )

    def test_the_warning_when_the_secured_financing_falls_short(self, planned, members):
        owner = members[0].user
        self.add(planned, owner, "Egenandel", "own", 250_000, "granted")
        grant = self.add(planned, owner, "Realdania", "grant", 700_000, "applied")
        self.add(planned, owner, "Fonden", "grant", 300_000, "refused")
        financing = financing_of(project=Project.objects.get(pk=planned.pk))
        assert (financing["budget"], financing["secured"], financing["applied"]) == (1_000_000, 250_000, 700_000)
        assert not financing["covered"] and financing["gap"] == 750_000
        # the grant comes through: covered, with the own share of what is secured
        services.project_funding_update(funding=grant, by=owner, status="granted", amount_dkk=750_000)
        financing = financing_of(project=Project.objects.get(pk=planned.pk))
        assert financing["covered"] and financing["own_share_percent"] == 25

    def test_the_management_page_warns(self, planned, members, client):
        self.add(planned, members[0].user, "Egenandel", "own", 250_000, "granted")
        client.force_login(members[0].user)
        html = client.get(f"/projects/{planned.slug}/manage/").content.decode()
        assert "does not cover the budget" in html or "dækker ikke budgettet" in html

    def test_only_the_owner_and_the_secretariat_plan_the_money(self, planned, members, client):
        with pytest.raises(ValidationError, match="owner organisation and the secretariat"):
            self.add(planned, members[1].user, "Egenandel", "own", 1, "granted")
        source = self.add(planned, members[0].user, "Egenandel", "own", 250_000, "granted")
        with pytest.raises(ValidationError, match="already in the financing plan"):
            self.add(planned, members[0].user, "egenandel", "own", 1, "granted")
        client.force_login(members[1].user)
        assert client.post(f"/projects/financing/{source.pk}/", {f"f{source.pk}-status": "refused"}).status_code == 404
        source.refresh_from_db()
        assert source.status == "granted"


def test_a_report_of_another_quarter_and_one_of_another_year_do_not_stand_for_this_quarters(
    members, secretariat_user, mailoutbox
):
    # given a running project with a report for another quarter of this year and for this quarter of last year
    project = running(members, secretariat_user)
    year, quarter = quarter_of(TODAY())
    other = 1 if quarter != 1 else 2
    for y, q in ((year, other), (year - 1, quarter)):
        ProjectStatusReport.objects.create(project=project, year=y, quarter=q, **REPORT)
    # then this quarter's report is still asked for
    end = quarter_end(year, quarter)
    assert services.status_report_reminders_send_due(today=end - datetime.timedelta(days=3)) == 1


def test_every_page_of_its_own_under_projects_is_an_address_no_project_can_take():
    """A project's address is /projects/<slug>/: a page with a fixed first segment (the proposal form, the
    prioritisation, the bodies …) would hide a project of that name, so each such segment is reserved."""
    from workgroups import urls_projects
    from workgroups.services.projects import RESERVED_SLUGS

    fixed = {str(p.pattern).split("/")[0] for p in urls_projects.urlpatterns if str(p.pattern)[:1] not in ("", "<")}
    assert fixed
    assert fixed <= RESERVED_SLUGS, f"not reserved: {sorted(fixed - RESERVED_SLUGS)}"
