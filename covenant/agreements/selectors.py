"""Reads for agreements: member lists at a date, year counts from the membership history,
market coverage (aggregated and suppressed below MIN_GROUP_SIZE), signatories."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from covenant.agreements.models import (
    Agreement,
    Brand,
    CoverageTarget,
    MarketSize,
    Membership,
    MembershipEvent,
    Organisation,
    Signatory,
    Turnover,
)
from covenant.core.aggregates import is_publishable

S = Membership.Status


def agreement_list() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("secretariat").order_by("-status", "name_en")


def agreements_public() -> QuerySet[Agreement]:
    """Every agreement with the number of companies that are a member today."""
    return agreement_list().annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__status__in=Membership.MEMBER_STATUSES)
        )
    )


def agreement_get(slug: str) -> Agreement | None:
    return (
        Agreement.objects.select_related("secretariat", "committee")
        .prefetch_related("themes", "dd_steps", "coverage_targets")
        .filter(slug=slug)
        .first()
    )


def _member_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}joined_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
    )


def members_on(agreement: Agreement, on: dt.date) -> QuerySet[Membership]:
    """Memberships that were in force (active, associated or suspended) on a date."""
    return (
        Membership.objects.filter(agreement=agreement)
        .filter(_member_q(on))
        .select_related("company")
        .prefetch_related(Prefetch("company__brands", queryset=Brand.objects.order_by("name")))
        .order_by("company__name")
    )


def current_members(agreement: Agreement) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(agreement=agreement, status__in=Membership.MEMBER_STATUSES)
        .select_related("company")
        .prefetch_related(Prefetch("company__brands", queryset=Brand.objects.order_by("name")))
        .order_by("company__name")
    )


@dataclass(frozen=True)
class MemberCount:
    on: dt.date
    companies: int
    brands: int


def member_count_on(agreement: Agreement, on: dt.date) -> MemberCount:
    company_ids = list(
        Membership.objects.filter(agreement=agreement)
        .filter(_member_q(on))
        .values_list("company_id", flat=True)
    )
    brands = Brand.objects.filter(company_id__in=company_ids).count()
    return MemberCount(on=on, companies=len(company_ids), brands=brands)


@dataclass(frozen=True)
class YearCounts:
    year: int
    joined: int
    left: int
    left_by_reason: dict[str, int]
    members_at_end: int


def _member_spans(agreement: Agreement) -> list[tuple[int, dt.date, dt.date | None]]:
    """(company id, joined on, ended on) of every membership that ever came into force."""
    return [
        (company_id, joined_on, ended_on)
        for company_id, joined_on, ended_on in Membership.objects.filter(
            agreement=agreement, joined_on__isnull=False
        ).values_list("company_id", "joined_on", "ended_on")
        if joined_on is not None
    ]


def _in_force(joined_on: dt.date, ended_on: dt.date | None, on: dt.date) -> bool:
    return joined_on <= on and (ended_on is None or ended_on > on)


def membership_year_counts(agreement: Agreement) -> list[YearCounts]:
    """Joins and leaves per year, derived from the membership events."""
    events = MembershipEvent.objects.filter(membership__agreement=agreement).values_list(
        "from_status", "to_status", "effective_on", "reason"
    )
    joined: dict[int, int] = defaultdict(int)
    left: dict[int, int] = defaultdict(int)
    reasons: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    years: set[int] = set()
    for from_status, to_status, effective_on, reason in events:
        year = effective_on.year
        if from_status == S.APPLIED and to_status in (S.ACTIVE, S.ASSOCIATED):
            joined[year] += 1
            years.add(year)
        elif to_status == S.ENDED:
            left[year] += 1
            reasons[year][reason] += 1
            years.add(year)
    if not years:
        return []
    spans = _member_spans(agreement)
    result = []
    for year in range(min(years), max(years) + 1):
        year_end = dt.date(year, 12, 31)
        end_count = sum(
            1 for _c, joined_on, ended_on in spans if _in_force(joined_on, ended_on, year_end)
        )
        result.append(YearCounts(year, joined[year], left[year], dict(reasons[year]), end_count))
    return result


def membership_history(membership: Membership) -> QuerySet[MembershipEvent]:
    return membership.events.select_related("actor").order_by("effective_on", "id")


def memberships_for_company(company: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(company=company)
        .select_related("agreement")
        .prefetch_related(
            Prefetch("events", queryset=MembershipEvent.objects.select_related("actor"))
        )
        .order_by("agreement__name_en", "-applied_on")
    )


def memberships_for_secretariat(
    agreement: Agreement, status: str | None = None
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(agreement=agreement).select_related("company")
    qs = qs.annotate(brand_count=Count("company__brands"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "company__name")


# --- market coverage -------------------------------------------------------------------
@dataclass(frozen=True)
class CoveragePoint:
    on: dt.date
    label: str
    companies: int
    reporting: int
    coverage_percent: float | None  # None: suppressed or no market size
    target_percent: float | None
    suppressed: bool


def _latest_by_year(rows: dict[int, Decimal], year: int) -> Decimal | None:
    eligible = [y for y in rows if y <= year]
    return rows[max(eligible)] if eligible else None


@dataclass(frozen=True)
class _CoverageInputs:
    spans: list[tuple[int, dt.date, dt.date | None]]  # company, joined_on, ended_on
    turnovers: dict[int, dict[int, Decimal]]
    sizes: dict[int, Decimal]
    targets: dict[int, Decimal]


def _coverage_inputs(agreement: Agreement) -> _CoverageInputs:
    """Everything coverage needs, in four queries, whatever the number of dates asked."""
    spans = _member_spans(agreement)
    turnovers: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for company_id, year, amount in Turnover.objects.filter(
        company_id__in={company for company, _j, _e in spans}
    ).values_list("company_id", "year", "amount_eur"):
        turnovers[company_id][year] = amount
    sizes = dict(MarketSize.objects.filter(agreement=agreement).values_list("year", "amount_eur"))
    targets = dict(
        CoverageTarget.objects.filter(agreement=agreement).values_list("year", "target_percent")
    )
    return _CoverageInputs(spans, turnovers, sizes, targets)


def _coverage_point(inputs: _CoverageInputs, on: dt.date, label: str) -> CoveragePoint:
    company_ids = {
        company
        for company, joined_on, ended_on in inputs.spans
        if _in_force(joined_on, ended_on, on)
    }
    total = Decimal(0)
    reporting = 0
    for company_id in company_ids:
        latest = _latest_by_year(inputs.turnovers.get(company_id, {}), on.year)
        if latest is not None:
            total += latest
            reporting += 1
    market = _latest_by_year(inputs.sizes, on.year)
    target = _latest_by_year(inputs.targets, on.year)
    publishable = is_publishable(reporting)
    coverage = None
    if publishable and market:
        coverage = round(float(total / market * 100), 1)
    return CoveragePoint(
        on=on,
        label=label or on.isoformat(),
        companies=len(company_ids),
        reporting=reporting,
        coverage_percent=coverage,
        target_percent=float(target) if target is not None else None,
        suppressed=not publishable,
    )


def coverage_on(agreement: Agreement, on: dt.date, *, label: str = "") -> CoveragePoint:
    """Members' turnover (of the year, else their latest earlier year) over the market size
    of the year (else the latest earlier). Suppressed when fewer than MIN_GROUP_SIZE
    member companies reported turnover."""
    return _coverage_point(_coverage_inputs(agreement), on, label)


def coverage_series(agreement: Agreement, *, today: dt.date | None = None) -> list[CoveragePoint]:
    """Coverage at the start of each year of the agreement (and today, if it is running)."""
    start = agreement.signed_on or dt.date(2016, 1, 1)
    end = agreement.ends_on or today or dt.date.today()
    if today and today < end:
        end = today
    inputs = _coverage_inputs(agreement)
    points = [
        _coverage_point(inputs, dt.date(year, 1, 1), f"1-1-{year}")
        for year in range(start.year + 1, end.year + 1)
    ]
    if not points or points[-1].on != end:  # no second point when the end is a 1 January
        # Same day-month-year form as the yearly points ("1-1-2019"): no leading zeros.
        points.append(_coverage_point(inputs, end, f"{end.day}-{end.month}-{end.year}"))
    return points


def market_sizes(agreement: Agreement) -> QuerySet[MarketSize]:
    return MarketSize.objects.filter(agreement=agreement).order_by("year")


def turnovers_for_company(company: Organisation) -> QuerySet[Turnover]:
    """Confidential: a company's turnover per year (use access_company_confidential first)."""
    return Turnover.objects.filter(company=company).order_by("year")


@dataclass(frozen=True)
class CompanyCoverage:
    company: Organisation
    year: int
    amount_eur: Decimal | None
    share_percent: float | None


def coverage_by_company(agreement: Agreement, year: int) -> list[CompanyCoverage]:
    """Confidential: each member's turnover and share of the market. Secretariat only (audited)."""
    on = dt.date(year, 12, 31)
    memberships = list(members_on(agreement, on))
    amounts = dict(
        Turnover.objects.filter(
            company__in=[m.company for m in memberships], year=year
        ).values_list("company_id", "amount_eur")
    )
    market = MarketSize.objects.filter(agreement=agreement, year=year).first()
    rows = []
    for m in memberships:
        amount = amounts.get(m.company_id)
        share = (
            round(float(amount / market.amount_eur * 100), 2)
            if amount is not None and market
            else None
        )
        rows.append(CompanyCoverage(m.company, year, amount, share))
    return rows


# --- signatories -----------------------------------------------------------------------
def signatories(agreement: Agreement, kind: str | None) -> QuerySet[Signatory]:
    """Current signatories of a kind (party or supporter); both kinds when `kind` is None."""
    qs = Signatory.objects.filter(agreement=agreement, left_on__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("organisation", "commitment").order_by(
        "kind", "organisation__type", "organisation__name"
    )


def organisation_get(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).prefetch_related("brands").first()


def organisation_public_memberships(org: Organisation) -> QuerySet[Membership]:
    """Public facts: which agreements the company is a member of now, and since when."""
    return Membership.objects.filter(
        company=org, status__in=Membership.MEMBER_STATUSES
    ).select_related("agreement")


def organisation_signatures(org: Organisation) -> QuerySet[Signatory]:
    return (
        Signatory.objects.filter(organisation=org)
        .select_related("agreement", "commitment")
        .prefetch_related("commitment__targets__progress", "commitment__targets__theme")
    )


def organisations_public(type: str | None = None, q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if type:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(brands__name__icontains=q)).distinct()
    return qs.order_by("name")
