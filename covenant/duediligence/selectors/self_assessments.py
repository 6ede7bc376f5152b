"""Self-assessments: a company's years with their scores, one self-assessment with its
answers in framework order and its score per section against the maximum, and the
secretariat's overview of a reporting year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from covenant.agreements.models import Agreement, Membership, Organisation
from covenant.duediligence.models import Answer, AssessmentRound, Criterion, Section, SelfAssessment
from covenant.duediligence.scoring import Score, SectionScore, minimum_for_year
from covenant.duediligence.selectors.frameworks import FrameworkView, framework_detail


def rounds_of(agreement: Agreement) -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.filter(agreement=agreement).select_related("framework")


def company_agreements(company: Organisation) -> list[Agreement]:
    """Agreements the company is (or was) a member of."""
    ids = (
        Membership.objects.filter(company=company, joined_on__isnull=False)
        .values_list("agreement_id", flat=True)
        .distinct()
    )
    return list(Agreement.objects.filter(pk__in=list(ids)).select_related("secretariat"))


def score_of(view: FrameworkView, points_by_criterion: dict[int, int]) -> Score:
    """Points per section against each section's maximum."""
    return Score(
        tuple(
            SectionScore(
                code=s.section.code,
                name=s.section.name,
                points=sum(points_by_criterion.get(c.pk, 0) for c in s.criteria),
                maximum=s.maximum,
            )
            for s in view.sections
        )
    )


@dataclass(frozen=True)
class AnswerRow:
    criterion: Criterion
    answer: Answer


@dataclass(frozen=True)
class SectionRows:
    section: Section
    maximum: int
    points: int
    rows: list[AnswerRow]


@dataclass(frozen=True)
class SelfAssessmentView:
    assessment: SelfAssessment
    framework: FrameworkView
    sections: list[SectionRows]
    score: Score
    minimum: float
    changed: int
    new: int

    @property
    def meets_minimum(self) -> bool:
        return self.score.percent >= self.minimum


def self_assessment_detail(assessment: SelfAssessment) -> SelfAssessmentView:
    """The self-assessment with its answers per section (a bounded number of queries)."""
    framework = assessment.round.framework
    view = framework_detail(framework)
    answers = {a.criterion_id: a for a in Answer.objects.filter(self_assessment=assessment)}
    sections = []
    for s in view.sections:
        rows = [AnswerRow(c, answers[c.pk]) for c in s.criteria if c.pk in answers]
        sections.append(
            SectionRows(
                section=s.section,
                maximum=s.maximum,
                points=sum(r.answer.points for r in rows),
                rows=rows,
            )
        )
    score = score_of(view, {cid: a.points for cid, a in answers.items()})
    return SelfAssessmentView(
        assessment=assessment,
        framework=view,
        sections=sections,
        score=score,
        minimum=minimum_for_year(view.minimums, assessment.membership_year),
        changed=sum(1 for a in answers.values() if a.changed),
        new=sum(1 for a in answers.values() if not a.has_previous),
    )


@dataclass(frozen=True)
class CompanyYear:
    round: AssessmentRound
    assessment: SelfAssessment | None
    score: Score | None
    minimum: float | None
    outcome: str = ""
    assessed_percent: float | None = None


def company_years(company: Organisation, agreement: Agreement) -> list[CompanyYear]:
    """Every opened reporting year of the agreement, with the company's self-assessment and
    score where it has one (newest first)."""
    rounds = list(rounds_of(agreement).order_by("-year"))
    assessments = {
        sa.round_id: sa for sa in SelfAssessment.objects.filter(company=company, round__in=rounds)
    }
    points: dict[int, dict[int, int]] = {}
    for sa_id, criterion_id, p in Answer.objects.filter(
        self_assessment__in=list(assessments.values())
    ).values_list("self_assessment_id", "criterion_id", "points"):
        points.setdefault(sa_id, {})[criterion_id] = p
    from covenant.duediligence.models import Assessment

    released = {
        a.self_assessment_id: a
        for a in Assessment.objects.filter(
            self_assessment__in=list(assessments.values()), status=Assessment.Status.RELEASED
        ).select_related("outcome")
    }
    views: dict[int, FrameworkView] = {}
    out = []
    for r in rounds:
        sa = assessments.get(r.pk)
        score = minimum = None
        if sa is not None:
            if r.framework_id not in views:
                views[r.framework_id] = framework_detail(r.framework)
            view = views[r.framework_id]
            score = score_of(view, points.get(sa.pk, {}))
            minimum = minimum_for_year(view.minimums, sa.membership_year)
        done = released.get(sa.pk) if sa is not None else None
        out.append(
            CompanyYear(
                r,
                sa,
                score,
                minimum,
                outcome=done.outcome.name if done and done.outcome else "",
                assessed_percent=float(done.total_percent)
                if done and done.total_percent is not None
                else None,
            )
        )
    return out


@dataclass(frozen=True)
class RoundRow:
    company: Organisation
    assessment: SelfAssessment | None
    percent: float | None


def round_overview(round_: AssessmentRound) -> list[RoundRow]:
    """For the secretariat: each member company of the round's year with its status and
    self-score (percent)."""
    from django.db.models import Q

    members = (
        Membership.objects.filter(
            agreement_id=round_.agreement_id,
            joined_on__isnull=False,
            joined_on__year__lte=round_.year,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=round_.year))
        .select_related("company")
        .order_by("company__name")
    )
    assessments = {sa.company_id: sa for sa in SelfAssessment.objects.filter(round=round_)}
    totals: dict[int, int] = {}
    for sa_id, p in Answer.objects.filter(self_assessment__round=round_).values_list(
        "self_assessment_id", "points"
    ):
        totals[sa_id] = totals.get(sa_id, 0) + p
    maximum = framework_detail(round_.framework).maximum
    rows, seen = [], set()
    for m in members:
        if m.company_id in seen:
            continue
        seen.add(m.company_id)
        sa = assessments.get(m.company_id)
        percent = (
            round(100 * totals.get(sa.pk, 0) / maximum, 1) if sa is not None and maximum else None
        )
        rows.append(RoundRow(m.company, sa, percent))
    return rows


def answer_types(assessment: SelfAssessment) -> dict[str, str]:
    """Criterion code -> answer type of the assessment's framework."""
    from covenant.duediligence.models import Criterion

    return dict(
        Criterion.objects.filter(section__framework_id=assessment.round.framework_id).values_list(
            "code", "answer_type"
        )
    )


def self_assessment_file(assessment: SelfAssessment, kind: str) -> tuple[bytes, str, str]:
    """The export as (content, file name, content type); `kind` is json or xlsx."""
    from covenant.duediligence.answers_file import export_rows, write_file
    from covenant.duediligence.models import Criterion

    view = self_assessment_detail(assessment)
    items = []
    for s in view.sections:
        for r in s.rows:
            c = r.criterion
            assert isinstance(c, Criterion)
            items.append(
                (
                    s.section.code,
                    c.code,
                    c.text,
                    c.answer_type,
                    r.answer.value,
                    r.answer.previous_value,
                )
            )
    meta = {
        "agreement": assessment.round.agreement.slug,
        "year": assessment.round.year,
        "company": assessment.company.slug,
        "framework_version": assessment.round.framework.version,
    }
    answers = {code: value for _s, code, _q, _k, value, _p in items}
    body = write_file(kind, meta, export_rows(items), answers)
    name = f"self-assessment-{assessment.company.slug}-{assessment.round.year}.{kind}"
    content_type = (
        "application/json; charset=utf-8"
        if kind == "json"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return body, name, content_type
