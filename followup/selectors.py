"""Reads for the annual follow-up, scoped to who asks: a representative sees only their own organisation."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from goals.models import GoalVersion
from members.access import SECRETARIAT, roles_of
from members.models import User
from pogi import history

from .filters import ResponseFilter
from .models import GoalAnswer, ReminderLog, Response, Round
from .services import Missing, goal_missing, organisation_missing, round_members_missing


def rounds_list() -> QuerySet[Round]:
    return Round.objects.annotate(
        response_count=Count("responses"),
        submitted_count=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED)),
    ).order_by("-year")


def round_get(*, year: int) -> Round:
    return get_object_or_404(Round, year=year)


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


def round_overview(*, round: Round, params=None) -> tuple[ResponseFilter, QuerySet[Response], dict]:
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


def response_for_user(*, user: User, pk: int) -> Response:
    """A response the user may read: the secretariat any, a representative only their organisation's (else 404)."""
    queryset = Response.objects.select_related("round", "organisation", "last_saved_by", "submitted_by")
    if SECRETARIAT in roles_of(user):
        return get_object_or_404(queryset, pk=pk)
    rep = user.representative_or_none
    if rep is None:
        raise Http404
    return get_object_or_404(queryset, pk=pk, organisation_id=rep.organisation_id)


def responses_for_user(*, user: User) -> QuerySet[Response]:
    """The user's organisation's responses, this year's and earlier years' (none for others)."""
    rep = user.representative_or_none
    if rep is None:
        return Response.objects.none()
    return (
        Response.objects.filter(organisation_id=rep.organisation_id)
        .exclude(round__status=Round.Status.DRAFT)
        .select_related("round", "organisation", "submitted_by")
        .order_by("-round__year")
    )


def open_response_for_user(*, user: User) -> Response | None:
    """The user's organisation's response in the open round, if there is one."""
    rep = user.representative_or_none
    if rep is None:
        return None
    return (
        Response.objects.filter(organisation_id=rep.organisation_id, round__status=Round.Status.OPEN)
        .select_related("round")
        .first()
    )


def response_answers(*, response: Response) -> dict[int, GoalAnswer]:
    return {a.goal_version_id: a for a in response.answers.select_related("saved_by")}


def goal_version_in_round(*, round: Round, number: int) -> GoalVersion:
    version = round.goal_versions.select_related("goal").filter(goal__number=number).first()
    if version is None:
        raise Http404
    return version


def previous_response(*, response: Response) -> Response | None:
    """The organisation's response in the latest earlier round."""
    return (
        Response.objects.filter(organisation_id=response.organisation_id, round__year__lt=response.round.year)
        .order_by("-round__year")
        .select_related("round")
        .first()
    )


def previous_goal_answer(*, response: Response, version: GoalVersion) -> GoalAnswer | None:
    """Last year's answer about the same goal (whatever version it was asked in)."""
    return (
        GoalAnswer.objects.filter(
            response__organisation_id=response.organisation_id,
            response__round__year__lt=response.round.year,
            goal_version__goal_id=version.goal_id,
        )
        .order_by("-response__round__year")
        .first()
    )


def task_list(*, response: Response) -> dict:
    """The sections of the questionnaire and how far each is: not started, in progress, completed."""
    versions = round_goal_versions(round=response.round)
    answers = response_answers(response=response)
    sections = []
    org_missing = organisation_missing(response)
    org_started = response.organisation_version > 0
    sections.append(
        {
            "key": "organisation",
            "title": None,
            "state": "completed"
            if org_started and not org_missing
            else ("in_progress" if org_started else "not_started"),
        }
    )
    missing: list[Missing] = list(org_missing)
    for version in versions:
        answer = answers.get(version.pk)
        goal_missing_list = goal_missing(version, answer)
        missing.extend(goal_missing_list)
        started = answer is not None
        sections.append(
            {
                "key": version.goal.number,
                "version": version,
                "answer": answer,
                "state": "completed"
                if started and not goal_missing_list
                else ("in_progress" if started else "not_started"),
            }
        )
    return {
        "sections": sections,
        "completed": sum(1 for s in sections if s["state"] == "completed"),
        "missing": missing,
        "versions": versions,
        "answers": answers,
    }


def response_summary(*, response: Response) -> dict:
    """Everything the check page, the receipt and the PDF show."""
    tasks = task_list(response=response)
    return {
        "response": response,
        "round": response.round,
        "organisation": response.organisation,
        "goals": [(v, tasks["answers"].get(v.pk)) for v in tasks["versions"]],
        "missing": tasks["missing"],
        "tasks": tasks,
    }


def response_audit_trail(*, response: Response, limit: int = 50) -> list[dict]:
    answers = GoalAnswer.history.filter(response_id=response.pk).select_related("history_user", "goal_version__goal")
    return history.entries(
        [
            (Response.history.filter(id=response.pk).select_related("history_user"), lambda r: ""),
            (answers, lambda r: f"{r.goal_version.goal.number} {r.goal_version.title}"),
        ],
        limit=limit,
    )
