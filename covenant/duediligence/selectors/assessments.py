"""Assessment reads: one assessment for an assessor (blind to the other assessor's scores
while the second review runs), the secretariat's list of a reporting year, an assessor's
queue, inter-rater agreement (weighted kappa per criterion and per assessor), the escalation
list, and what the company sees once the outcome is released."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from covenant.accounts.models import User
from covenant.agreements.models import Agreement, Organisation
from covenant.duediligence.kappa import KappaRow, kappa_row, level
from covenant.duediligence.models import (
    Answer,
    Assessment,
    AssessmentRound,
    Criterion,
    CriterionScore,
    FollowUpMessage,
    FollowUpQuestion,
)
from covenant.duediligence.scoring import Score
from covenant.duediligence.selectors.frameworks import framework_detail
from covenant.duediligence.selectors.self_assessments import score_of


def assessments_of_round(round_: AssessmentRound) -> QuerySet[Assessment]:
    return Assessment.objects.filter(self_assessment__round=round_).select_related(
        "self_assessment__company", "first_assessor", "second_assessor", "outcome"
    )


def assessor_queue(user: User, agreement: Agreement) -> list[Assessment]:
    """What is waiting for this assessor: first scoring or (blind) second review."""
    return list(
        Assessment.objects.filter(self_assessment__round__agreement=agreement)
        .filter(
            Q(first_assessor=user, status=Assessment.Status.FIRST)
            | Q(second_assessor=user, status=Assessment.Status.SECOND)
        )
        .select_related("self_assessment__company", "self_assessment__round")
        .order_by("self_assessment__round__year", "self_assessment__company__name")
    )


def questions_of(assessment: Assessment) -> list[FollowUpQuestion]:
    return list(
        FollowUpQuestion.objects.filter(assessment=assessment)
        .select_related("criterion")
        .prefetch_related(
            Prefetch("messages", queryset=FollowUpMessage.objects.select_related("author"))
        )
    )


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    answer: Answer | None
    first: CriterionScore | None
    second: CriterionScore | None
    questions: list[FollowUpQuestion]


@dataclass(frozen=True)
class AssessmentView:
    assessment: Assessment
    sections: list[tuple[Any, int, list[CriterionRow]]]
    first_score: Score
    second_score: Score | None
    blind: bool
    questions: list[FollowUpQuestion]


def assessment_detail(assessment: Assessment, *, blind: bool) -> AssessmentView:
    """The criteria with the company's answers, the scores and the threads. `blind` (the second
    assessor during the second review) leaves out the first assessor's scores and outcome."""
    sa = assessment.self_assessment
    view = framework_detail(sa.round.framework)
    answers = {a.criterion_id: a for a in Answer.objects.filter(self_assessment=sa)}
    scores: dict[str, dict[int, CriterionScore]] = defaultdict(dict)
    for cs in CriterionScore.objects.filter(assessment=assessment):
        scores[cs.role][cs.criterion_id] = cs
    questions = questions_of(assessment)
    by_criterion: dict[int, list[FollowUpQuestion]] = defaultdict(list)
    for q in questions:
        by_criterion[q.criterion_id].append(q)
    sections = []
    for s in view.sections:
        rows = [
            CriterionRow(
                criterion=c,
                answer=answers.get(c.pk),
                first=None if blind else scores["first"].get(c.pk),
                second=scores["second"].get(c.pk),
                questions=by_criterion.get(c.pk, []),
            )
            for c in s.criteria
        ]
        sections.append((s.section, s.maximum, rows))
    first = score_of(view, {cid: sc.points for cid, sc in scores["first"].items()})
    second = (
        score_of(view, {cid: sc.points for cid, sc in scores["second"].items()})
        if scores["second"]
        else None
    )
    return AssessmentView(assessment, sections, first, second, blind, questions)


# --- inter-rater agreement ---------------------------------------------------------------
@dataclass(frozen=True)
class Calibration:
    by_criterion: list[KappaRow]
    by_assessor: list[KappaRow]
    overall: KappaRow
    double_scored: int


def calibration(agreement: Agreement, year: int | None = None) -> Calibration:
    """Weighted kappa of first against second scores on the double-scored assessments: per
    criterion (on its own 0..max points scale) and per assessor (every pair they took part in,
    points put on a common 0-4 scale)."""
    # Three flat queries (no joins over the scores): the double-scored assessments, the
    # criteria, then their scores.
    reviewed = Assessment.objects.filter(
        self_assessment__round__agreement=agreement, second_done_at__isnull=False
    )
    if year is not None:
        reviewed = reviewed.filter(self_assessment__round__year=year)
    raters = {
        aid: (f_id, s_id)
        for aid, f_id, s_id in reviewed.values_list("pk", "first_assessor_id", "second_assessor_id")
    }
    criteria = {
        pk: (code, points)
        for pk, code, points in Criterion.objects.filter(
            section__framework__agreement=agreement
        ).values_list("pk", "code", "points")
    }
    first: dict[tuple[int, str], int] = {}
    second: dict[tuple[int, str], int] = {}
    meta: dict[tuple[int, str], tuple[int, int, int]] = {}
    ids = list(raters)
    for start in range(0, len(ids), 2000):
        for aid, cid, role, points in CriterionScore.objects.filter(
            assessment_id__in=ids[start : start + 2000]
        ).values_list("assessment_id", "criterion_id", "role", "points"):
            code, maximum = criteria[cid]
            key = (aid, code)
            (first if role == "first" else second)[key] = points
            f_id, s_id = raters[aid]
            meta[key] = (maximum, f_id, s_id)
    pairs = [k for k in first if k in second]
    per_criterion: dict[str, list[tuple[int, int]]] = defaultdict(list)
    maxima: dict[str, int] = {}
    per_assessor: dict[int, list[tuple[int, int]]] = defaultdict(list)
    pooled: list[tuple[int, int]] = []
    for key in pairs:
        maximum, f_id, s_id = meta[key]
        per_criterion[key[1]].append((first[key], second[key]))
        maxima[key[1]] = maximum
        levelled = (level(first[key], maximum), level(second[key], maximum))
        per_assessor[f_id].append(levelled)
        per_assessor[s_id].append(levelled)
        pooled.append(levelled)
    names = dict(User.objects.filter(pk__in=list(per_assessor)).values_list("pk", "username"))
    order = {
        code: i
        for i, code in enumerate(
            Criterion.objects.filter(code__in=list(per_criterion))
            .order_by("section__sort_order", "sort_order")
            .values_list("code", flat=True)
            .distinct()
        )
    }
    return Calibration(
        by_criterion=[
            kappa_row(code, code, per_criterion[code], maxima[code] + 1)
            for code in sorted(per_criterion, key=lambda c: order.get(c, 999))
        ],
        by_assessor=[
            kappa_row(str(uid), names.get(uid, "?"), per_assessor[uid], 5)
            for uid in sorted(per_assessor, key=lambda u: names.get(u, ""))
        ],
        overall=kappa_row("all", "all", pooled, 5),
        double_scored=len({aid for aid, _c in pairs}),
    )


# --- escalation ---------------------------------------------------------------------
@dataclass(frozen=True)
class EscalationRow:
    company: Organisation
    year: int
    percent: float
    minimum: float
    history: list[tuple[int, float | None, float | None, str]]  # year, percent, minimum, outcome

    @property
    def years_below(self) -> int:
        return sum(1 for _y, p, m, _o in self.history if p is not None and m is not None and p < m)


def escalations(agreement: Agreement) -> list[EscalationRow]:
    """Companies whose latest released outcome is below the minimum for their membership
    year, with every released year (the history the complaints procedure builds on). One flat
    query over the released assessments, then the companies shown."""
    from covenant.duediligence.models import OutcomeCategory

    names = {}
    for pk, code, name_nl, name_en in OutcomeCategory.objects.filter(
        framework__agreement=agreement
    ).values_list("pk", "code", "name_nl", "name_en"):
        names[pk] = OutcomeCategory(code=code, name_nl=name_nl, name_en=name_en).name
    per_company: dict[int, list[tuple[int, float | None, float | None, str]]] = defaultdict(list)
    for company_id, year, percent, minimum, outcome_id in (
        Assessment.objects.filter(
            self_assessment__round__agreement=agreement, status=Assessment.Status.RELEASED
        )
        .order_by("self_assessment__company_id", "self_assessment__round__year")
        .values_list(
            "self_assessment__company_id",
            "self_assessment__round__year",
            "total_percent",
            "minimum_percent",
            "outcome_id",
        )
    ):
        per_company[company_id].append(
            (
                year,
                float(percent) if percent is not None else None,
                float(minimum) if minimum is not None else None,
                names.get(outcome_id, ""),
            )
        )
    below = {
        cid: history
        for cid, history in per_company.items()
        if history[-1][1] is not None
        and history[-1][2] is not None
        and history[-1][1] < history[-1][2]
    }
    companies = Organisation.objects.in_bulk(list(below))
    out = [
        EscalationRow(
            company=companies[cid],
            year=history[-1][0],
            percent=history[-1][1] or 0.0,
            minimum=history[-1][2] or 0.0,
            history=history,
        )
        for cid, history in below.items()
    ]
    return sorted(out, key=lambda r: (-r.years_below, r.percent, r.company.name))


def released_assessment(self_assessment_id: int) -> Assessment | None:
    """The released assessment of a self-assessment (what the company may see)."""
    return (
        Assessment.objects.filter(
            self_assessment_id=self_assessment_id, status=Assessment.Status.RELEASED
        )
        .select_related("outcome")
        .first()
    )


def assessors_of(agreement: Agreement) -> list[User]:
    """Users who may be given assessments of the agreement."""
    return list(
        User.objects.filter(
            roles__organisation_id=agreement.secretariat_id,
            roles__role__in=["assessor", "secretariat"],
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class SubmissionRow:
    self_assessment: Any
    assessment: Assessment | None


def submissions(round_: AssessmentRound) -> list[SubmissionRow]:
    """Submitted self-assessments of the year with their assessment (if assigned)."""
    from covenant.duediligence.models import SelfAssessment

    sas = list(
        SelfAssessment.objects.filter(round=round_)
        .exclude(status=SelfAssessment.Status.DRAFT, assessment__isnull=True)
        .select_related("company")
        .order_by("company__name")
    )
    by_sa = {a.self_assessment_id: a for a in assessments_of_round(round_)}
    return [SubmissionRow(sa, by_sa.get(sa.pk)) for sa in sas]
