"""Screenshots of the main pages of a running demo (make run), in English and Dutch.

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [out-dir]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyotp
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from covenant.e2e.browser import CHROMIUM, CHROMIUM_ARGS

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/screens")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "covenant-demo-2026"


def login(page, username: str, otp: bool = False) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    if otp:
        page.wait_for_url("**/2fa/verify/**")
        time.sleep(31 - time.time() % 30)  # a fresh code: each one is accepted only once
        page.fill("#id_code", pyotp.TOTP(SECRET).now())
        page.click("#otp-form button[type=submit]")
    page.wait_for_load_state()


def shoot(page, name: str, path: str, lang: str) -> None:
    page.goto(f"{BASE}{path}")
    page.screenshot(path=str(OUT / f"{name}-{lang}.png"), full_page=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang in ("en", "nl"):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            ctx.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
            page = ctx.new_page()
            shoot(page, "home", "/", lang)
            shoot(page, "agreement", "/agreements/garments/", lang)
            shoot(page, "party-profile", "/organisations/arisa/", lang)
            shoot(page, "complaints-register", "/agreements/garments/complaints/", lang)
            shoot(page, "report-form", "/agreements/garments/report/?location=unlisted", lang)
            shoot(page, "due-diligence-results", "/agreements/garments/due-diligence/", lang)
            login(page, "company1")
            page.goto(f"{BASE}/me/")
            page.screenshot(path=str(OUT / f"company-workspace-{lang}.png"), full_page=True)
            page.click("a[href$='/locations/']")
            page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"company-locations-{lang}.png"), full_page=True)
            page.click("a[href*='/disclosures/']")
            page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"company-disclosure-{lang}.png"), full_page=True)
            ctx.clear_cookies()
            ctx.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
            login(page, "secretariat", otp=True)
            shoot(page, "secretariat", "/secretariat/", lang)
            shoot(page, "memberships", "/secretariat/garments/memberships/?status=applied", lang)
            shoot(page, "market", "/secretariat/garments/market/", lang)
            shoot(page, "audit", "/secretariat/audit/", lang)
            shoot(page, "users", "/accounts/users/", lang)
            shoot(page, "review-queue", "/secretariat/garments/review/", lang)
            page.click("main table a.button")
            page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"review-item-{lang}.png"), full_page=True)
            shoot(page, "registry", "/secretariat/registry/?q=garments", lang)
            page.click("main table a")
            page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"registry-facility-{lang}.png"), full_page=True)
            shoot(page, "public-locations", "/agreements/garments/locations/?q=dhaka", lang)
            shoot(page, "signals-secretariat", "/secretariat/garments/signals/", lang)
            ctx.clear_cookies()
            ctx.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
            login(page, "committee", otp=True)
            shoot(page, "committee-cases", "/committee/garments/complaints/", lang)
            page.click("main table a")
            page.wait_for_load_state()
            page.screenshot(path=str(OUT / f"complaint-case-{lang}.png"), full_page=True)
            ctx.close()
        browser.close()
    print(f"screenshots in {OUT}/")


if __name__ == "__main__":
    main()
