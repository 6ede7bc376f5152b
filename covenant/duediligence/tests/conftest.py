"""Fixtures of the due diligence tests: the world agreement with the OECD steps and the nine
garment themes, the demo framework published, reporting years, complete answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from covenant.agreements.models import DueDiligenceStep
from covenant.agreements.tests.factories import ThemeFactory
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
