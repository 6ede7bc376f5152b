"""The due diligence demo: loaded through the real services on top of the foundation demo,
reproduces the reports (5 of 63 fully compliant in 2018, 36 of 57 in 2019), and is
idempotent (loading again changes nothing)."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.test import Client

from covenant.agreements.demo import load_demo
from covenant.duediligence.demo import duediligence_demo_is_loaded, load_duediligence_demo
from covenant.duediligence.models import ActionResult, Assessment, Framework, SelfAssessment
from covenant.duediligence.selectors.aggregates import year_aggregates
from covenant.duediligence.selectors.assessments import calibration, escalations
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
    started = time.monotonic()
    summary = load_duediligence_demo()
    seconds = time.monotonic() - started
    assert duediligence_demo_is_loaded() and summary.frameworks == 2
    assert (summary.rounds, summary.self_assessments, summary.assessments) == (3, 120, 120)
    assert summary.risks == 5
    assert seconds < 60, seconds
    framework = Framework.objects.get(agreement__slug="garments", version=1)
    agreement = framework.agreement
    assert framework_for_year(agreement, 2018) == framework
    v2 = framework_for_year(agreement, 2020)
    assert v2.version == 2 and framework_detail(v2).maximum == 100
    view = framework_detail(framework)
    assert view.maximum == 100 and view.sections[2].share_percent == 40.0

    released = Assessment.objects.filter(status="released")
    for year, assessed, fully in ((2018, 63, 5), (2019, 57, 36)):
        of_year = released.filter(self_assessment__round__year=year)
        assert of_year.count() == assessed
        assert of_year.filter(outcome__code="fully-compliant").count() == fully
    sample = released.filter(in_sample=True)
    assert sample.exists() and sample.filter(second_done_at__isnull=True).count() == 0
    cal = calibration(agreement)
    assert cal.double_scored == sample.count()
    assert cal.overall.kappa is not None and 0.5 < cal.overall.kappa < 1
    assert escalations(agreement)

    company = (
        SelfAssessment.objects.filter(round__year=2019, company__slug="noordzee-mode").get().company
    )
    years = company_years(company, agreement)
    assert [(y.round.year, y.outcome) for y in years] == [
        (2020, ""),
        (2019, "Fully compliant"),
        (2018, "Not meeting"),
    ]
    reg = register(agreement, company)
    top_two = {row.risk.pk for row in reg.rows[:2]}
    assert {s.risk.pk for s in shared_risks(agreement)} == top_two == reg.shared
    assert ActionResult.objects.count() == 1

    results = {y.year: y for y in year_aggregates(agreement)}
    assert (results[2018].assessed, results[2018].share("fully-compliant")) == (63, 7.9)
    assert (results[2019].assessed, results[2019].share("fully-compliant")) == (57, 63.2)
    html = Client().get("/agreements/garments/due-diligence/").content.decode()
    assert "5 (8%)" in html and "36 (63%)" in html and "<svg" in html

    before = _counts()
    load_duediligence_demo()
    assert _counts() == before

    # company1 starts 2020 (framework v2): prefilled from 2019, one new question.
    from covenant.duediligence.models import AssessmentRound
    from covenant.duediligence.selectors.self_assessments import self_assessment_detail
    from covenant.duediligence.services.self_assessments import self_assessment_start

    round_2020 = AssessmentRound.objects.get(agreement=agreement, year=2020)
    assert round_2020.framework == v2
    sa = self_assessment_start(round_=round_2020, company=company, actor=None)
    view = self_assessment_detail(sa)
    assert (view.new, view.changed) == (1, 0)
    assert view.score.percent == years[1].score.percent  # the 2019 answers carried over
