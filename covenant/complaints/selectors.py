"""Reads of the complaints procedure: the public register (anonymised pending cases and
published rulings), a committee's cases, a user's own cases, and one case as one side
sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from covenant.agreements.models import Agreement
from covenant.complaints.models import (
    OPEN_STAGES,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintMessage,
    ConflictDeclaration,
    Hearing,
    Ruling,
    Side,
    Stage,
)


def register_pending(
    agreement: Agreement, *, country: str = "", theme: str = ""
) -> QuerySet[Complaint]:
    """Pending cases for the public register. Callers show only the anonymised fields:
    reference, filed date, country, theme and stage (never who filed or about whom)."""
    qs = Complaint.objects.filter(agreement=agreement, stage__in=OPEN_STAGES).select_related(
        "theme"
    )
    if country:
        qs = qs.filter(country=country.upper()[:2])
    if theme:
        qs = qs.filter(theme__code=theme[:40])
    return qs.order_by("-filed_on", "-pk")


def rulings_published(agreement: Agreement, *, q: str = "") -> QuerySet[Ruling]:
    """Published rulings, newest first; `q` searches their text (nl and en) and the case
    reference."""
    qs = Ruling.objects.filter(
        complaint__agreement=agreement, published_on__isnull=False
    ).select_related("complaint", "complaint__theme")
    for word in (q or "").split()[:6]:
        word = word[:60]
        qs = qs.filter(
            Q(text_en__icontains=word)
            | Q(text_nl__icontains=word)
            | Q(complaint__reference__icontains=word)
        )
    return qs.order_by("-published_on", "-pk")


@dataclass
class CaseRow:
    complaint: Complaint
    overdue: bool
    due_soon: bool


def committee_cases(
    agreement: Agreement, member_id: int, *, open_only: bool = True
) -> list[CaseRow]:
    """The agreement's cases a committee member may see (recused cases left out), the most
    urgent first, with whether the stage's deadline is past or near."""
    recused = ConflictDeclaration.objects.filter(member_id=member_id).values("complaint_id")
    qs = Complaint.objects.filter(agreement=agreement).exclude(pk__in=recused)
    if open_only:
        qs = qs.exclude(stage__in=[Stage.CLOSED, Stage.INADMISSIBLE])
    today = timezone.localdate()
    rows = [
        CaseRow(
            c,
            overdue=c.due_on is not None and c.due_on < today and c.is_pending,
            due_soon=c.due_on is not None
            and today <= c.due_on <= today + dt.timedelta(days=7)
            and c.is_pending,
        )
        for c in qs.select_related("theme", "respondent", "filer_org")
    ]
    far = dt.date.max
    rows.sort(key=lambda r: (not r.overdue, r.complaint.due_on or far, r.complaint.reference))
    return rows


def user_cases(*, user_id: int, organisation_ids: frozenset[int]) -> QuerySet[Complaint]:
    """Cases the user's organisations filed, or that are about them once admissible."""
    return (
        Complaint.objects.filter(
            Q(filed_by_id=user_id)
            | Q(filer_org_id__in=organisation_ids)
            | (
                Q(respondent_id__in=organisation_ids)
                & ~Q(stage__in=[Stage.FILED, Stage.INADMISSIBLE])
            )
        )
        .select_related("agreement", "respondent", "filer_org")
        .order_by("-filed_on", "-pk")
    )


@dataclass
class CaseView:
    complaint: Complaint
    side: str
    events: list[ComplaintEvent] = field(default_factory=list)
    messages: list[ComplaintMessage] = field(default_factory=list)
    documents: list[ComplaintDocument] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    conflicts: list[ConflictDeclaration] = field(default_factory=list)


def case_view(complaint: Complaint, side: str) -> CaseView:
    """A case as `side` sees it: messages only between the committee and that side,
    documents of that side or shared, conflict declarations only for the committee."""
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")
    messages = ComplaintMessage.objects.filter(complaint=complaint).select_related("author")
    documents = ComplaintDocument.objects.filter(complaint=complaint)
    conflicts: list[ConflictDeclaration] = []
    if side == Side.COMMITTEE:
        conflicts = list(
            ConflictDeclaration.objects.filter(complaint=complaint).select_related("member")
        )
    else:
        events = events.exclude(action="conflict_declared")
        messages = messages.filter(Q(from_side=side) | Q(to_side=side))
        documents = documents.filter(Q(side=side) | Q(shared=True))
    return CaseView(
        complaint=complaint,
        side=side,
        events=list(events),
        messages=list(messages),
        documents=list(documents),
        hearings=list(Hearing.objects.filter(complaint=complaint)),
        rulings=list(Ruling.objects.filter(complaint=complaint)),
        conflicts=conflicts,
    )


@dataclass(frozen=True)
class YearStats:
    year: int
    filed: int
    inadmissible: int
    settled: int
    ruled: int  # final rulings given
    upheld: int  # well-founded or partly
    pending: int


def yearly_stats(agreement: Agreement) -> list[YearStats]:
    """Complaints per year filed: how many, not admissible, settled, ruled on (and how many
    of those well-founded), still pending. Counts of cases (which the public register lists
    anyway without names), so nothing is suppressed."""
    rows: dict[int, dict[str, int]] = {}
    for filed_on, stage, outcome in Complaint.objects.filter(agreement=agreement).values_list(
        "filed_on", "stage", "outcome"
    ):
        r = rows.setdefault(filed_on.year, dict.fromkeys(
            ("filed", "inadmissible", "settled", "ruled", "upheld", "pending"), 0))  # fmt: skip
        r["filed"] += 1
        r["inadmissible"] += stage == Stage.INADMISSIBLE
        r["settled"] += outcome == Complaint.Outcome.SETTLED
        r["ruled"] += outcome in ("upheld", "partly", "rejected")
        r["upheld"] += outcome in ("upheld", "partly")
        r["pending"] += stage in OPEN_STAGES
    return [YearStats(year, **r) for year, r in sorted(rows.items())]


def cases_by_stage(agreement: Agreement) -> list[tuple[str, str, int]]:
    """How many of the agreement's cases are at each stage now (code, label, count), in the
    order of the procedure; stages without cases are left out."""
    from django.db.models import Count

    counts = dict(
        Complaint.objects.filter(agreement=agreement)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (code, str(label), int(counts[code])) for code, label in Stage.choices if counts.get(code)
    ]
