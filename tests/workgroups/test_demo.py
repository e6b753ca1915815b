"""The revision-cycle demo: what it shows a new user, and that loading it twice changes nothing."""

import pytest
from django.apps import apps
from django.utils import timezone

from goals import demo as goal_demo
from goals.models import GoalVersion
from members import demo as member_demo
from workgroups import demo as workgroup_demo
from workgroups.models import Body, Hearing, Meeting, WorkingGroup, WorkPlan
from workgroups.selectors import working_group_warnings

pytestmark = pytest.mark.django_db


def snapshot():
    counts = {model._meta.label: model.objects.count() for model in apps.get_app_config("workgroups").get_models()}
    counts["versions"] = sorted(GoalVersion.objects.values_list("goal__number", "number", "status"))
    return counts


def test_demo_loaded_twice_shows_the_revision_cycle(client):
    member_demo.load()
    goal_demo.load()
    first = workgroup_demo.load()
    counts = snapshot()
    member_demo.load()
    goal_demo.load()
    assert workgroup_demo.load() == first
    assert snapshot() == counts

    plan = WorkPlan.objects.get(year=timezone.localdate().year)
    assert plan.decided_on is not None
    assert plan.items.count() == 3
    food, building, machines = (WorkingGroup.objects.get(goal__number=n) for n in (1, 3, 13))
    assert not working_group_warnings(group=food)
    assert not working_group_warnings(group=building)
    assert machines.members.count() < WorkingGroup.MIN_MEMBERS
    assert working_group_warnings(group=machines)

    draft = food.draft
    assert draft.status == GoalVersion.Status.SUBMITTED
    assert {h.kind for h in draft.hearings.all()} == {Hearing.Kind.INTERNAL, Hearing.Kind.INDUSTRY}
    assert all(h.closed_at for h in draft.hearings.all())
    assert not draft.hearings.filter(responses__answer="").exists()
    assert building.draft.hearings.get(kind=Hearing.Kind.INTERNAL).is_open
    wood = GoalVersion.objects.get(goal__number=4, status__in=GoalVersion.IN_PROGRESS)
    assert wood.status == GoalVersion.Status.INTERNAL_HEARING
    assert wood.hearings.get(kind=Hearing.Kind.INTERNAL).is_open

    steering = Meeting.objects.filter(body__kind=Body.Kind.STEERING_GROUP)
    coming = steering.get(starts_at__gt=timezone.now())
    adoption = coming.items.get(version=draft)
    assert adoption.effective_date > timezone.localdate(coming.starts_at)
    assert coming.items.filter(membership__isnull=False).exists()
    assert draft.steering_comments.exists()
    older, newer = steering.filter(starts_at__lte=timezone.now()).order_by("starts_at")
    assert older.minutes_approved_in == newer
    assert newer.minutes and not newer.minutes_approved_at

    response = client.get("/workgroups/")
    assert response.status_code == 200
    for group in (food, building, machines):
        assert group.name in response.content.decode()
