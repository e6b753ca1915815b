"""The secretariat's steps on a goal version and a working group, on their confirmation pages, and the public
announcement of an adopted version: each page checked with axe-core in Danish and English, on a desktop and on
a 320 px phone, without sideways scrolling."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals import reference
from goals import services as goal_services
from goals.models import GoalVersion
from tests.factories import goal_in_force
from workgroups import services as wg_services

from .pages import assert_no_sideways_scroll, check_page, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(transactional_db, secretariat_user):
    """Goal 5 in force with a working group drafting version 2; goal 3 with version 2 adopted for 1 March next year."""
    reference.load()
    cleaning = goal_in_force(secretariat_user)
    plan = wg_services.work_plan_create(year=timezone.localdate().year, by=secretariat_user)
    item = wg_services.work_plan_item_add(
        plan=plan,
        kind="revision",
        goal=cleaning.goal,
        product_area=cleaning.goal.product_area,
        title="Revision af rengøring",
        by=secretariat_user,
    )
    group = wg_services.working_group_create(item=item, facilitator=secretariat_user, by=secretariat_user)
    textiles = goal_in_force(secretariat_user, number=3, title="Tekstiler", area="tekstiler")
    coming = goal_services.goal_version_draft_start(goal=textiles.goal, by=secretariat_user)
    effective = datetime.date(timezone.localdate().year + 1, 3, 1)
    goal_services.goal_version_register_adopted(
        version=coming,
        by=secretariat_user,
        adopted_on=timezone.localdate(),
        effective_date=effective,
        reason="Styregruppens referat af mødet i dag, punkt 2.",
    )
    return {"group": group, "draft": group.draft, "coming": coming, "textiles": textiles.goal}


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_step_pages_and_the_announcement(new_page, world, secretariat_user, device):
    page = new_page(**device)
    draft, coming, group = world["draft"], world["coming"], world["group"]
    sign_in_with_two_factor(page, secretariat_user, f"/goals/manage/versions/{draft.pk}/")
    check_page(page, "draft with its next step")
    assert_no_sideways_scroll(page, "draft with its next step")
    for path, label in [
        (f"/goals/manage/versions/{draft.pk}/steps/withdraw/", "withdraw a version"),
        (f"/goals/manage/versions/{draft.pk}/steps/register/", "register an adoption"),
        (f"/goals/manage/versions/{coming.pk}/", "adopted version"),
        (f"/goals/manage/versions/{coming.pk}/steps/date/", "change the date in force"),
        (f"/workgroups/manage/groups/{group.slug}/status/cancel/", "cancel a working group"),
        (f"/workgroups/manage/groups/{group.slug}/status/start/", "start a working group"),
    ]:
        visit(page, path, label)
        assert_no_sideways_scroll(page, label)

    # a refused step comes back on its page with the reason, nothing changed, and passes axe too
    page.goto(f"/en/goals/manage/versions/{draft.pk}/steps/withdraw/")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".form-error-message, .error-message, .errorlist").first).to_be_visible()
    check_page(page, "withdraw refused")
    assert GoalVersion.objects.get(pk=draft.pk).status == GoalVersion.Status.DRAFT

    # the public page of goal 3 announces version 2, with its redline, on every width
    public = new_page(**device)
    visit(public, f"/en/goals/3-{world['textiles'].slug}/", "goal with a coming version")
    assert_no_sideways_scroll(public, "goal with a coming version")
    expect(public.locator("#coming-version")).to_contain_text("Version 2 comes into force on 1 March")
    public.locator("#coming-version").get_by_role("link", name="See what changes in version 2").click()
    expect(public).to_have_url(
        f"{public.url.split('/en/')[0]}/en/goals/3-{world['textiles'].slug}/compare/?from_version=1&to_version=2"
    )
