"""The project commitment on the representative's dashboard, the public member page and the secretariat's
overview: each checked with axe-core in Danish and English, at 1280 px and at 320 px, without sideways scrolling."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.text import ascii_slug
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups.models import Project, ProjectParticipant

from .pages import assert_no_sideways_scroll, sign_in, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DAY = datetime.timedelta(days=1)


def _project(owner, title, **dates):
    project = Project.objects.create(
        slug=ascii_slug(title),
        title=title,
        purpose="Formål.",
        track=Project.Track.MOVE,
        kind=Project.Kind.PURCHASING,
        owner=owner,
        **dates,
    )
    ProjectParticipant.objects.create(
        project=project, organisation=owner, role=ProjectParticipant.Role.OWNER, joined_on=dates["approved_on"]
    )
    return project


@pytest.fixture
def world(transactional_db):
    """Aby takes part in a running project; Bby's project ended three years ago; Cby's runs out in 20 days."""
    today = timezone.localdate()
    orgs = {
        name: MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation
        for name in ("Aby", "Bby", "Cby")
    }
    _project(
        orgs["Aby"],
        "Grønne rengøringsmidler",
        status="running",
        approved_on=today - 200 * DAY,
        started_on=today - 180 * DAY,
    )
    _project(
        orgs["Bby"],
        "Genbrug af møbler",
        status="completed",
        approved_on=today - 2000 * DAY,
        started_on=today - 1900 * DAY,
        ended_on=today - 3 * 365 * DAY,
    )
    ended = today.replace(year=today.year - 2) + 20 * DAY
    _project(
        orgs["Cby"],
        "Cirkulære kontormøbler",
        status="completed",
        approved_on=ended - 400 * DAY,
        started_on=ended - 300 * DAY,
        ended_on=ended,
    )
    reps = {name: RepresentativeFactory(organisation=org, position="primary").user for name, org in orgs.items()}
    return {"orgs": orgs, "reps": reps}


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_a_representative_sees_the_commitment_on_the_dashboard(new_page, world, device):
    for name, expected in (("Bby", "Overdue:"), ("Cby", "Runs out soon:"), ("Aby", "Grønne rengøringsmidler")):
        page = new_page(**device)
        sign_in(page, world["reps"][name], "/en/dashboard/")
        visit(page, "/en/dashboard/", f"the dashboard of {name}")
        expect(page.locator("#project-commitment")).to_contain_text(expected)
        assert_no_sideways_scroll(page, f"the dashboard of {name}")
        visit(page, f"/en/members/{world['orgs'][name].slug}/", f"the member page of {name}")
        assert_no_sideways_scroll(page, f"the member page of {name}")


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_secretariat_filters_the_overview_by_the_commitment(new_page, world, secretariat_user, device):
    page = new_page(**device)
    sign_in_with_two_factor(page, secretariat_user, "/en/members/secretariat/")
    visit(page, "/en/members/secretariat/", "the overview")
    assert_no_sideways_scroll(page, "the overview")
    page.get_by_label("Project participation").select_option("overdue")
    page.get_by_role("button", name="Show members").click()
    expect(page.locator("table")).to_contain_text("Bby Kommune")
    expect(page.locator("table")).not_to_contain_text("Aby Kommune")
    visit(page, "/en/members/secretariat/?projects=due_soon", "the overview, runs out soon")
    expect(page.locator("table")).to_contain_text("Cby Kommune")
    assert_no_sideways_scroll(page, "the overview, runs out soon")
