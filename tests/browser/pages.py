"""Helpers for browser tests: axe-core checks and every page in every offered language.

Every page a test visits is checked with axe-core (WCAG 2.1 A and AA) in each
language its language switch offers: Danish at ``/…``, English under ``/en/…``,
Norwegian Bokmål and Swedish under ``/nb/…`` and ``/sv/…``, and Finnish under
``/fi/…`` on the pages written in it (the Nordic buyer dialogues').
"""

import re
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD

AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGE_PREFIX = "/en"
# The languages under a prefix of their own; Danish has none.
PREFIXED_LANGUAGES = ("en", "nb", "sv", "fi")
INVITATION_LINK = re.compile(r"https?://[^\s/]+(/(?:en/)?members/invitations/[^/\s]+/)")


# --- accessibility -------------------------------------------------------------


def _describe_violations(violations: list[dict], limit: int = 3) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"][:limit]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
        if len(violation["nodes"]) > limit:
            lines.append(f"    … and {len(violation['nodes']) - limit} more")
    return "\n".join(lines)


def check_a11y(page, label: str = "") -> None:
    """Run axe-core on the page and fail with a readable list of WCAG 2.1 A/AA violations."""
    if page.evaluate("typeof window.axe === 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern (add_script_tag would insert an inline <script>, which the policy refuses).
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(result => result.violations)",
        AXE_TAGS,
    )
    if violations:
        pytest.fail(
            f"Accessibility violations on {label or page.url} ({page.url}):\n{_describe_violations(violations)}",
            pytrace=False,
        )


# --- languages -------------------------------------------------------------------


def language_of(path: str) -> str:
    for code in PREFIXED_LANGUAGES:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code
    return "da"


def path_in(path: str, language: str) -> str:
    """The same page in ``language``: /x/ → /sv/x/, /en/x/ → /x/ (the path may carry a query string)."""
    current = language_of(path)
    bare = path[len(current) + 1 :] or "/" if current != "da" else path
    return bare if language == "da" else f"/{language}{bare}"


def other_language_path(path: str) -> str:
    """/x/ ⇄ /en/x/ (the path may carry a query string); any other language's page → the Danish one."""
    return path_in(path, "en" if language_of(path) == "da" else "da")


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def assert_html_lang(page, language: str) -> None:
    actual = page.locator("html").get_attribute("lang")
    assert actual == language, f"<html lang> is {actual!r} on {page.url}, expected {language!r}"


def _goto(page, path: str):
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status < 400, f"{path} answered {response.status}"
    return response


def offered_languages(page) -> list[str]:
    """The languages the page's language switch offers besides its own."""
    return page.evaluate(
        "() => [...document.querySelectorAll('.language-form a[hreflang]')].map(a => a.getAttribute('hreflang'))"
    )


def check_page(page, label: str = "") -> None:
    """Check the current page with axe-core, then the same page in every other language it offers, and come back.

    The page is loaded again at the end: assert what it shows once (a message
    after a form was sent) before calling this.
    """
    path = _path_of(page.url)
    language = language_of(path)
    assert_html_lang(page, language)
    check_a11y(page, f"{label or path} [{language}]")

    others = offered_languages(page)
    assert {"da", "en"} - {language} <= set(others), f"{path} does not offer Danish and English"
    for other_language in others:
        other = path_in(path, other_language)
        _goto(page, other)
        assert_html_lang(page, other_language)
        check_a11y(page, f"{label or path} [{other_language}]")

    _goto(page, path)
    assert_html_lang(page, language)


def visit(page, path: str, label: str = ""):
    """Open a page (GET), check it in both languages and stay on it."""
    _goto(page, path)
    check_page(page, label)
    return page


def sign_in(page, user, next_path: str) -> None:
    """Sign in through the real login form from a page that needs it, and land on that page."""
    page.goto(next_path)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def sign_in_with_two_factor(page, user, next_path: str) -> None:
    """Sign in through the real login form and the authenticator-code step."""
    page.goto(next_path)
    # Secretariat pages send an anonymous visitor to the login page.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    check_page(page, "login")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "two-factor authentication")
    totp = pyotp.TOTP(TOTP_SECRET)
    if totp.interval - time.time() % totp.interval < 2:
        time.sleep(2)  # do not send a code that expires on the way
    page.locator("#id_code").fill(totp.now())
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def assert_no_sideways_scroll(page, label):
    """Nothing is wider than the viewport: on a phone a wider page would be zoomed out or scrolled."""
    allowed = page.viewport_size["width"]
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth})"
    )
    widest = max(widths.values())
    if widest > allowed:
        culprits = page.evaluate(
            """limit => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 0.5)
                .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                + ' ' + Math.round(e.getBoundingClientRect().right))""",
            allowed,
        )
        pytest.fail(f"{label} scrolls sideways: {widest} px of content in a {allowed} px viewport; {culprits}")
