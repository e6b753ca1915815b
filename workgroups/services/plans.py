"""Writes for the year's work plan: which goals the steering group decided to develop or revise."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core import history
from goals.models import Goal, ProductArea
from members.models import User

from ..models import (
    WorkPlan,
    WorkPlanItem,
)


@transaction.atomic
def work_plan_create(*, year: int, decided_on: date | None = None, note: str = "", by: User | None) -> WorkPlan:
    if WorkPlan.objects.filter(year=year).exists():
        raise ValidationError(_("There is already a work plan for %(year)s.") % {"year": year})
    plan = WorkPlan(year=year, decided_on=decided_on, note=note)
    plan.full_clean()
    history.by(plan, by).save()
    return plan


@transaction.atomic
def work_plan_item_add(
    *,
    plan: WorkPlan,
    kind: str,
    title: str,
    product_area: ProductArea,
    goal: Goal | None = None,
    rationale: str = "",
    by: User | None,
) -> WorkPlanItem:
    """Put a new goal or the revision of a goal on a year's plan."""
    if kind == WorkPlanItem.Kind.REVISION and goal is None:
        raise ValidationError(_("Choose the goal to revise."))
    if kind == WorkPlanItem.Kind.NEW:
        goal = None
    if goal is not None and plan.items.filter(goal=goal).exists():
        raise ValidationError(
            _("Goal %(number)s is already on the %(year)s plan.") % {"number": goal.number, "year": plan.year}
        )
    position = (plan.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = WorkPlanItem(
        plan=plan, kind=kind, goal=goal, product_area=product_area, title=title, rationale=rationale, position=position
    )
    item.full_clean()
    history.by(item, by).save()
    return item
