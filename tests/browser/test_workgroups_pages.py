"""The revision pages as the public and a member see them, checked with axe-core in Danish and English."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals import reference
from tests.factories import goal_in_force
from workgroups import services

from .pages import check_page, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def revision(transactional_db, secretariat_user):
    reference.load()
    version = goal_in_force(secretariat_user)
    plan = services.work_plan_create(year=timezone.localdate().year, by=secretariat_user)
    item = services.work_plan_item_add(
        plan=plan,
        kind="revision",
        goal=version.goal,
        product_area=version.goal.product_area,
        title="Revision af rengøring",
        by=secretariat_user,
    )
    group = services.working_group_create(
        item=item, facilitator=secretariat_user, terms_of_reference="Revider målet.", by=secretariat_user
    )
    services.milestone_add(group=group, title="Første møde", planned_on=timezone.localdate(), by=secretariat_user)
    deadline = timezone.now() + datetime.timedelta(days=14)
    services.hearing_open(version=group.draft, kind="internal", closes_at=deadline, by=secretariat_user)
    industry = services.hearing_open(version=group.draft, kind="industry", closes_at=deadline, by=secretariat_user)
    return group, industry


def test_public_follows_a_revision_and_responds_to_the_industry_hearing(page, revision):
    _group, industry = revision
    # the overview lists the revision and where it stands
    visit(page, "/en/workgroups/")
    expect(page.get_by_role("link", name="Revision af rengøring")).to_be_visible()
    # the group's page shows milestones and the open industry hearing
    page.get_by_role("link", name="Revision af rengøring").click()
    expect(page.get_by_text("Første møde")).to_be_visible()
    check_page(page, "working group")
    page.get_by_role("link", name="respond to the industry hearing").click()
    # an empty response shows the errors, accessibly, in both languages
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "hearing form with errors")
    page.get_by_label("Your name").fill("Eva Hansen")
    page.get_by_label("Organisation", exact=True).fill("Dansk Branche")
    page.get_by_label("Email address").fill("eva@branche.example")
    page.get_by_label("Your response", exact=True).fill("Kravet bør have en overgangsperiode.")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    assert industry.responses.get().respondent_organisation == "Dansk Branche"
