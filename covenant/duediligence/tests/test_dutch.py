"""Every due diligence page renders in Dutch too (dates, numbers and plural forms)."""

from __future__ import annotations

import pytest
from django.conf import settings

from covenant.duediligence.services import assessments as services
from covenant.duediligence.services import risks as risk_services
from covenant.duediligence.tests.conftest import submitted
from covenant.duediligence.tests.test_risks import risk_data

pytestmark = pytest.mark.django_db


def test_pages_render_in_dutch(world, round_2018, staff):
    sa = submitted(world, round_2018)
    a = services.assessment_assign(self_assessment=sa, assessor=staff.users["anna"], actor=None)
    risk = risk_services.risk_create(
        agreement=world.agreement, company=world.company, data=risk_data(), actor=None
    )
    pages = {
        "own_company": [
            "/companies/own-fashion/due-diligence/",
            "/companies/own-fashion/due-diligence/garments/2018/",
            "/companies/own-fashion/risks/",
            f"/companies/own-fashion/risks/{risk.pk}/",
        ],
        "secretariat": [
            "/agreements/garments/framework/",
            "/agreements/garments/due-diligence/",
            "/agreements/garments/shared-risks/",
            "/secretariat/garments/frameworks/",
            "/secretariat/garments/due-diligence/",
            "/secretariat/garments/due-diligence/2018/",
            "/secretariat/garments/due-diligence/dashboard/",
            "/secretariat/garments/assessments/2018/",
            "/secretariat/garments/calibration/",
            "/secretariat/garments/escalations/",
            f"/assessments/{a.pk}/",
        ],
    }
    for role, urls in pages.items():
        client = world.client(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b'<html lang="nl">' in response.content, url
