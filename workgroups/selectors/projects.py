"""Reads for projects: the public list with its filters and derived progress, and a project's public page."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import User

from ..models import Project, ProjectFunding, ProjectParticipant, ProjectPhase, ProjectStatusReport
from ..quarters import previous_quarter, quarter_end, quarter_of

PHASE_DONE = ProjectPhase.Status.DONE
PHASE_CANCELLED = ProjectPhase.Status.CANCELLED


def _phase_weight(condition: Q) -> Coalesce:
    weights = (
        ProjectPhase.objects.filter(condition, project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("weight"))
        .values("total")
    )
    return Coalesce(Subquery(weights, output_field=IntegerField()), Value(0))


def with_progress(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with the weights behind its progress: reached milestones over all that are not cancelled.

    Subqueries, not joins, so a filter on goals or members never counts a phase twice.
    """
    participants = (
        ProjectParticipant.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        weight_done=_phase_weight(Q(status=PHASE_DONE)),
        weight_total=_phase_weight(~Q(status=PHASE_CANCELLED)),
        participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), Value(0)),
    )


def project_list(*, params: Any = None) -> tuple["object", QuerySet[Project]]:
    """The public list: the filter and the matching projects, each with its owner and progress (one query)."""
    from ..filters import ProjectFilter

    qs = with_progress(Project.objects.select_related("owner")).order_by("title")
    found = ProjectFilter(params, queryset=qs)
    return found, found.qs


def project_public_get(*, slug: str) -> Project:
    """A project with what its public page shows: owner, lead, participants, partners, phases, goals and areas.

    A Nordic buyer dialogue's page shows other things (selectors.dialogues.dialogue_get): none are fetched."""
    project = (
        Project.objects.select_related(
            "owner", "lead", "decision__item__meeting__body", "handed_over_from", "handed_over_to"
        )
        .filter(slug=slug)
        .first()
    )
    if project is None:
        raise Http404
    if project.kind != Project.Kind.DIALOGUE:
        prefetch_related_objects(
            [project],
            Prefetch(
                "participants",
                queryset=ProjectParticipant.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            "partners",
            "phases",
            "goals",
            "product_areas",
        )
    return project


def can_manage(*, project: Project, user: "User | AnonymousUser") -> bool:
    """Whether the person runs the project's plan and status: the secretariat, or a representative of its owner."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    rep = user.representative_or_none
    return rep is not None and rep.organisation_id == project.owner_id


def project_for_manager(*, slug: str, user: "User | AnonymousUser") -> Project:
    """The project for its management page; 404 for anyone who does not manage it."""
    project = project_public_get(slug=slug)
    if not can_manage(project=project, user=user):
        raise Http404
    return project


def phase_for_manager(*, pk: int, user: "User | AnonymousUser") -> ProjectPhase:
    phase = ProjectPhase.objects.select_related("project").filter(pk=pk).first()
    if phase is None or not can_manage(project=phase.project, user=user):
        raise Http404
    return phase


def funding_for_manager(*, pk: int, user: "User | AnonymousUser") -> ProjectFunding:
    funding = ProjectFunding.objects.select_related("project").filter(pk=pk).first()
    if funding is None or not can_manage(project=funding.project, user=user):
        raise Http404
    return funding


def can_join(*, project: Project, user: "User | AnonymousUser") -> bool:
    """Whether the person's organisation may join: a member's representative, not yet taking part, project not ended."""
    if not user.is_authenticated or project.status in (Project.Status.COMPLETED, Project.Status.STOPPED):
        return False
    rep = user.representative_or_none
    return rep is not None and all(p.organisation_id != rep.organisation_id for p in project.participants.all())


def project_insider(*, project: Project, user: "User | AnonymousUser") -> bool:
    """Whether the person sees the project's inside (status reports): the secretariat or a participant's representative."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    rep = user.representative_or_none
    return rep is not None and any(p.organisation_id == rep.organisation_id for p in project.participants.all())


def project_for_insider(*, slug: str, user: "User | AnonymousUser") -> Project:
    project = project_public_get(slug=slug)
    if not project_insider(project=project, user=user):
        raise Http404
    return project


def status_reports_of(*, project: Project) -> list[ProjectStatusReport]:
    return list(project.status_reports.select_related("filed_by").order_by("-year", "-quarter"))


def report_quarters(*, project: Project, today: date) -> list[tuple[int, int]]:
    """The quarters a report can be filed for: from the project's start to the current one, newest first."""
    year, quarter = quarter_of(today)
    first = quarter_of(project.started_on or today)
    found: list[tuple[int, int]] = []
    while (year, quarter) >= first and len(found) < 40:
        found.append((year, quarter))
        year, quarter = previous_quarter(year, quarter)
    return found


def status_reports_overview(*, today: date) -> dict[str, Any]:
    """For the secretariat: each running project with its report for the quarter that ended and the current one,
    and which are missing or red (two queries)."""
    current = quarter_of(today)
    ended = previous_quarter(*current)
    reports = ProjectStatusReport.objects.filter(
        Q(year=current[0], quarter=current[1]) | Q(year=ended[0], quarter=ended[1])
    )
    projects = list(
        Project.objects.filter(status=Project.Status.RUNNING)
        .select_related("owner", "lead")
        .prefetch_related(Prefetch("status_reports", queryset=reports, to_attr="recent_reports"))
        .order_by("title")
    )
    rows = []
    for project in projects:
        by_quarter = {(r.year, r.quarter): r for r in project.recent_reports}
        ended_report = by_quarter.get(ended)
        # a project that started after the quarter ended owes no report for it
        owes_ended = project.started_on is None or project.started_on <= quarter_end(*ended)
        rows.append(
            {
                "project": project,
                "ended": ended_report,
                "current": by_quarter.get(current),
                "missing": owes_ended and ended_report is None,
                "red": any(r.is_red for r in project.recent_reports),
            }
        )
    return {
        "rows": rows,
        "current": current,
        "ended": ended,
        "missing": sum(r["missing"] for r in rows),
        "red": sum(r["red"] for r in rows),
    }


def financing_of(*, project: Project) -> dict[str, Any]:
    """The financing plan against the budget: secured (granted, the own share included), applied for, refused;
    the budget and spend of the phases not cancelled; the own share of what is secured; and whether the secured
    financing covers the budget (the page warns when it does not)."""
    sources = list(project.funding.all())
    phases = [p for p in project.phases.all() if p.status != PHASE_CANCELLED]
    granted = [f for f in sources if f.status == ProjectFunding.Status.GRANTED]
    secured = sum(f.amount_dkk for f in granted)
    own = sum(f.amount_dkk for f in granted if f.kind == ProjectFunding.Kind.OWN)
    budget = sum(p.budget_dkk or 0 for p in phases)
    return {
        "sources": sources,
        "phases": phases,
        "budget": budget,
        "spent": sum(p.spent_dkk or 0 for p in phases),
        "secured": secured,
        "applied": sum(f.amount_dkk for f in sources if f.status == ProjectFunding.Status.APPLIED),
        "own_share_percent": round(100 * own / secured) if secured else None,
        "gap": max(budget - secured, 0),
        "covered": secured >= budget,
    }
