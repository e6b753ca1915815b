"""The test builders make rows the models accept, and the goal in force is what the catalogue shows."""

import pytest
from django.urls import reverse

from goals import reference
from goals.models import GoalVersion
from tests.factories import (
    CriterionFactory,
    GoalAnswerFactory,
    GoalFactory,
    GoalVersionFactory,
    HearingFactory,
    MeetingFactory,
    ResponseFactory,
    RoundFactory,
    goal_in_force,
)
from workgroups.models import Body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        GoalFactory,
        GoalVersionFactory,
        CriterionFactory,
        RoundFactory,
        ResponseFactory,
        GoalAnswerFactory,
        MeetingFactory,
        HearingFactory,
    ],
)
def test_each_factory_builds_a_valid_row(factory):
    row = factory()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_a_version_in_force_and_its_parts():
    criterion = CriterionFactory(version=GoalVersionFactory(in_force=True))
    version = criterion.version
    assert version.status == GoalVersion.Status.PUBLISHED and version.is_public
    assert version.adopted_on < version.effective_date
    assert criterion.number == f"{version.goal.number}.{criterion.position}"
    submitted = ResponseFactory(status="submitted")
    assert submitted.submitted_at is not None and ResponseFactory().submitted_at is None
    meeting = MeetingFactory()
    assert meeting.body.kind == Body.Kind.STEERING_GROUP and meeting.body.min_present == 3
    assert MeetingFactory().body == meeting.body  # one row per body
    assert HearingFactory().is_open


def test_the_goal_in_force_is_in_the_public_catalogue(client, secretariat_user):
    reference.load()
    version = goal_in_force(secretariat_user, criteria=["Svanemærket.", {"text": "Lav pris.", "kind": "award"}])
    assert (version.status, version.number, version.effective_date.isoformat()) == ("published", 1, "2024-01-01")
    assert list(version.criteria.values_list("number", "kind")) == [("5.a", "requirement"), ("5.b", "award")]
    page = client.get(reverse("goals:catalogue"))
    assert [(v.goal.number, v.number) for v in page.context["page"].object_list] == [(5, 1)]
