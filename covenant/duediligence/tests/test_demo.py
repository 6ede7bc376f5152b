"""The due diligence demo: loaded through the real services on top of the foundation demo,
idempotent (loading again changes nothing)."""

from __future__ import annotations

import pytest
from django.apps import apps

from covenant.agreements.demo import load_demo
from covenant.duediligence.demo import duediligence_demo_is_loaded, load_duediligence_demo
from covenant.duediligence.models import ActionResult, Framework, SelfAssessment
from covenant.duediligence.selectors.frameworks import framework_detail, framework_for_year
from covenant.duediligence.selectors.risks import register, shared_risks
from covenant.duediligence.selectors.self_assessments import company_years

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_duediligence_demo():
    assert load_duediligence_demo().frameworks == 0  # no garment agreement yet: nothing
    load_demo()
    assert not duediligence_demo_is_loaded()
    summary = load_duediligence_demo()
    assert duediligence_demo_is_loaded() and summary.frameworks == 1
    assert (summary.rounds, summary.self_assessments, summary.risks) == (3, 2, 5)
    framework = Framework.objects.get(agreement__slug="garments")
    agreement = framework.agreement
    assert framework_for_year(agreement, 2018) == framework
    view = framework_detail(framework)
    assert view.maximum == 100 and view.sections[2].share_percent == 40.0

    company = SelfAssessment.objects.filter(round__year=2019).get().company
    assert company.slug == "noordzee-mode"
    years = company_years(company, agreement)
    assert [(y.round.year, y.assessment.status if y.assessment else None) for y in years] == [
        (2020, None),
        (2019, "submitted"),
        (2018, "submitted"),
    ]
    assert years[1].score.percent > years[2].score.percent

    reg = register(agreement, company)
    top_two = {row.risk.pk for row in reg.rows[:2]}
    assert {s.risk.pk for s in shared_risks(agreement)} == top_two == reg.shared
    assert ActionResult.objects.count() == 1

    before = _counts()
    load_duediligence_demo()
    assert _counts() == before
