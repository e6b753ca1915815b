"""The workgroups world: goal 5 in force and the 2026 working group revising it."""

import datetime

import pytest

from goals import reference
from tests import factories
from workgroups import services
from workgroups.models import WorkPlanItem


@pytest.fixture
def goal_in_force(secretariat_user):
    """Goal 5 Rengøring, version 1 in force (reference data loaded)."""
    reference.load()
    return factories.goal_in_force(secretariat_user)


@pytest.fixture
def group_rationale():
    """Why the revision is on the work plan (override in a module to give one)."""
    return ""


@pytest.fixture
def group(goal_in_force, secretariat_user, group_rationale):
    """The working group revising goal 5, on the 2026 work plan, with its draft version 2."""
    plan = services.work_plan_create(year=2026, decided_on=datetime.date(2026, 3, 1), by=secretariat_user)
    item = services.work_plan_item_add(
        plan=plan,
        kind=WorkPlanItem.Kind.REVISION,
        goal=goal_in_force.goal,
        product_area=goal_in_force.goal.product_area,
        title="Revision af rengøring",
        rationale=group_rationale,
        by=secretariat_user,
    )
    return services.working_group_create(
        item=item,
        facilitator=secretariat_user,
        terms_of_reference="Arbejdsgruppen reviderer målet.",
        by=secretariat_user,
    )
