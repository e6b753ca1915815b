"""Every width and every zoom (WCAG 2.1 1.4.10 Reflow, 1.4.4 Resize text).

On a phone (320 by 640 CSS pixels) and on a 1280 px screen zoomed to 200 %
(a 640 px wide viewport at twice the pixel density), each role's main pages
must not scroll sideways, the main menu and signing in or out must be
reachable, and axe-core must find nothing, in Danish and in English.
"""

import datetime

import pytest
from playwright.sync_api import expect

from goals import reference
from members.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, goal_in_force

from .pages import assert_no_sideways_scroll, check_a11y, other_language_path, sign_in, sign_in_with_two_factor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ZOOMED = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
LONG_WORD = "Indkøbspolitikkensgrønneretningslinjerforbæredygtigeindkøbogcirkulærøkonomi" * 3
LONG_URL = "https://www.example.dk/" + "indkoebspolitikken" * 9 + ".pdf"


@pytest.fixture
def world(transactional_db, secretariat_user):
    reference.load()
    version = goal_in_force(
        number=3, title="Tekstiler", area="tekstiler", criteria=[f"Tekstilerne skal være Svanemærkede. {LONG_WORD}"]
    )
    organisation = OrganisationFactory(
        name="Langtnavn Kommune", procurement_policy_url=LONG_URL, description=f"Om os: {LONG_WORD}"
    )
    MembershipFactory(organisation=organisation, status=Membership.Status.ACTIVE, joined_on=datetime.date(2024, 1, 1))
    representative = RepresentativeFactory(organisation=organisation, position="primary").user
    return {"goal": version.goal, "organisation": organisation, "representative": representative}


def _context_page(browser, portal, device):
    context = browser.new_context(base_url=portal, locale="da-DK", **device)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def assert_menu_reachable(page, label, *, signed_in: bool):
    """The menu bar is hidden at this width: the menu button opens the same links and the sign-in/out."""
    expect(page.locator(".navigation-menu")).to_be_hidden()
    button = page.locator("summary.mobile-menu-button")
    expect(button).to_be_visible()
    button.click()
    menu = page.locator(".mobile-menu-panel")
    expect(menu.locator("a.nav-link").first).to_be_visible()
    links = menu.locator("a.nav-link")
    assert links.count() >= 6, f"{label}: the phone menu has {links.count()} links"
    account = menu.locator("form button[type=submit]" if signed_in else "a.button")
    expect(account).to_be_visible()
    assert_no_sideways_scroll(page, f"{label} with the menu open")
    check_a11y(page, f"{label} with the menu open")
    button.click()
    expect(menu).to_be_hidden()


def walk(page, paths, *, signed_in: bool, device_name: str):
    for path in paths:
        for address in (path, other_language_path(path)):
            response = page.goto(address)
            assert response is not None and response.status == 200, f"{address} answered {response and response.status}"
            label = f"{address} at {device_name}"
            assert_no_sideways_scroll(page, label)
            check_a11y(page, label)
            assert_menu_reachable(page, label, signed_in=signed_in)


@pytest.mark.parametrize("device_name", ["320 px phone", "1280 px at 200 % zoom"])
def test_public_pages_reflow_with_the_menu_within_reach(browser, portal, world, device_name):
    context, page = _context_page(browser, portal, PHONE if device_name.startswith("320") else ZOOMED)
    try:
        goal, organisation = world["goal"], world["organisation"]
        walk(
            page,
            [
                "/",
                "/goals/",
                goal.get_absolute_url(),
                f"{goal.get_absolute_url()}versions/1/",
                "/members/",
                f"/members/{organisation.slug}/",
                "/workgroups/",
                "/followup/reports/",
                "/open-data/",
                "/accounts/login/",
            ],
            signed_in=False,
            device_name=device_name,
        )
        # The long address in the profile wraps inside the page instead of stretching it.
        page.goto(f"/members/{organisation.slug}/")
        link = page.locator(f'a[href="{LONG_URL}"]')
        expect(link).to_be_visible()
        assert link.bounding_box()["width"] <= page.viewport_size["width"]
    finally:
        context.close()


@pytest.mark.parametrize("device_name", ["320 px phone", "1280 px at 200 % zoom"])
def test_a_representative_signs_in_and_out_on_a_phone(browser, portal, world, device_name):
    context, page = _context_page(browser, portal, PHONE if device_name.startswith("320") else ZOOMED)
    try:
        organisation = world["organisation"]
        sign_in(page, world["representative"], "/dashboard/")
        walk(
            page,
            ["/dashboard/", "/followup/", f"/members/{organisation.slug}/edit/"],
            signed_in=True,
            device_name=device_name,
        )
        page.locator("summary.mobile-menu-button").click()
        page.locator(".mobile-menu-panel form button[type=submit]").click()
        expect(page.locator("summary.mobile-menu-button")).to_be_visible()
        page.locator("summary.mobile-menu-button").click()
        expect(page.locator(".mobile-menu-panel a.button")).to_be_visible()  # signed out: "Sign in" again
    finally:
        context.close()


def test_the_secretariat_works_on_a_phone(browser, portal, world, secretariat_user):
    context, page = _context_page(browser, portal, PHONE)
    try:
        sign_in_with_two_factor(page, secretariat_user, "/members/secretariat/")
        walk(
            page,
            [
                "/members/secretariat/",
                f"/members/secretariat/organisations/{world['organisation'].slug}/",
                "/goals/manage/",
                "/workgroups/manage/",
                "/followup/rounds/",
            ],
            signed_in=True,
            device_name="320 px phone",
        )
    finally:
        context.close()
