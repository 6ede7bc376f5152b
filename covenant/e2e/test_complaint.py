"""End-to-end, in headless Chromium: a union files a complaint; a committee member (second
factor) finds it admissible; the company it is about answers the committee. Screenshots
under test-artifacts/."""

from __future__ import annotations

import pyotp
import pytest

from covenant.accounts.models import RoleName, TOTPDevice
from covenant.agreements.models import Organisation
from covenant.agreements.tests.factories import OrganisationFactory, user_with_role
from covenant.complaints.models import Complaint, ComplaintMessage
from covenant.conftest import PASSWORD
from covenant.e2e.browser import ARTIFACTS, needs_chromium, sign_in

pytestmark = [needs_chromium]


@pytest.mark.django_db(transaction=True)
def test_complaint_from_filing_to_response(world, live_server, browser_page):
    page = browser_page
    base = live_server.url
    committee = OrganisationFactory(
        name="Committee", slug="committee", type=Organisation.Type.COMMITTEE
    )
    world.agreement.committee = committee
    world.agreement.save()
    member = user_with_role(committee, RoleName.COMMITTEE_MEMBER, username="member")
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=member, secret=secret, confirmed=True)

    sign_in(page, base, "party", "/agreements/garments/complaints/file/")
    page.select_option(
        "#id_filer", label=f"Affected workers or their representatives — {world.party_org.name}"
    )
    page.fill("#id_on_behalf_of", "the sewing workers of Pioneer Knitwear")
    page.select_option("#id_respondent", label="Own Fashion BV")
    page.fill("#id_subject", "Unpaid overtime")
    page.fill("#id_description", "Overtime of 80 hours a week, paid at the normal rate.")
    page.fill("#id_country", "BD")
    page.screenshot(path=str(ARTIFACTS / "complaint-1-file.png"), full_page=True)
    page.click("main button[type=submit]")
    page.wait_for_selector("#case-stage")
    complaint = Complaint.objects.get()
    assert "Filed" in page.inner_text("#case-stage")
    page.click("text=Sign out")

    page.context.clear_cookies()
    sign_in(page, base, "member", f"/complaints/{complaint.reference}/", totp=secret)
    page.fill("#id_reasons", "It concerns a supplier of a member company.")
    page.click("button[value=admissible]")
    page.wait_for_selector("text=the other side is asked to respond")
    assert "Response" in page.inner_text("#case-stage")
    page.screenshot(path=str(ARTIFACTS / "complaint-2-committee.png"), full_page=True)
    page.context.clear_cookies()

    sign_in(page, base, "own", f"/complaints/{complaint.reference}/")
    page.fill("#id_body", "We have asked the factory for its time records.")
    page.click("text=Send")
    page.wait_for_selector("text=Message sent.")
    page.screenshot(path=str(ARTIFACTS / "complaint-3-company.png"), full_page=True)
    message = ComplaintMessage.objects.get()
    assert message.from_side == "respondent" and message.to_side == "committee"
    assert PASSWORD  # the demo password signs every test user in
