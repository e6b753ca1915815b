"""Reads for a project's risk register and stakeholder table: the register by score, the four-by-four risk matrix and the
stakeholder table with the activities as rows and the stakeholders as columns.

Only the project's participants and the secretariat see them (never the public); only its managers change them.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from members.models import User

from ..models import Project, ProjectRisk, ProjectStakeholder
from .projects import can_manage, project_insider

SCALE = ProjectRisk.SCALE
# The colour bands of a score (probability times consequence): low 1 to 3, medium 4 to 8, high 9 to 16.
LOW_MAX = 3
MEDIUM_MAX = 8


def risk_level(score: int) -> str:
    """The band of a score: "low", "medium" or "high"."""
    if score <= LOW_MAX:
        return "low"
    return "medium" if score <= MEDIUM_MAX else "high"


@dataclass(frozen=True)
class RegisterRisk:
    """A risk with its number in the register (R1, R2, … in the order they were entered)."""

    risk: ProjectRisk
    number: int

    @property
    def score(self) -> int:
        return self.risk.score

    @property
    def level(self) -> str:
        return risk_level(self.score)


@dataclass(frozen=True)
class MatrixCell:
    probability: int
    consequence: int
    risks: list[RegisterRisk] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    @property
    def level(self) -> str:
        return risk_level(self.score)


@dataclass(frozen=True)
class MatrixRow:
    consequence: int
    cells: list[MatrixCell]


@dataclass(frozen=True)
class StakeholderRow:
    activity: str
    cells: list[ProjectStakeholder | None]


@dataclass(frozen=True)
class StakeholderTable:
    stakeholders: list[str]
    rows: list[StakeholderRow]
    entries: list[ProjectStakeholder]


def project_for_plan(*, slug: str, user: "User | AnonymousUser") -> Project:
    """The project for its risks and stakeholders page (two queries); 404 for anyone but its participants and the
    secretariat."""
    project = Project.objects.select_related("owner").prefetch_related("participants").filter(slug=slug).first()
    if project is None or not project_insider(project=project, user=user):
        raise Http404
    return project


def risk_register(*, project: Project) -> list[RegisterRisk]:
    """The register, highest score first (then by number), each risk numbered in the order it was entered
    (one query)."""
    risks = list(ProjectRisk.objects.filter(project=project).order_by("pk"))
    numbered = [RegisterRisk(risk=risk, number=n) for n, risk in enumerate(risks, start=1)]
    return sorted(numbered, key=lambda r: (-r.score, r.number))


def risk_matrix(*, register: list[RegisterRisk]) -> list[MatrixRow]:
    """The four-by-four matrix of a register: rows by consequence from 4 down to 1, columns by probability from 1 to 4,
    each cell with its risks by number."""
    cells = {(p, c): MatrixCell(probability=p, consequence=c) for p in SCALE for c in SCALE}
    for entry in sorted(register, key=lambda r: r.number):
        cells[(entry.risk.probability, entry.risk.consequence)].risks.append(entry)
    return [MatrixRow(consequence=c, cells=[cells[(p, c)] for p in SCALE]) for c in reversed(SCALE)]


def stakeholder_table(*, project: Project) -> StakeholderTable:
    """The stakeholder table (one query): the activities as rows and the stakeholders as columns, each in the
    order it was first entered; a cell is the entry (H, D or I) or None where the stakeholder has no part."""
    entries = list(ProjectStakeholder.objects.filter(project=project).order_by("pk"))
    row_of = {a: n for n, a in enumerate(dict.fromkeys(e.activity for e in entries))}
    column_of = {s: n for n, s in enumerate(dict.fromkeys(e.stakeholder for e in entries))}
    stakeholders = list(column_of)
    found = {(e.activity, e.stakeholder): e for e in entries}
    rows = [StakeholderRow(activity=a, cells=[found.get((a, s)) for s in stakeholders]) for a in row_of]
    ordered = sorted(entries, key=lambda e: (row_of[e.activity], column_of[e.stakeholder]))
    return StakeholderTable(stakeholders=stakeholders, rows=rows, entries=ordered)


def risk_for_manager(*, slug: str, pk: int, user: "User | AnonymousUser") -> ProjectRisk:
    """A risk of the project at the address, for its managers; 404 for anyone else or another project's risk."""
    risk = ProjectRisk.objects.select_related("project").filter(pk=pk, project__slug=slug).first()
    if risk is None or not can_manage(project=risk.project, user=user):
        raise Http404
    return risk


def stakeholder_for_manager(*, slug: str, pk: int, user: "User | AnonymousUser") -> ProjectStakeholder:
    """An entry of the project's stakeholder table, for its managers; 404 for anyone else or another project's."""
    entry = ProjectStakeholder.objects.select_related("project").filter(pk=pk, project__slug=slug).first()
    if entry is None or not can_manage(project=entry.project, user=user):
        raise Http404
    return entry
