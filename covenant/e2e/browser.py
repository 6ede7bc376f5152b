"""What the end-to-end tests (and scripts/screenshots.py) share: where Chromium is, how it
starts, where screenshots go, how a person signs in. The fixtures (`browser`,
`browser_page`) are in conftest.py. No Django imports at module level, so a plain script
can use it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pyotp
import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}

needs_chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists(), reason="needs Debian chromium"
)
"""Mark for tests that drive a browser (skipped where Debian's chromium is missing)."""


def new_page(browser: Any, **context: Any) -> Any:
    """A page in a fresh browser context (its own cookies: another person)."""
    options = {"viewport": VIEWPORT, "locale": "en-GB"} | context
    return browser.new_context(**options).new_page()


def sign_in(page: Any, base: str, username: str, next_url: str = "/", totp: str | None = None):
    """Sign in through the login form (and the second factor when `totp` is the secret of
    the person's authenticator) and wait for `next_url`."""
    from covenant.conftest import PASSWORD  # the test users' password (needs Django)

    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    if totp:
        page.wait_for_url("**/accounts/2fa/verify/**")
        page.fill("#id_code", pyotp.TOTP(totp).now())
        page.click("#otp-form button[type=submit]")
    page.wait_for_url(f"**{next_url}")
    return page
