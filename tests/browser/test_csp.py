"""The portal's pages run under their Content-Security-Policy without a single violation (issue 13).

The browser context does not bypass the policy and loads no test helper into
the pages: any inline script or style, eval, or resource from elsewhere that a
page (or htmx, or a chart) needs shows up as a "Refused to …" console message
or a ``securitypolicyviolation`` event, and fails the test. An unknown
Permissions-Policy feature fails it too (Chromium logs it on every page).
"""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD
from tests.followup.conftest import goals, report_years, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# Recorded by an init script (Playwright runs it outside the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""
PROBLEM = re.compile(r"Refused to|Content[- ]Security[- ]Policy|Permissions-Policy|Unrecognized feature", re.I)


@pytest.fixture
def strict_page(browser, portal):
    """A page whose context honours the CSP, collecting every violation and console complaint."""
    context = browser.new_context(base_url=portal, locale="da-DK", bypass_csp=False)
    context.set_default_timeout(10_000)
    context.add_init_script(script=RECORD_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if PROBLEM.search(m.text) else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    yield page
    context.close()


def visit_strictly(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # let deferred scripts (htmx, pogi.js) run
    events = page.evaluate("window.__cspViolations")
    page.problems.extend(f"{path}: {event}" for event in events)
    assert not page.problems, f"CSP problems on {path}:\n" + "\n".join(page.problems)


def sign_in_secretariat(page, user, next_path: str) -> None:
    page.goto(next_path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    totp = pyotp.TOTP(TOTP_SECRET)
    if totp.interval - time.time() % totp.interval < 2:
        time.sleep(2)
    page.locator("#id_code").fill(totp.now())
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


@pytest.mark.usefixtures("world")
def test_public_pages_need_nothing_the_policy_forbids(strict_page):
    for path in (
        "/",
        "/goals/",
        "/en/goals/",
        "/goals/5-rengoering/",
        "/goals/5-rengoering/compare/",
        "/goals/5-rengoering/versions/1/print/",
        "/open-data/",
        "/accessibility/",
        "/members/",
        "/accounts/login/",
        "/followup/reports/",
        "/no-such-page/",
    ):
        visit_strictly(strict_page, path)
    # an htmx swap of the catalogue's results (htmx would inject its <style> here if it were allowed to)
    visit_strictly(strict_page, "/en/goals/")
    with strict_page.expect_response(lambda r: "/goals/" in r.url and r.request.headers.get("hx-request")):
        strict_page.locator("#id_area").select_option(index=1)
    strict_page.wait_for_timeout(200)
    assert not strict_page.evaluate("window.__cspViolations") and not strict_page.problems, strict_page.problems
    assert strict_page.locator("style").count() == 0


@pytest.mark.usefixtures("world")
def test_the_report_page_with_its_charts_and_the_secretariat_pages(strict_page, secretariat_user):
    sign_in_secretariat(strict_page, secretariat_user, "/en/followup/rounds/2026/report/")
    visit_strictly(strict_page, "/en/followup/rounds/2026/report/")
    assert strict_page.locator("figure.chart img").count() >= 1
    for path in ("/dashboard/", "/goals/manage/", "/en/followup/rounds/", "/members/"):
        visit_strictly(strict_page, path)
