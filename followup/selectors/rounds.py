"""Reads for follow-up rounds: the list, one round, the goals it asks about, the secretariat's overview."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import history
from goals.models import GoalVersion
from members.models import Membership

from ..filters import ResponseFilter
from ..models import ReminderLog, Response, Round


def rounds_list() -> QuerySet[Round]:
    return Round.objects.annotate(
        response_count=Count("responses"),
        submitted_count=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED)),
    ).order_by("-year")


def rounds_dated_between(*, start: date, end: date) -> list[Round]:
    """The rounds that open or have their deadline on a day from ``start`` until (not including) ``end``, with the
    moment each last changed: the dates the year wheel shows (a round being prepared with its planned dates)."""
    changed = Round.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
    return list(
        Round.objects.filter(Q(opens_on__gte=start, opens_on__lt=end) | Q(deadline__gte=start, deadline__lt=end))
        .only("pk", "year", "opens_on", "deadline", "status")
        .annotate(changed_at=Subquery(changed[:1]))
        .order_by("opens_on")
    )


def round_get(*, year: int) -> Round:
    return get_object_or_404(Round.objects.select_related("closed_by", "reopened_by"), year=year)


def _round_versions(round_: Round) -> QuerySet[GoalVersion]:
    # The questionnaire needs titles and statements, not the search index or the long notes.
    return round_.goal_versions.select_related("goal").defer(
        "search_document", "scope", "transition_note", "change_note"
    )


def round_goal_versions(*, round: Round) -> list[GoalVersion]:
    return list(_round_versions(round).order_by("goal__number"))


def round_goal_numbers(*, round: Round) -> list[int]:
    """The numbers of the goals the round asks about, in order: the questionnaire's sections."""
    return list(round.goal_versions.order_by("goal__number").values_list("goal__number", flat=True))


def round_goal_version(*, round: Round, number: int) -> GoalVersion:
    """The version of goal ``number`` the round asks about (404 if it asks about no such goal)."""
    version = _round_versions(round).filter(goal__number=number).first()
    if version is None:
        raise Http404
    return version


def round_overview(
    *, round: Round, params: Mapping[str, Any] | None = None
) -> tuple[ResponseFilter, QuerySet[Response], dict[str, Any]]:
    """The round's responses, filtered and sorted, and the counts per status (whole round)."""
    counts = round.responses.aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in Response.Status.values},
    )
    counts["rate"] = (100 * counts["submitted"] + counts["total"] // 2) // counts["total"] if counts["total"] else 0
    # The last reminder as a subquery, not a join and GROUP BY over every response of the round: PostgreSQL
    # then looks it up for the page's rows only, after sorting and LIMIT.
    last_reminder = (
        ReminderLog.objects.filter(response=OuterRef("pk"))
        .exclude(step="invitation")
        .exclude(step__startswith="receipt")
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    queryset = (
        round.responses.select_related("organisation", "last_saved_by", "submitted_by")
        .annotate(last_reminded=Subquery(last_reminder))
        .order_by("organisation__name")
    )
    response_filter = ResponseFilter(params, queryset=queryset)
    counts["missing"] = round_members_missing(round=round)
    return response_filter, response_filter.qs, counts


def default_goal_versions(*, on: date) -> list[GoalVersion]:
    """The goal versions in force on a date: per goal, the latest published (or since superseded) version in effect."""
    in_force: dict[int, GoalVersion] = {}
    candidates = GoalVersion.objects.filter(
        status__in=[GoalVersion.Status.PUBLISHED, GoalVersion.Status.SUPERSEDED], effective_date__lte=on
    ).order_by("goal_id", "effective_date", "number")
    for version in candidates:
        in_force[version.goal_id] = version
    return list(in_force.values())


def round_members_to_invite(*, round: Round) -> int:
    """Active members with no response in the round: those opening it (or adding members) gives one and invites."""
    return (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .exclude(organisation_id__in=round.responses.values_list("organisation_id", flat=True))
        .count()
    )


def round_members_missing(*, round: Round) -> int:
    """Active members that joined after the round opened and have no response in it."""
    if round.status != Round.Status.OPEN:
        return 0
    return round_members_to_invite(round=round)


def round_unsubmitted_count(*, round: Round) -> int:
    """Responses not submitted whose answering depends on the round being open (a reopened one does not)."""
    return round.responses.filter(status__in=[Response.Status.NOT_STARTED, Response.Status.DRAFT]).count()


def round_audit_trail(*, round: Round, limit: int = 50) -> list[dict[str, Any]]:
    """Who opened, changed, closed and reopened the round, and why: one query."""
    return history.entries(
        [(Round.history.filter(id=round.pk).select_related("history_user"), lambda r: "")], limit=limit
    )


def other_open_round(*, round: Round) -> Round | None:
    """The round that is open, if it is another one (one round is open at a time)."""
    return Round.objects.filter(status=Round.Status.OPEN).exclude(pk=round.pk).first()
