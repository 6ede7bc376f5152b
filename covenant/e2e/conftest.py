"""Browser fixtures for the end-to-end tests (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import os

import pytest

from covenant.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, new_page


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def browser_page(browser):
    """One page (one person) in the browser; others come from `browser.new_page`."""
    return new_page(browser)
