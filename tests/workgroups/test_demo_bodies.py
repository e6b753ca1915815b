"""The bodies' demo: Move's and Lab's chair and vice-chair, Lab's four founding municipalities, Move's seats and
the year wheel, written through the services; loading it twice changes nothing."""

import pytest
from django.apps import apps
from django.utils import timezone

from goals import demo as goal_demo
from members import demo as member_demo
from workgroups import demo as workgroup_demo
from workgroups import demo_bodies, demo_projects
from workgroups.models import BodyOffice, BodySeat, YearWheelEvent
from workgroups.services.bodies import term_last_day

pytestmark = pytest.mark.django_db


def snapshot():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("workgroups").get_models()}


def test_the_bodies_demo_loads_once(client):
    member_demo.load()
    goal_demo.load()
    workgroup_demo.load()
    demo_projects.load()
    first = demo_bodies.load()
    counts = snapshot()
    assert demo_bodies.load() == first and snapshot() == counts

    today = timezone.localdate()
    offices = {(o.body.kind, o.role, o.starts_on <= today): o for o in BodyOffice.objects.select_related("body")}
    move_chair = offices[("move", "chair", True)]
    assert move_chair.ends_on == term_last_day(move_chair.starts_on, 2)  # exactly two years
    assert offices[("move", "chair", False)].decision.outcome == "carried"  # next term's chair, elected
    assert ("move", "vice_chair", True) in offices
    lab_chair = offices[("lab", "chair", True)]
    assert lab_chair.ends_on >= term_last_day(lab_chair.starts_on, 2)
    founders = set(
        BodySeat.objects.filter(body__kind="lab", founding=True).values_list("organisation__name", flat=True)
    )
    assert founders == {"Odense Kommune", "Aalborg Kommune", "Aarhus Kommune", "Københavns Kommune"}
    assert lab_chair.organisation.name in founders
    assert BodySeat.objects.filter(body__kind="move", person__isnull=True).count() == 0
    kinds = set(YearWheelEvent.objects.values_list("kind", flat=True))
    assert kinds == {"meeting", "followup", "hearing", "conference"}
    assert YearWheelEvent.objects.filter(body__kind="move").count() == 2
    assert YearWheelEvent.objects.filter(body__kind="lab").count() == 2
    # the pages show them
    move_page = client.get("/en/projects/bodies/move/")
    assert move_page.context["missing"] and move_page.context["members"]
    assert client.get("/en/year-wheel/").status_code == 200
