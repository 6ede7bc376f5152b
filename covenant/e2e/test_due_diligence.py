"""End-to-end: one full due diligence cycle in headless Chromium. The company fills in and
submits its self-assessment, the secretariat assigns an assessor, the assessor asks a
follow-up question, the company answers it, the assessor scores, a second assessor reviews
blind, the secretariat releases the outcome and the company sees it. Screenshots are saved
under test-artifacts/ (due-diligence-*.png)."""

from __future__ import annotations

import pyotp
import pytest

from covenant.accounts.models import RoleName, TOTPDevice
from covenant.agreements.models import DueDiligenceStep
from covenant.agreements.tests.factories import ThemeFactory, user_with_role
from covenant.duediligence.demo import THEMES, garment_framework_file
from covenant.duediligence.models import Assessment, Criterion, SelfAssessment
from covenant.duediligence.services import frameworks, self_assessments
from covenant.duediligence.tests.conftest import FAR, full_answers
from covenant.e2e.browser import ARTIFACTS, needs_chromium, new_page, sign_in

pytestmark = [needs_chromium]


def _sign_in(browser, base, username, *, secret=None, next_url="/"):
    return sign_in(new_page(browser), base, username, next_url, totp=secret)


def _fill_answers(page, answers):
    for code, value in answers.items():
        if isinstance(value, dict):
            page.fill(f"[name='a-{code}-title']", value["title"])
            page.fill(f"[name='a-{code}-url']", value["url"])
        elif isinstance(value, list):
            for key, cell in value[0].items():
                page.fill(f"[name='a-{code}-0-{key}']", str(cell))
        elif page.locator(f"select[name='a-{code}']").count():
            page.select_option(f"select[name='a-{code}']", str(value))
        else:
            page.fill(f"[name='a-{code}']", str(value))


@pytest.mark.django_db(transaction=True)
def test_full_due_diligence_cycle(world, live_server, browser):
    # The agreement's framework and reporting year (set up as in the app's tests).
    for n in range(1, 7):
        DueDiligenceStep.objects.create(
            agreement=world.agreement, number=n, name_nl=f"S{n}", name_en=f"S{n}"
        )
    for i, (code, nl, en) in enumerate(THEMES):
        if code != "living-wage":
            ThemeFactory(
                agreement=world.agreement,
                code=code,
                name_nl=nl,
                name_en=en.capitalize(),
                sort_order=i,
            )
    fw = frameworks.framework_import(
        agreement=world.agreement, data=garment_framework_file(), actor=None
    )
    frameworks.framework_publish(framework=fw, actor=None)
    round_ = self_assessments.assessment_round_open(
        agreement=world.agreement, year=2018, deadline=FAR, actor=None
    )
    round_.second_review_percent = 100  # this one gets a second assessor
    round_.save()
    secret = pyotp.random_base32()
    for name in ("anna", "bert"):
        user = user_with_role(world.secretariat_org, RoleName.ASSESSOR, username=name)
        TOTPDevice.objects.create(user=user, secret=secret, confirmed=True)
    base = live_server.url
    sa_url = "/companies/own-fashion/due-diligence/garments/2018/"

    # 1. The company fills in and submits.
    company = _sign_in(browser, base, "own", next_url=sa_url)
    company.click("text=Start the self-assessment")
    company.wait_for_selector("[name='a-policy-board']")
    _fill_answers(company, full_answers())
    company.screenshot(path=str(ARTIFACTS / "due-diligence-1-self-assessment.png"), full_page=True)
    company.click("button[name=action][value=submit]")
    company.wait_for_selector("text=Submitted. The secretariat will assess it.")
    assert SelfAssessment.objects.get().status == "submitted"

    # 2. The secretariat assigns the first assessor.
    sec = _sign_in(
        browser,
        base,
        "sec",
        secret=world.totp_secret,
        next_url="/secretariat/garments/assessments/2018/",
    )
    first_form = sec.locator("form:has(button[value=first])").first
    first_form.locator("select[name=assessor]").select_option(label="anna")
    first_form.locator("button[value=first]").click()
    sec.wait_for_selector("text=Assigned.")
    assessment = Assessment.objects.get()
    assert assessment.first_assessor.username == "anna"

    # 3. The assessor asks a follow-up question.
    anna = _sign_in(
        browser, base, "anna", secret=secret, next_url="/secretariat/garments/my-assessments/"
    )
    anna.click("text=Own Fashion BV")
    anna.wait_for_selector("text=Ask the company a follow-up question")
    ask = anna.locator("form:has(input[name=action][value=ask])")
    ask.locator("select[name=criterion]").select_option("risk-register")
    ask.locator("input[name=deadline]").fill("2099-01-01")
    ask.locator("textarea[name=text]").fill("Which suppliers in Bangladesh does this cover?")
    ask.locator("button[type=submit]").click()
    anna.wait_for_selector("text=Question sent to the company.")

    # 4. The company answers it in the platform.
    company.goto(f"{base}{sa_url}")
    assert "Which suppliers in Bangladesh does this cover?" in company.content()
    reply = company.locator("form:has(input[name=action][value=reply])").first
    reply.locator("textarea[name=text]").fill("Our two tier-1 suppliers in Dhaka.")
    reply.locator("button:has-text('Send')").click()
    company.wait_for_selector("text=Your answer is sent to the assessor.")

    # 5. The assessor scores every criterion and finishes.
    anna.goto(f"{base}/assessments/{assessment.pk}/")
    assert "Our two tier-1 suppliers in Dhaka." in anna.content()
    for code, points in Criterion.objects.filter(section__framework=fw).values_list(
        "code", "points"
    ):
        anna.fill(f"[name='points-{code}']", str(points))
    anna.click("button[name=action][value=score]")
    anna.wait_for_selector("text=27 score(s) saved.")
    anna.screenshot(path=str(ARTIFACTS / "due-diligence-2-assessor.png"), full_page=True)
    anna.click("button[name=action][value=complete]")
    anna.wait_for_selector("text=Your scoring is finished.")
    assessment.refresh_from_db()
    assert assessment.status == "second" and assessment.proposed_outcome == "fully-compliant"

    # 6. The secretariat assigns a second assessor, who scores blind.
    sec.goto(f"{base}/secretariat/garments/assessments/2018/")
    second_form = sec.locator("form:has(button[value=second])").first
    second_form.locator("select[name=assessor]").select_option(label="bert")
    second_form.locator("button[value=second]").click()
    sec.wait_for_selector("text=Assigned.")
    bert = _sign_in(browser, base, "bert", secret=secret, next_url=f"/assessments/{assessment.pk}/")
    assert "first assessor's scores are hidden" in bert.content()
    assert "proposed outcome" not in bert.content()
    for code, points in Criterion.objects.filter(section__framework=fw).values_list(
        "code", "points"
    ):
        bert.fill(
            f"[name='points-{code}']",
            str(max(points - 1, 0)) if code == "policy-board" else str(points),
        )
    bert.click("button[name=action][value=score]")
    bert.wait_for_selector("text=27 score(s) saved.")
    bert.screenshot(
        path=str(ARTIFACTS / "due-diligence-3-second-assessor-blind.png"), full_page=True
    )
    bert.click("button[name=action][value=complete]")
    bert.wait_for_selector("text=Your scoring is finished.")

    # 7. The secretariat releases the outcome; the company sees it.
    sec.goto(f"{base}/assessments/{assessment.pk}/")
    sec.fill(
        "textarea[name=feedback]",
        "A complete plan with results; keep the living wage project going.",
    )
    sec.click("text=Release to the company")
    sec.wait_for_selector("text=The outcome is released to the company.")
    sec.goto(f"{base}/secretariat/garments/calibration/")
    assert "anna" in sec.content() and "bert" in sec.content()
    sec.screenshot(path=str(ARTIFACTS / "due-diligence-4-calibration.png"), full_page=True)
    company.goto(f"{base}{sa_url}")
    content = company.content()
    assert "Outcome of the assessment: Fully compliant" in content
    assert "keep the living wage project going" in content
    company.screenshot(path=str(ARTIFACTS / "due-diligence-5-outcome.png"), full_page=True)
