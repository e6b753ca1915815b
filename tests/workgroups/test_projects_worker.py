"""Quarterly status-report reminders sent by real Celery workers on Redis (needs PostgreSQL and Redis): once per
project and quarter, when the beat task runs again and when one worker stops and another takes over."""

import datetime
from pathlib import Path

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today
from workgroups import services
from workgroups.models import Meeting, Project, ProjectReportReminder
from workgroups.quarters import quarter_end, quarter_of
from workgroups.tasks import status_report_reminders_send_due

pytestmark = pytest.mark.services


def mails(mail_dir: Path) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.glob("*.log"))] if mail_dir.exists() else []


@pytest.fixture
def running(celery_workers, secretariat_user):
    """Two running Lab projects, approved by the Council; the second has filed this quarter's report."""
    reps = [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ("Aby", "Bby")
    ]
    meeting = services.meeting_create(
        kind="council", title="Rådet", starts_at=earlier_today(), place="Odense", by=secretariat_user
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    services.attendance_record(meeting=meeting, users=[r.user for r in reps], by=secretariat_user)
    projects = []
    today = datetime.date.today()
    for rep in reps:
        project = services.project_propose(
            owner=rep.organisation,
            kind="development",
            title=f"Projekt {rep.organisation.name}",
            purpose="Formål.",
            by=rep.user,
            lead=rep.user,
        )
        services.project_prioritise(project=project, by=secretariat_user)
        item = services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=secretariat_user)
        services.decision_record(
            item=item, proposal="Godkendes.", votes=[(r.organisation, "for") for r in reps], by=secretariat_user
        )
        services.project_phase_add(
            project=project,
            by=rep.user,
            title="Fase",
            milestone="M",
            planned_start=today,
            planned_end=today + datetime.timedelta(days=90),
        )
        projects.append(services.project_start(project=project, by=rep.user))
    year, quarter = quarter_of(today)
    services.status_report_file(
        project=projects[1],
        by=reps[1].user,
        year=year,
        quarter=quarter,
        activities="A",
        results="R",
        next_activities="N",
        cost="green",
        time="green",
        quality="green",
    )
    return celery_workers, projects, reps, quarter_end(year, quarter)


def test_one_reminder_per_project_and_quarter_across_runs_and_workers(running):
    workers, projects, reps, end = running
    day = (end - datetime.timedelta(days=3)).isoformat()
    first = workers["start"]("first")
    # the beat task runs in the reminder window: the lead whose report is missing is reminded, the other is not
    assert status_report_reminders_send_due.apply_async(args=[day]).get(timeout=60) == 1
    assert status_report_reminders_send_due.apply_async(args=[day]).get(timeout=60) == 0
    # a new worker takes over; the task runs again
    workers["stop"](first)
    workers["start"]("second")
    assert status_report_reminders_send_due.apply_async(args=[day]).get(timeout=60) == 0
    sent = mails(workers["mail_dir"])
    assert len(sent) == 1 and reps[0].user.email in sent[0] and projects[0].title in sent[0]
    assert list(ProjectReportReminder.objects.values_list("project_id", "email")) == [
        (projects[0].pk, reps[0].user.email)
    ]
    assert Project.objects.filter(status="running").count() == 2
