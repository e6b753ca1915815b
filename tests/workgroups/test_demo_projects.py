"""The projects demo: a project in every stage, written through the services, and loading it twice changes nothing."""

import pytest
from django.apps import apps

from goals import demo as goal_demo
from members import demo as member_demo
from workgroups import demo as workgroup_demo
from workgroups import demo_projects
from workgroups.models import Project

pytestmark = pytest.mark.django_db


def snapshot():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("workgroups").get_models()}


def test_the_demo_shows_every_stage_and_loads_once(client):
    member_demo.load()
    goal_demo.load()
    workgroup_demo.load()
    first = demo_projects.load()
    counts = snapshot()
    assert demo_projects.load() == first and snapshot() == counts

    projects = {p.title: p for p in Project.objects.select_related("decision__item__meeting__body")}
    cleaning = projects["Miljømærkede rengøringsmidler på de fælles aftaler"]
    assert cleaning.status == "running" and cleaning.track == "move"
    assert cleaning.partners.filter(name="SKI").exists()
    assert cleaning.decision.item.meeting.body.kind == "move"
    assert 0 < cleaning.progress < 100
    lab = projects["Klimaregnskab for indkøb af bygge- og anlægsydelser"]
    assert lab.status == "running" and lab.decision.item.meeting.body.kind == "council"
    assert lab.status_reports.get().is_red
    assert lab.partners.filter(name="Realdania").exists()  # its external financing
    handed = projects["Genbrug af kontormøbler"]
    assert handed.status == "completed" and handed.measured_effect_tonnes is not None
    assert handed.handed_over_to.track == "move" and handed.handed_over_to.status == "proposed"
    assert {p.status for p in projects.values() if p.track == "lab"} >= {"proposed", "prioritised"}
    assert projects["Grønne indkøbsvaner i decentrale enheder"].kind == "behaviour"
    # the public pages show them
    assert client.get("/projects/").context["page"].paginator.count == len(projects)
    assert client.get(f"/projects/{lab.slug}/").status_code == 200
