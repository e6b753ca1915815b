"""The annual report's figures, aggregated in SQL: one selector feeds the web overview, the PDF and the CSV.

Only submitted responses count. The figures never name a member: the only
per-member listing is the secretariat's annex (``annex_rows``), which is never
published. Every query here groups in the database; Python only combines the
few aggregated rows (one per goal, one per goal and year).
"""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, is_dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum

from core.translated import Reader

from ..models import GoalAnswer, Report, ReportQuote, Response, Round

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from goals.models import GoalVersion

# Changing what the report shows changes this, so a report rendered by older code is rendered again.
REPORT_FORMAT = 4
PROBLEM_AREA_SIZE = 5
# Below this response rate the report says that its figures speak for few of the members.
LOW_RESPONSE_RATE = Decimal(50)
STATUSES = [status for status, _label in GoalAnswer.Status.choices]


def share(part: int | None, whole: int | None) -> Decimal | None:
    """`part` of `whole` in per cent with one decimal, rounded half up; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class TrendPoint:
    year: int
    completed: int
    with_criteria: int
    share: Decimal | None


@dataclass
class GoalFigures:
    goal_id: int
    number: int
    title: str
    slug: str
    title_en: str = ""  # the English title beside the adopted Danish one; may be empty
    respondents: int = 0
    completed: int = 0
    with_criteria: int = 0
    share: Decimal | None = None
    volume_dkk: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    challenges: int = 0
    trend: list[TrendPoint] = field(default_factory=list)
    previous_share: Decimal | None = None
    change: Decimal | None = None
    quotes: list[str] = field(default_factory=list)

    @property
    def tr(self) -> Reader:
        """``g.tr.title``: the title in the reader's language, the Danish one where there is no English."""
        return Reader(self)

    @property
    def status_rows(self) -> list[tuple[str, "StrOrPromise", int, Decimal | None]]:
        total = sum(self.statuses.values())
        labels = dict(GoalAnswer.Status.choices)
        return [(s, labels[s], self.statuses.get(s, 0), share(self.statuses.get(s, 0), total)) for s in STATUSES]


@dataclass
class ReportData:
    year: int
    members: int
    respondents: int
    response_rate: Decimal | None
    volume_answered_dkk: int
    volume_answered_count: int
    volume_average_dkk: int | None
    volume_profile_dkk: int
    volume_profile_count: int
    volume_averaged_count: int
    volume_estimated_dkk: int
    volume_total_dkk: int
    completed: int
    with_criteria: int
    share: Decimal | None
    years: list[int]
    previous_year: int | None
    goals: list[GoalFigures]
    lowest_uptake: list[GoalFigures]
    largest_drop: list[GoalFigures]
    most_challenges: list[GoalFigures]
    deadline: date | None = None
    closed_on: date | None = None  # the day the round closed; None while it is open
    closed_early: bool = False  # closed on a day before its deadline
    low_response: bool = False  # fewer than LOW_RESPONSE_RATE per cent of the members submitted

    def as_json(self) -> str:
        """The figures as canonical JSON: what the data hash is computed from."""

        def plain(value: object) -> object:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if is_dataclass(value):
                return vars(value)  # as asdict() gives, without its deep copies (a third of a report page's time)
            raise TypeError(type(value))

        body = dict(vars(self))
        for key in ("lowest_uptake", "largest_drop", "most_challenges"):
            body[key] = [g.number for g in getattr(self, key)]
        return json.dumps(body, default=plain, sort_keys=True, ensure_ascii=False)


def _summary(round_: Round) -> dict[str, Any]:
    """Members, respondents and the purchasing volume: answered, and estimated for the rest."""
    answered = Q(status=Response.Status.SUBMITTED, total_volume_dkk__isnull=False)
    others = ~answered
    row = round_.responses.aggregate(
        members=Count("id"),
        respondents=Count("id", filter=Q(status=Response.Status.SUBMITTED)),
        volume_answered=Sum("total_volume_dkk", filter=answered),
        volume_answered_count=Count("id", filter=answered),
        volume_profile=Sum("organisation__purchasing_volume_dkk", filter=others),
        volume_profile_count=Count("id", filter=others & Q(organisation__purchasing_volume_dkk__isnull=False)),
        others=Count("id", filter=others),
    )
    volume_answered = row["volume_answered"] or 0
    average = (
        _half_up(Decimal(volume_answered) / row["volume_answered_count"]) if row["volume_answered_count"] else None
    )
    averaged = row["others"] - row["volume_profile_count"]
    estimated = (row["volume_profile"] or 0) + averaged * (average or 0)
    return {
        "members": row["members"],
        "respondents": row["respondents"],
        "response_rate": share(row["respondents"], row["members"]),
        "volume_answered_dkk": volume_answered,
        "volume_answered_count": row["volume_answered_count"],
        "volume_average_dkk": average,
        "volume_profile_dkk": row["volume_profile"] or 0,
        "volume_profile_count": row["volume_profile_count"],
        "volume_averaged_count": averaged,
        "volume_estimated_dkk": estimated,
        "volume_total_dkk": volume_answered + estimated,
    }


def _submitted_answers() -> QuerySet[GoalAnswer]:
    return GoalAnswer.objects.filter(response__status=Response.Status.SUBMITTED)


def _goal_rows(round_: Round) -> dict[int, Mapping[str, Any]]:
    """Per goal version asked in the round: one GROUP BY over the submitted answers."""
    rows = (
        _submitted_answers()
        .filter(response__round=round_)
        .values("goal_version_id")
        .annotate(
            respondents=Count("id", filter=~Q(status="")),
            completed=Sum("tenders_completed"),
            with_criteria=Sum("tenders_with_criteria"),
            volume=Sum("volume_dkk"),
            # A substantive answer only: the member said yes to "Did you meet challenges?".
            challenges=Count("id", filter=Q(challenges_met=True)),
            **{f"status_{s}": Count("id", filter=Q(status=s)) for s in STATUSES},
        )
        .order_by()
    )
    return {row["goal_version_id"]: row for row in rows}


def _trend_rows(round_: Round, goal_ids: list[int]) -> dict[tuple[int, int], Mapping[str, Any]]:
    """Per goal (whatever version was asked) and round up to this one: one GROUP BY."""
    rows = (
        _submitted_answers()
        .filter(response__round__year__lte=round_.year, goal_version__goal_id__in=goal_ids)
        .values("response__round__year", "goal_version__goal_id")
        .annotate(completed=Sum("tenders_completed"), with_criteria=Sum("tenders_with_criteria"))
        .order_by()
    )
    return {(row["goal_version__goal_id"], row["response__round__year"]): row for row in rows}


ANSWER_FIGURES_SECONDS = 7 * 24 * 60 * 60


def _submitted_fingerprint(round_: Round) -> str:
    """What the answer figures of a round depend on: the submitted responses of it and the rounds before.

    Every change to an answer goes through followup.services, which raises its
    response's version; reopening takes a response out of the submitted ones and
    submitting again raises the version once more. So the count, the sums of
    ids and versions and the latest submission change whenever a figure can.
    """
    row = Response.objects.filter(status=Response.Status.SUBMITTED, round__year__lte=round_.year).aggregate(
        n=Count("id"), ids=Sum("id"), versions=Sum("version"), last=Max("submitted_at")
    )
    last = row["last"].isoformat() if row["last"] else "-"
    return f"{row['n']}:{row['ids'] or 0}:{row['versions'] or 0}:{last}"


def _answer_figures(
    round_: Round, versions: "list[GoalVersion]"
) -> tuple[dict[int, Mapping[str, Any]], dict[tuple[int, int], Mapping[str, Any]]]:
    """The two GROUP BYs over the answers (most of the time of a report at scale), cached by what they read."""
    fingerprint = _submitted_fingerprint(round_)
    asked = ",".join(str(v.pk) for v in versions)
    key = "report-figures:" + hashlib.sha256(f"{round_.pk}|{asked}|{fingerprint}".encode()).hexdigest()
    figures: tuple[dict[int, Mapping[str, Any]], dict[tuple[int, int], Mapping[str, Any]]] | None = cache.get(key)
    if figures is None:
        figures = (_goal_rows(round_), _trend_rows(round_, [v.goal_id for v in versions]))
        cache.set(key, figures, ANSWER_FIGURES_SECONDS)
    return figures


def report_data(*, round: Round) -> ReportData:
    """Every figure of the report for a round, in a constant number of queries.

    Five when the answer figures are cached (their fingerprint, the summary, the
    goal versions, the rounds and the quotes), seven when they are computed.
    """
    summary = _summary(round)
    versions = list(round.goal_versions.select_related("goal").order_by("goal__number"))
    by_version, trend = _answer_figures(round, versions)
    years = list(Round.objects.filter(year__lte=round.year).order_by("year").values_list("year", flat=True))
    previous_year = years[-2] if len(years) > 1 else None
    quotes: dict[int, list[str]] = {}
    for goal_id, text in (
        ReportQuote.objects.filter(round=round).order_by("goal_id", "position", "pk").values_list("goal_id", "text")
    ):
        quotes.setdefault(goal_id, []).append(text)

    goals = []
    for version in versions:
        row = by_version.get(version.pk, {})
        figures = GoalFigures(
            goal_id=version.goal_id,
            number=version.goal.number,
            title=version.title,
            title_en=version.title_en,
            slug=version.goal.slug,
            respondents=row.get("respondents", 0),
            completed=row.get("completed") or 0,
            with_criteria=row.get("with_criteria") or 0,
            volume_dkk=row.get("volume") or 0,
            statuses={s: row.get(f"status_{s}", 0) for s in STATUSES},
            challenges=row.get("challenges", 0),
            quotes=quotes.get(version.goal_id, []),
        )
        figures.share = share(figures.with_criteria, figures.completed)
        for year in years:
            point = trend.get((version.goal_id, year))
            if point is not None:
                completed = point["completed"] or 0
                with_criteria = point["with_criteria"] or 0
                figures.trend.append(TrendPoint(year, completed, with_criteria, share(with_criteria, completed)))
        previous = trend.get((version.goal_id, previous_year)) if previous_year else None
        if previous is not None:
            figures.previous_share = share(previous["with_criteria"], previous["completed"])
        if figures.share is not None and figures.previous_share is not None:
            figures.change = figures.share - figures.previous_share
        goals.append(figures)

    completed = sum(g.completed for g in goals)
    with_criteria = sum(g.with_criteria for g in goals)
    measured = [g for g in goals if g.share is not None]
    return ReportData(
        year=round.year,
        **summary,
        completed=completed,
        with_criteria=with_criteria,
        share=share(with_criteria, completed),
        years=years,
        previous_year=previous_year,
        goals=goals,
        lowest_uptake=sorted(measured, key=lambda g: (g.share, g.number))[:PROBLEM_AREA_SIZE],
        largest_drop=sorted(
            (g for g in measured if g.change is not None and g.change < 0), key=lambda g: (g.change, g.number)
        )[:PROBLEM_AREA_SIZE],
        most_challenges=sorted((g for g in goals if g.challenges), key=lambda g: (-g.challenges, g.number))[
            :PROBLEM_AREA_SIZE
        ],
        deadline=round.deadline,
        closed_on=round.closed_on if round.status == Round.Status.CLOSED else None,
        closed_early=round.status == Round.Status.CLOSED and round.closed_early,
        low_response=summary["response_rate"] is not None and summary["response_rate"] < LOW_RESPONSE_RATE,
    )


def report_data_hash(*, data: ReportData, kind: str, language: str) -> str:
    """What a rendered PDF depends on: the figures (or, for the annex, the answers), the language and the format."""
    digest = hashlib.sha256(f"{REPORT_FORMAT}|{kind}|{language}|".encode())
    digest.update(data.as_json().encode())
    return digest.hexdigest()


def annex_data_hash(*, round: Round, language: str) -> str:
    """The annex lists every answer: its hash changes whenever any response or answer in the round is saved."""
    responses = round.responses.aggregate(
        count=Count("id"),
        versions=Sum("version"),
        submitted=Count("id", filter=Q(status=Response.Status.SUBMITTED)),
    )
    answers = GoalAnswer.objects.filter(response__round=round).aggregate(count=Count("id"), versions=Sum("version"))
    digest = hashlib.sha256(f"{REPORT_FORMAT}|annex|{language}|".encode())
    digest.update(json.dumps([responses, answers], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def annex_rows(*, round: Round) -> Iterator[tuple[Any, ...]]:
    """Each member's answers, member by member: for the secretariat's annex only, streamed from the database."""
    response_labels = dict(Response.Status.choices)
    answer_labels = dict(GoalAnswer.Status.choices)
    rows = (
        GoalAnswer.objects.filter(response__round=round)
        .order_by("response__organisation__name", "response__organisation_id", "goal_version__goal__number")
        .values_list(
            "response__organisation__name",
            "response__status",
            "goal_version__goal__number",
            "tenders_completed",
            "tenders_with_criteria",
            "volume_dkk",
            "status",
            "challenges",
        )
        .iterator(chunk_size=2000)
    )
    for name, response_status, number, completed, with_criteria, volume, status, challenges in rows:
        yield (
            name,
            response_labels.get(response_status, response_status),
            number,
            completed,
            with_criteria,
            volume,
            answer_labels.get(status, ""),
            challenges,
        )


def quote_count(*, round: Round) -> int:
    return ReportQuote.objects.filter(round=round).count()


def quotes_for_goal(*, round: Round, goal_id: int) -> list[ReportQuote]:
    """The quotes chosen for one goal, in the order the report shows them."""
    return list(ReportQuote.objects.filter(round=round, goal_id=goal_id).order_by("position", "pk"))


def reports_for_round(*, round: Round) -> dict[tuple[str, str], Report]:
    return {(r.kind, r.language): r for r in round.reports.select_related("requested_by", "published_by")}


def reports_published() -> QuerySet[Report]:
    """The published reports for the public list, newest year first."""
    return (
        Report.objects.filter(kind=Report.Kind.REPORT, published_at__isnull=False)
        .select_related("round")
        .order_by("-round__year", "language")
    )


def quote_candidates(*, round: Round, number: int) -> QuerySet[GoalAnswer]:
    """The challenges members reported about one goal in the round, for the secretariat to choose from."""
    return (
        _submitted_answers()
        .filter(response__round=round, goal_version__goal__number=number, challenges_met=True)
        .exclude(challenges="")
        .select_related("response__organisation")
        .order_by("response__organisation__name")
    )


def report_table(*, data: ReportData, table: str) -> tuple[list[str], list[list[Any]]]:
    """One of the report's tables as columns and rows, for the CSV download."""
    if table == "summary":
        keys = [
            "members",
            "respondents",
            "response_rate",
            "volume_answered_dkk",
            "volume_answered_count",
            "volume_average_dkk",
            "volume_profile_dkk",
            "volume_profile_count",
            "volume_averaged_count",
            "volume_estimated_dkk",
            "volume_total_dkk",
            "completed",
            "with_criteria",
            "share",
        ]
        return ["year", "figure", "value"], [[data.year, key, getattr(data, key)] for key in keys]
    if table == "goals":
        columns = [
            "year",
            "goal",
            "title",
            "respondents",
            "tenders_completed",
            "tenders_with_criteria",
            "share_percent",
            "previous_share_percent",
            "change_points",
            "volume_dkk",
            *[f"status_{s}" for s in STATUSES],
            "members_reporting_challenges",
        ]
        rows = [
            [
                data.year,
                g.number,
                g.title,
                g.respondents,
                g.completed,
                g.with_criteria,
                g.share,
                g.previous_share,
                g.change,
                g.volume_dkk,
                *[g.statuses.get(s, 0) for s in STATUSES],
                g.challenges,
            ]
            for g in data.goals
        ]
        return columns, rows
    columns = ["goal", "title", "year", "tenders_completed", "tenders_with_criteria", "share_percent"]
    rows = [[g.number, g.title, p.year, p.completed, p.with_criteria, p.share] for g in data.goals for p in g.trend]
    return columns, rows
