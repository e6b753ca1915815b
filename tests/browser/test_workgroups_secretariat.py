"""The secretariat's revision-cycle desk in a browser: desk → working group → hearing → memo, checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals import reference
from tests import factories
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups.models import HearingResponse

from .pages import check_a11y, check_page, sign_in_with_two_factor

pytestmark = pytest.mark.browser


@pytest.fixture
def goal_in_force(transactional_db, secretariat_user):
    reference.load()
    return factories.goal_in_force(secretariat_user)


def expect_message(page, text):
    expect(page.locator(".messages").get_by_text(text)).to_be_visible()


def test_secretariat_runs_a_revision_from_the_desk_to_the_memo(page, secretariat_user, goal_in_force):
    org = MembershipFactory(organisation=OrganisationFactory(name="Testby Kommune")).organisation
    rep = RepresentativeFactory(organisation=org, position="primary", steering_group=True, user__name="Sofie Styre")
    year = timezone.localdate().year

    # the desk: a new work plan
    sign_in_with_two_factor(page, secretariat_user, "/en/workgroups/manage/")
    expect(page.get_by_role("heading", level=1, name="Revision cycle")).to_be_visible()
    check_page(page, "desk")
    page.get_by_label("Year", exact=True).fill(str(year))
    page.get_by_role("button", name="Create the work plan").click()
    expect_message(page, f"The work plan for {year} has been created.")

    # a revision of goal 5 on the plan
    page.get_by_text(f"Put the revision of a goal on the {year} plan").click()
    form = page.locator(f"form#plan-{year}-revision")
    form.get_by_label("Goal to revise").select_option(value=str(goal_in_force.goal.pk))
    form.get_by_label("Title").fill("Revision af rengøring")
    form.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("heading", level=3, name="Revision af rengøring")).to_be_visible()
    check_page(page, "desk with a plan")

    # its working group
    page.get_by_text("Set up the working group").first.click()
    page.get_by_role("button", name="Set up the working group").click()
    expect(page).to_have_url(re.compile(r"/en/workgroups/manage/groups/[\w-]+/$"))
    expect(page.get_by_text("No member of the group sits in the steering group.")).to_be_visible()
    check_page(page, "working group")

    # a member from the steering group, as chair
    page.get_by_label("Representative", exact=True).select_option(value=str(rep.pk))
    page.get_by_label("Chair (tovholder)").check()
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_text("No member of the group sits in the steering group.")).to_have_count(0)
    expect(page.locator("#members table")).to_contain_text("Testby Kommune")

    # an internal hearing, with an error first
    page.get_by_role("button", name="Open the hearing").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "working group with errors [en]")  # a POST answer: no twin page to load
    deadline = timezone.localtime() + datetime.timedelta(days=14)
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Open the hearing").click()
    expect_message(page, "The internal hearing is open.")
    page.locator("#hearings").get_by_role("link", name="Internal hearing").click()

    # the hearing: a response received by email, then the secretariat's answer
    expect(page.get_by_role("heading", level=1)).to_contain_text("Internal hearing")
    check_page(page, "hearing")
    register = page.locator("#register")
    register.get_by_label("Name", exact=True).fill("Karen Leverandør")
    register.get_by_label("Organisation", exact=True).fill("Rent A/S")
    register.get_by_label("Response", exact=True).fill("Vi foreslår en overgangsperiode.")
    register.get_by_label("Received", exact=True).fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    register.get_by_role("button", name="Register the response").click()
    expect_message(page, "The response received by email has been registered.")
    response = HearingResponse.objects.get()
    answer = page.locator(f"#r{response.pk}")
    answer.get_by_label("Partly accepted").check()
    answer.get_by_label("Answer and action, with the reason").fill("Overgangsperiode på et år.")
    answer.get_by_role("button", name=re.compile("^Save the answer")).click()
    expect_message(page, "The answer to Rent A/S has been saved.")
    check_page(page, "hearing with an answer")

    # the memo
    page.get_by_role("link", name="Hearing memo of the version").click()
    expect(page.get_by_role("heading", level=1, name="Hearing memo")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Overgangsperiode på et år.")
    check_page(page, "hearing memo")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.startswith("hoeringsnotat-maal-5-")
