"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server.

The helpers that check pages (axe-core, both languages) are in tests/browser/pages.py.
"""

import os
import shutil

import pytest

from tests import conftest as shared

from .pages import AXE_JS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000


def _chromium_path() -> str | None:
    if os.path.exists(shared.CHROMIUM):
        return shared.CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        shared.service_missing(f"Chromium not found at {shared.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process, so the emails they send land in mail.outbox."""
    from pogi.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def portal(live_server, transactional_db, eager_tasks):
    """The live portal's base URL (no trailing slash)."""
    return live_server.url.rstrip("/")


@pytest.fixture
def new_page(browser, portal):
    """Open a page in a fresh browser context (its own cookies): call it once per person, with the device's
    options (viewport, scale, mobile) to emulate a phone."""
    contexts = []

    def make(**device):
        context = browser.new_context(base_url=portal, locale="da-DK", **device)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        # Loading axe-core with every document is cheaper than injecting it before each check.
        context.add_init_script(path=str(AXE_JS))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
