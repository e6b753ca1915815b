"""Reads for members' responses, scoped to the user who may see them (404 otherwise), and the questionnaire's task list."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import history
from goals.models import GoalVersion
from members.access import SECRETARIAT, roles_of
from members.models import Representative, User

from ..completeness import Missing, goal_missing, organisation_missing
from ..models import GoalAnswer, Response, Round
from .rounds import round_goal_versions


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


def task_list(*, response: Response) -> dict[str, Any]:
    """The sections of the questionnaire and how far each is: not started, in progress, completed."""
    versions = round_goal_versions(round=response.round)
    answers = response_answers(response=response)
    sections: list[dict[str, Any]] = []
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


def response_summary(*, response: Response) -> dict[str, Any]:
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


def response_audit_trail(*, response: Response, limit: int = 50) -> list[dict[str, Any]]:
    answers = GoalAnswer.history.filter(response_id=response.pk).select_related("history_user", "goal_version__goal")
    return history.entries(
        [
            (Response.history.filter(id=response.pk).select_related("history_user"), lambda r: ""),
            (answers, lambda r: f"{r.goal_version.goal.number} {r.goal_version.title}"),
        ],
        limit=limit,
    )


def response_recipients(*, responses: Iterable[Response]) -> list[tuple[Response, User]]:
    """The primary representative and the deputy of each response's organisation."""
    responses = list(responses)
    by_org = {r.organisation_id: r for r in responses}
    reps = Representative.objects.filter(
        organisation_id__in=by_org,
        position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
    ).select_related("user")
    return [(by_org[rep.organisation_id], rep.user) for rep in reps if rep.user.is_active and rep.user.email]
