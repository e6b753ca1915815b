"""Reads for hearings: the member's and the public's hearing pages, responses, the hearing memo, who is notified."""

from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from goals.models import Criterion, GoalVersion
from members.models import Membership

from ..models import (
    Hearing,
    HearingResponse,
)


def hearing_for_member(*, pk: int) -> Hearing:
    """An internal hearing, for member representatives and the secretariat (access checked by the view's rule)."""
    return _hearing(Hearing.objects.filter(pk=pk))


def hearing_for_public(*, token: UUID) -> Hearing:
    """An industry hearing reached through its public link."""
    return _hearing(Hearing.objects.filter(token=token, kind=Hearing.Kind.INDUSTRY))


def _hearing(qs: QuerySet[Hearing]) -> Hearing:
    hearing = (
        qs.select_related("version", "version__goal")
        .prefetch_related(Prefetch("version__criteria", queryset=Criterion.objects.order_by("position", "number")))
        .first()
    )
    if hearing is None:
        raise Http404
    return hearing


def published_responses(*, hearing: Hearing) -> QuerySet[HearingResponse]:
    """Responses shown once the hearing has closed, unless the respondent asked otherwise."""
    if hearing.closed_at is None and hearing.closes_at > timezone.now():
        return HearingResponse.objects.none()
    return (
        hearing.responses.filter(keep_private=False)
        .select_related("criterion")
        .order_by("criterion__position", "received_at")
    )


def memo(*, version: GoalVersion) -> QuerySet[HearingResponse]:
    """Every response to every hearing on a version, with the secretariat's answers (the hearing memo)."""
    return (
        HearingResponse.objects.filter(hearing__version=version)
        .select_related("hearing", "criterion", "answered_by")
        .order_by("hearing__kind", "criterion__position", "received_at")
    )


def memo_counts(*, version: GoalVersion) -> dict[str, int]:
    return HearingResponse.objects.filter(hearing__version=version).aggregate(
        total=Count("pk"), answered=Count("pk", filter=~Q(answer=""))
    )


def with_response_counts(qs: QuerySet[Hearing]) -> QuerySet[Hearing]:
    return qs.annotate(
        response_count=Count("responses", distinct=True),
        unanswered_count=Count("responses", filter=Q(responses__answer=""), distinct=True),
    )


def open_hearings() -> list[Hearing]:
    """Hearings not yet closed by the secretariat, soonest deadline first, with their unanswered responses."""
    return list(
        with_response_counts(Hearing.objects.filter(closed_at__isnull=True))
        .select_related("version", "version__goal")
        .order_by("closes_at")
    )


def hearing_for_secretariat(*, pk: int) -> tuple[Hearing, list[HearingResponse]]:
    """A hearing with all its responses, private ones included, and the working group drafting the version."""
    hearing = _hearing(Hearing.objects.filter(pk=pk))
    responses = list(
        hearing.responses.select_related("criterion", "member", "answered_by").order_by(
            "criterion__position", "received_at", "pk"
        )
    )
    return hearing, responses


def memo_version(*, pk: int) -> GoalVersion:
    version = GoalVersion.objects.select_related("goal", "goal__product_area").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def memo_sections(*, version: GoalVersion) -> list[dict[str, Any]]:
    """The hearing memo in reading order: each hearing on the version (internal first), its responses by criterion.

    Two queries whatever the number of responses.
    """
    hearings = list(version.hearings.order_by("opened_at", "pk"))
    by_hearing: dict[int, list[HearingResponse]] = {h.pk: [] for h in hearings}
    for response in memo(version=version):
        by_hearing.setdefault(response.hearing_id, []).append(response)
    sections = []
    for hearing in hearings:
        groups: list[dict[str, Any]] = []
        for response in by_hearing[hearing.pk]:
            if not groups or groups[-1]["criterion"] != response.criterion:
                groups.append({"criterion": response.criterion, "responses": []})
            groups[-1]["responses"].append(response)
        sections.append({"hearing": hearing, "criteria": groups})
    return sections


def response_get(*, pk: int) -> HearingResponse:
    response = HearingResponse.objects.select_related("hearing").filter(pk=pk).first()
    if response is None:
        raise Http404
    return response


def memo_report(*, version: GoalVersion) -> dict[str, Any]:
    """Everything templates/workgroups/_memo.html shows: the sections and the counts, unanswered included."""
    counts = memo_counts(version=version)
    counts["unanswered"] = counts["total"] - counts["answered"]
    return {"sections": memo_sections(version=version), "counts": counts}


def member_recipients() -> list[str]:
    """Email addresses of the primary representatives and deputies of active members."""
    from members.models import Representative

    return list(
        Representative.objects.filter(
            position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
            organisation__memberships__status=Membership.Status.ACTIVE,
        )
        .values_list("user__email", flat=True)
        .distinct()
        .order_by("user__email")
    )
