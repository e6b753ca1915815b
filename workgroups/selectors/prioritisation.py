"""Reads for the prioritisation of POGI Lab proposals: the weights, the ranked list and the meetings it can go to.

How a proposal's total score is made (the page shows the same formula):

    CO2 score   = 1 + 4 * potential / the largest potential among the candidates
                  (1 for every proposal when no candidate has a potential above 0)
    total score = (w_CO2 * CO2 score + w_scalability * scalability + w_relevance * relevance)
                  / (w_CO2 + w_scalability + w_relevance)

Every score is from 1 to 5, so the total is too. The candidates are the Lab projects that are proposed or
prioritised. A score whose weight is 0 does not count, and is not needed; a proposal without a score that counts is
listed after the ranked ones, with what it is missing. Equal totals (to two decimals) share a rank.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem, Body, Meeting, PrioritisationWeights, Project

CANDIDATE_STATUSES = (Project.Status.PROPOSED, Project.Status.PRIORITISED)
SCORE_MIN, SCORE_MAX = 1, 5
CENT = Decimal("0.01")
MISSING_LABELS: dict[str, Promise] = {
    "co2": _("CO2 reduction potential"),
    "scalability": _("scalability"),
    "relevance": _("relevance"),
}
AGENDA_MEETINGS_SHOWN = 20


@dataclass(frozen=True)
class RankedProposal:
    """A candidate with its CO2 score (normalised to 1 to 5), its total score and rank, or what it is missing."""

    project: Project
    co2_score: Decimal | None
    total: Decimal | None
    rank: int | None
    missing: tuple[str, ...]

    @property
    def missing_labels(self) -> list[str]:
        return [str(MISSING_LABELS[name]) for name in self.missing]

    @property
    def bar_percent(self) -> Decimal:
        """The total as a share of the scale's top (5), for the chart's bar."""
        return (100 * (self.total or Decimal(0)) / SCORE_MAX).quantize(CENT)

    @property
    def pending_items(self) -> list[AgendaItem]:
        """The agenda items on the project that wait for a decision (prefetched by ranking)."""
        return list(getattr(self.project, "pending_items", []))


@dataclass(frozen=True)
class Ranking:
    weights: PrioritisationWeights
    rows: list[RankedProposal]
    largest_potential: Decimal | None

    @property
    def ranked(self) -> list[RankedProposal]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def unscored(self) -> list[RankedProposal]:
        return [row for row in self.rows if row.rank is None]

    @property
    def weight_total(self) -> int:
        return self.weights.co2 + self.weights.scalability + self.weights.relevance


def prioritisation_weights() -> PrioritisationWeights:
    """The weights in force: the one stored row, or the defaults (CO2 2, scalability 1, relevance 1) before any."""
    return PrioritisationWeights.objects.select_related("updated_by").order_by("pk").first() or PrioritisationWeights()


def co2_score(potential: Decimal | None, largest: Decimal | None) -> Decimal | None:
    """A CO2 reduction potential on the scale from 1 to 5, against the largest potential among the candidates."""
    if potential is None:
        return None
    if not largest:
        return Decimal(SCORE_MIN)
    return SCORE_MIN + (SCORE_MAX - SCORE_MIN) * potential / largest


def _score(project: Project, weights: PrioritisationWeights, largest: Decimal | None) -> RankedProposal:
    co2 = co2_score(project.co2_potential_tonnes, largest)
    parts = {
        "co2": (weights.co2, co2),
        "scalability": (weights.scalability, project.scalability),
        "relevance": (weights.relevance, project.relevance),
    }
    missing = tuple(name for name, (weight, value) in parts.items() if weight and value is None)
    weight_total = sum(weight for weight, _value in parts.values())
    total = None
    if not missing and weight_total:
        weighted = sum((Decimal(weight) * Decimal(value or 0) for weight, value in parts.values()), Decimal(0))
        total = (weighted / weight_total).quantize(CENT, rounding=ROUND_HALF_UP)
    return RankedProposal(
        project=project,
        co2_score=co2.quantize(CENT, rounding=ROUND_HALF_UP) if co2 is not None else None,
        total=total,
        rank=None,
        missing=missing,
    )


def ranking() -> Ranking:
    """The Lab proposals (proposed or prioritised), best total first, then those missing scores by title; each with
    its owner and the agenda items that wait for a decision on it. Three queries, whatever the number."""
    weights = prioritisation_weights()
    pending = (
        AgendaItem.objects.filter(decision__isnull=True).select_related("meeting__body").order_by("meeting__starts_at")
    )
    projects = list(
        Project.objects.filter(track=Project.Track.LAB, status__in=CANDIDATE_STATUSES)
        .select_related("owner")
        .prefetch_related(Prefetch("agenda_items", queryset=pending, to_attr="pending_items"))
        .order_by("title", "pk")
    )
    potentials = [p.co2_potential_tonnes for p in projects if p.co2_potential_tonnes is not None]
    largest = max(potentials) if potentials else None
    scored = [_score(project, weights, largest) for project in projects]
    ranked = sorted((r for r in scored if r.total is not None), key=lambda r: -(r.total or 0))  # stable: by title
    rows: list[RankedProposal] = []
    for position, row in enumerate(ranked, start=1):
        rank = rows[-1].rank if rows and rows[-1].total == row.total else position
        rows.append(
            RankedProposal(project=row.project, co2_score=row.co2_score, total=row.total, rank=rank, missing=())
        )
    rows.extend(r for r in scored if r.total is None)
    return Ranking(weights=weights, rows=rows, largest_potential=largest)


def agenda_meetings(*, now: datetime | None = None) -> list[Meeting]:
    """The meetings of POGI Lab and the Council still to come whose agenda is open, the next one first."""
    return list(
        Meeting.objects.filter(
            body__kind__in=[Body.Kind.LAB, Body.Kind.COUNCIL],
            starts_at__gt=now or timezone.now(),
            minutes_approved_at__isnull=True,
        )
        .select_related("body")
        .order_by("starts_at", "pk")[:AGENDA_MEETINGS_SHOWN]
    )


def agenda_choice(*, ranked: Ranking, meeting: Meeting, count: int) -> list[Project]:
    """The top-ranked proposals for a meeting: at the Council only prioritised ones, which it can approve."""
    rows = ranked.ranked
    if meeting.body.kind == Body.Kind.COUNCIL:
        rows = [row for row in rows if row.project.status == Project.Status.PRIORITISED]
    return [row.project for row in rows[:count]]
