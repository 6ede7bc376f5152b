"""Frameworks: which version applies to a reporting year, one version with its sections,
criteria and section maxima, and the export file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from covenant.agreements.models import Agreement
from covenant.duediligence.framework_file import FORMAT
from covenant.duediligence.models import CountryRiskHint, Criterion, Framework, Section


def frameworks_of(agreement: Agreement) -> QuerySet[Framework]:
    return Framework.objects.filter(agreement=agreement).order_by("-version")


def framework_for_year(agreement: Agreement, year: int) -> Framework | None:
    """The published version with the latest first year at or before `year`."""
    return (
        Framework.objects.filter(
            agreement=agreement, status=Framework.Status.PUBLISHED, valid_from_year__lte=year
        )
        .order_by("-valid_from_year", "-version")
        .first()
    )


def framework_current(agreement: Agreement) -> Framework | None:
    return (
        Framework.objects.filter(agreement=agreement, status=Framework.Status.PUBLISHED)
        .order_by("-valid_from_year", "-version")
        .first()
    )


@dataclass(frozen=True)
class SectionView:
    section: Section
    criteria: list[Criterion]
    maximum: int
    share_percent: float


@dataclass(frozen=True)
class FrameworkView:
    framework: Framework
    sections: list[SectionView]
    maximum: int
    minimums: list[tuple[int, float]]
    outcomes: list[Any]

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]


def framework_detail(framework: Framework) -> FrameworkView:
    """The framework with its criteria in order and each section's maximum (and share of the
    total), in three queries."""
    sections = list(
        framework.sections.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("theme"))
        )
    )
    maxima = [sum(c.points for c in s.criteria.all()) for s in sections]
    total = sum(maxima)
    return FrameworkView(
        framework=framework,
        sections=[
            SectionView(
                section=s,
                criteria=list(s.criteria.all()),
                maximum=m,
                share_percent=round(100 * m / total, 1) if total else 0.0,
            )
            for s, m in zip(sections, maxima, strict=True)
        ],
        maximum=total,
        minimums=[(m.membership_year, float(m.min_percent)) for m in framework.minimums.all()],
        outcomes=list(framework.outcomes.all()),
    )


def framework_export(framework: Framework) -> dict[str, Any]:
    """The framework as a file another agreement (or the next version) can import."""
    view = framework_detail(framework)
    return {
        "format": FORMAT,
        "name": {"nl": framework.name_nl, "en": framework.name_en},
        "description": {"nl": framework.description_nl, "en": framework.description_en},
        "valid_from_year": framework.valid_from_year,
        "shared_priority_risks": framework.shared_priority_risks,
        "source": {"agreement": framework.agreement.slug, "version": framework.version},
        "sections": [
            {
                "code": s.section.code,
                "kind": s.section.kind,
                "name": {"nl": s.section.name_nl, "en": s.section.name_en},
                "description": {"nl": s.section.description_nl, "en": s.section.description_en},
                "oecd_steps": list(s.section.oecd_steps),
                "criteria": [
                    {
                        "code": c.code,
                        "text": {"nl": c.text_nl, "en": c.text_en},
                        "guidance": {"nl": c.guidance_nl, "en": c.guidance_en},
                        "examples": {"nl": c.examples_nl, "en": c.examples_en},
                        "answer_type": c.answer_type,
                        "options": c.options,
                        "required": c.required,
                        "points": c.points,
                        "scoring": c.scoring,
                        "theme": c.theme.code if c.theme else None,
                    }
                    for c in s.criteria
                ],
            }
            for s in view.sections
        ],
        "minimums": [{"membership_year": y, "min_percent": p} for y, p in view.minimums],
        "outcomes": [
            {"code": o.code, "name": {"nl": o.name_nl, "en": o.name_en}, "rule": o.rule}
            for o in view.outcomes
        ],
        "country_risks": [
            {
                "theme": h.theme.code,
                "country": h.country,
                "level": h.level,
                "note": {"nl": h.note_nl, "en": h.note_en},
            }
            for h in framework.country_risks.select_related("theme")
        ],
    }


def country_risk_hints(agreement: Agreement) -> dict[tuple[int, str], CountryRiskHint]:
    """(theme id, country) -> the current framework's hint."""
    framework = framework_current(agreement)
    if framework is None:
        return {}
    return {(h.theme_id, h.country): h for h in CountryRiskHint.objects.filter(framework=framework)}
