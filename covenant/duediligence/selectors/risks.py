"""Risk register reads: a company's register in priority order (with why), its action plan,
how many risks it may share, and what the parties see (only risks shared with consent)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from covenant.agreements.models import Agreement, Organisation
from covenant.duediligence.models import (
    ActionTarget,
    CountryRiskHint,
    Risk,
    RiskOrder,
    RiskShare,
)
from covenant.duediligence.priority import PriorityRow, priority_order
from covenant.duediligence.selectors.frameworks import country_risk_hints, framework_current

DEFAULT_SHARE_LIMIT = 2


def share_limit(agreement: Agreement) -> int:
    framework = framework_current(agreement)
    return framework.shared_priority_risks if framework else DEFAULT_SHARE_LIMIT


def risks_of(agreement: Agreement, company: Organisation) -> QuerySet[Risk]:
    return (
        Risk.objects.filter(agreement=agreement, company=company)
        .select_related("theme", "facility")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=ActionTarget.objects.prefetch_related("progress", "results"),
            ),
            Prefetch("shares", queryset=RiskShare.objects.filter(revoked_at__isnull=True)),
        )
    )


@dataclass(frozen=True)
class Register:
    rows: list[PriorityRow]
    order: RiskOrder | None
    limit: int
    shared: set[int] = field(default_factory=set)
    hints: dict[int, CountryRiskHint] = field(default_factory=dict)  # risk id -> hint

    @property
    def rows_with_hints(self) -> list[tuple[PriorityRow, CountryRiskHint | None]]:
        return [(row, self.hints.get(row.risk.pk)) for row in self.rows]

    @property
    def open_rows(self) -> list[PriorityRow]:
        return [r for r in self.rows if r.risk.status == Risk.Status.OPEN]  # type: ignore[attr-defined]


def register(agreement: Agreement, company: Organisation) -> Register:
    """Open risks in priority order (the company's own order where it set one), then closed
    ones; which are shared; the share limit."""
    risks = list(risks_of(agreement, company))
    order = RiskOrder.objects.filter(agreement=agreement, company=company).first()
    open_risks = [r for r in risks if r.status == Risk.Status.OPEN]
    closed = [r for r in risks if r.status != Risk.Status.OPEN]
    rows = priority_order(open_risks, order.order if order else None, order.reason if order else "")
    rows += [
        PriorityRow(r, len(rows) + i, len(rows) + i, "", False)
        for i, r in enumerate(sorted(closed, key=lambda r: r.pk), 1)
    ]
    shared = {r.pk for r in risks if list(r.shares.all())}
    known = country_risk_hints(agreement)
    hints = {
        r.pk: known[(r.theme_id, r.country)] for r in risks if (r.theme_id, r.country) in known
    }
    return Register(
        rows=rows, order=order, limit=share_limit(agreement), shared=shared, hints=hints
    )


def shared_risks(agreement: Agreement) -> list[RiskShare]:
    """Risks companies shared with the parties of the agreement (active consents only)."""
    return list(
        RiskShare.objects.filter(
            revoked_at__isnull=True, risk__agreement=agreement, risk__status=Risk.Status.OPEN
        )
        .select_related("risk", "risk__theme", "risk__company")
        .prefetch_related("risk__targets")
        .order_by("risk__theme__sort_order", "risk__company__name", "risk_id")
    )
