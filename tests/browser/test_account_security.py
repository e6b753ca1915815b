"""A member's sessions and the secretariat's security log, in a real browser, checked with axe-core in Danish and English."""

import re

import pytest
from playwright.sync_api import expect

from core.models import SecurityEvent
from tests.factories import RepresentativeFactory

from .pages import check_page, sign_in, sign_in_with_two_factor

pytestmark = pytest.mark.browser


def test_member_sees_the_sessions_page_from_the_account_menu(page, transactional_db, settings):
    settings.USERSESSIONS_TRACK_ACTIVITY = True
    user = RepresentativeFactory(position="primary").user
    sign_in(page, user, "/accounts/sessions/")
    expect(page.get_by_role("heading", level=1, name="Sessioner")).to_be_visible()
    expect(page.get_by_role("cell", name="Denne")).to_be_visible()
    check_page(page, "sessions")
    # the account menu in the header leads there too
    page.goto("/dashboard/")
    page.locator("a[href='/accounts/sessions/']:visible").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/sessions/$"))


def test_secretariat_reads_the_security_log(page, transactional_db, secretariat_user):
    SecurityEvent.objects.create(event=SecurityEvent.Event.SIGN_IN_FAILED, email="guess@example.org", ip="192.0.2.1")
    sign_in_with_two_factor(page, secretariat_user, "/members/secretariat/security-log/")
    expect(page.get_by_role("cell", name="guess@example.org")).to_be_visible()
    check_page(page, "security log")
