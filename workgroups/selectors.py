"""Reads for the revision cycle. The public sees status, never internal documents or member-only hearings."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from goals.models import Criterion, GoalVersion

from .models import Hearing, HearingResponse, Milestone, WorkingGroup, WorkingGroupMember, WorkPlan

ADOPTED_PER_YEAR_TARGET = 3


def overview(*, year: int | None = None) -> tuple[WorkPlan | None, list[WorkingGroup]]:
    """A year's work plan and its working groups with their milestones (the public overview)."""
    plans = WorkPlan.objects.order_by("-year")
    plan = (
        plans.filter(year=year).first()
        if year
        else plans.filter(year__lte=timezone.localdate().year).first() or plans.first()
    )
    if plan is None:
        return None, []
    groups = list(
        WorkingGroup.objects.filter(item__plan=plan)
        .select_related("goal", "draft", "item")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")))
        .annotate(member_count=Count("members"))
        .order_by("item__position")
    )
    return plan, groups


def adopted_per_year(*, years: int = 5) -> list[dict]:
    """Goals adopted per year (new or revised versions in force or since superseded) against the target of three."""
    this_year = timezone.localdate().year
    rows = (
        # adopted_on is set only when the steering group adopts a version
        GoalVersion.objects.filter(adopted_on__year__gte=this_year - years + 1)
        .annotate(year=ExtractYear("adopted_on"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    counts = {r["year"]: r["n"] for r in rows}
    return [
        {
            "year": y,
            "adopted": counts.get(y, 0),
            "target": ADOPTED_PER_YEAR_TARGET,
            "met": counts.get(y, 0) >= ADOPTED_PER_YEAR_TARGET,
        }
        for y in range(this_year, this_year - years, -1)
    ]


def group_public_get(*, slug: str) -> WorkingGroup:
    group = (
        WorkingGroup.objects.select_related("goal", "draft", "item", "item__plan", "facilitator")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")),
            Prefetch("members", queryset=WorkingGroupMember.objects.select_related("organisation", "user")),
            Prefetch("draft__hearings", queryset=Hearing.objects.order_by("opened_at")),
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    return group


def hearing_for_member(*, pk: int) -> Hearing:
    """An internal hearing, for member representatives and the secretariat (access checked by the view's rule)."""
    return _hearing(Hearing.objects.filter(pk=pk))


def hearing_for_public(*, token) -> Hearing:
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


def memo_counts(*, version: GoalVersion) -> dict:
    return HearingResponse.objects.filter(hearing__version=version).aggregate(
        total=Count("pk"), answered=Count("pk", filter=~Q(answer=""))
    )
