"""Reads for work plans: this year's plan with its groups, goals adopted per year against the target."""

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from goals.models import GoalVersion

from ..models import (
    Milestone,
    WorkingGroup,
    WorkPlan,
)

if TYPE_CHECKING:
    from ..models import WorkPlanItem

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
    groups: list[WorkingGroup] = list(
        WorkingGroup.objects.filter(item__plan=plan)
        .select_related("goal", "draft", "item")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")))
        .annotate(member_count=Count("members"))
        .order_by("item__position")
    )
    return plan, groups


def adopted_per_year(*, years: int = 5) -> list[dict[str, Any]]:
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


def desk_plans() -> list[WorkPlan]:
    """Every work plan, newest first, with its items, their goals and working groups (the secretariat's desk)."""
    from ..models import WorkPlanItem

    items = WorkPlanItem.objects.select_related("goal", "product_area", "working_group").order_by("position", "pk")
    return list(WorkPlan.objects.prefetch_related(Prefetch("items", queryset=items)).order_by("-year"))


def plan_get(*, pk: int) -> WorkPlan:
    plan = WorkPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_item_get(*, pk: int) -> "WorkPlanItem":
    from ..models import WorkPlanItem

    item = WorkPlanItem.objects.select_related("plan", "goal", "product_area").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item
