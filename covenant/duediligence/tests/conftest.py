"""Fixtures of the due diligence tests: the world agreement with the OECD steps and the nine
garment themes, the demo framework published, reporting years, complete answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyotp
import pytest
from django.test import Client

from covenant.accounts.middleware import SESSION_VERIFIED_KEY
from covenant.accounts.models import RoleName, TOTPDevice
from covenant.accounts.services import api_token_issue
from covenant.agreements.models import DueDiligenceStep
from covenant.agreements.tests.factories import ThemeFactory, user_with_role
from covenant.conftest import PASSWORD
from covenant.duediligence.demo import THEMES, garment_framework_file
from covenant.duediligence.services import frameworks as framework_services
from covenant.duediligence.services import self_assessments as sa_services

FAR = dt.date(2099, 12, 31)


@pytest.fixture
def agreement(world):
    for n in range(1, 7):
        DueDiligenceStep.objects.create(
            agreement=world.agreement, number=n, name_nl=f"Stap {n}", name_en=f"Step {n}"
        )
    for i, (code, nl, en) in enumerate(THEMES):
        if code != "living-wage":
            ThemeFactory(
                agreement=world.agreement,
                code=code,
                name_nl=nl.capitalize(),
                name_en=en.capitalize(),
                sort_order=i,
            )
    return world.agreement


@pytest.fixture
def published(agreement):
    framework = framework_services.framework_import(
        agreement=agreement, data=garment_framework_file(), actor=None
    )
    return framework_services.framework_publish(framework=framework, actor=None)


@pytest.fixture
def round_2018(published, agreement):
    return sa_services.assessment_round_open(
        agreement=agreement, year=2018, deadline=FAR, actor=None
    )


@pytest.fixture
def round_2019(round_2018, agreement):
    return sa_services.assessment_round_open(
        agreement=agreement, year=2019, deadline=FAR, actor=None
    )


def full_answers() -> dict[str, Any]:
    """An answer to every criterion of the demo framework (97 of 100 points)."""
    answers: dict[str, Any] = {
        "policy-document": {"title": "Policy", "url": "https://example.org/policy.pdf"},
        "policy-board": "yes",
        "policy-responsible": "CSR manager, 16 hours a week",
        "policy-supplier-code": "yes",
        "policy-purchasing": "integrated",
        "risk-locations-known": 90,  # 4 of 5
        "risk-all-themes": "yes",
        "risk-register": [
            {"theme": "Living wage", "country": "BD", "severity": 4, "likelihood": 5}
        ],
        "risk-prioritisation": "Severity first, then likelihood.",
        "plan-smart": "all",
        "eval-monitoring": "yes",
        "eval-public-report": {"title": "Report", "url": "https://example.org/report"},
        "eval-location-list": "yes",
        "stake-consulted": 3,
        "stake-grievance": "yes",
        "result-targets-met": 60,  # 4 of 6
        "result-remediation": "Two cases of unpaid overtime were paid back.",
        "result-living-wage": "scaled",
    }
    for code, _nl, _en in THEMES:
        answers[f"plan-{code}"] = "yes"
    return answers


@dataclass
class Staff:
    """Assessors of the world's secretariat, with page clients past the second factor."""

    users: dict[str, Any]
    secret: str

    def client(self, name: str) -> Client:
        client = Client()
        user = self.users[name]
        client.force_login(user)
        session = client.session
        session[SESSION_VERIFIED_KEY] = user.pk
        session.save()
        return client

    def headers(self, name: str) -> dict[str, str]:
        user = self.users[name]
        TOTPDevice.objects.filter(user=user).update(last_used_step=0)
        token = api_token_issue(
            username=user.username,
            password=PASSWORD,
            otp=pyotp.TOTP(self.secret).now(),
            client="test",
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def staff(world) -> Staff:
    secret = pyotp.random_base32()
    users = {}
    for name in ("anna", "bert", "carl"):
        user = user_with_role(world.secretariat_org, RoleName.ASSESSOR, username=name)
        TOTPDevice.objects.create(user=user, secret=secret, confirmed=True)
        users[name] = user
    return Staff(users, secret)


def submitted(world, round_, answers=None):
    """The own company's self-assessment of the round, answered and submitted."""
    sa = sa_services.self_assessment_start(round_=round_, company=world.company, actor=None)
    sa_services.self_assessment_save(assessment=sa, answers=answers or full_answers(), actor=None)
    return sa_services.self_assessment_submit(assessment=sa, actor=None)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; a page requested in Dutch leaves Dutch active in the
    thread (LocaleMiddleware), so every test starts and ends in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
