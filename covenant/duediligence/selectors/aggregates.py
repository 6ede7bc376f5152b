"""Aggregates of the assessments per agreement and reporting year, for the annual report, the
secretariat's dashboard and the public: how many companies were assessed, the share in each
outcome category, the distribution of scores, the most prioritised themes and countries, and
how many companies share priority risks.

Publishing rule (covenant.core.aggregates): a year with fewer than MIN_GROUP_SIZE assessed
companies shows nothing; within a year, a category, score band, theme or country held by
fewer than MIN_GROUP_SIZE companies is suppressed (None), so no single company's result can be
read off or combined with other published facts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language

from covenant.agreements.models import Agreement, Theme
from covenant.core.aggregates import is_publishable, min_group_size
from covenant.duediligence.models import Assessment, OutcomeCategory, Risk, RiskShare
from covenant.duediligence.priority import INVOLVEMENT_RANK

BANDS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


def _suppressed(count: int) -> int | None:
    """A count of companies: shown when 0 or at least MIN_GROUP_SIZE."""
    return count if count == 0 or is_publishable(count) else None


@dataclass(frozen=True)
class OutcomeShare:
    code: str
    name: str
    count: int | None
    percent: float | None


@dataclass(frozen=True)
class YearAggregate:
    year: int
    assessed: int | None  # None: fewer than MIN_GROUP_SIZE companies assessed
    publishable: bool
    outcomes: list[OutcomeShare]
    bands: list[tuple[str, int | None]]
    themes: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    sharing: int | None

    def share(self, code: str) -> float | None:
        return next((o.percent for o in self.outcomes if o.code == code), None)


def year_aggregates(
    agreement: Agreement, *, top: int = 3, years: list[int] | None = None, risks: bool = True
) -> list[YearAggregate]:
    """Per reporting year with released assessments (oldest first). The prioritised themes
    and countries and the number of companies sharing risks come from the current registers
    (the register has no yearly snapshots), so they are the same in every year's row."""
    qs = Assessment.objects.filter(
        self_assessment__round__agreement=agreement, status=Assessment.Status.RELEASED
    )
    if years is not None:
        qs = qs.filter(self_assessment__round__year__in=years)
    released = list(
        qs.values_list("self_assessment__round__year", "outcome__code", "total_percent")
    )
    # Outcome categories in the order of the frameworks (a later version may add one).
    names: dict[str, str] = {}
    order: list[str] = []
    for cat in OutcomeCategory.objects.filter(framework__agreement=agreement).order_by(
        "framework__version", "sort_order"
    ):
        if cat.code not in names:
            names[cat.code] = cat.name
            order.append(cat.code)
    per_year: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for year, code, percent in released:
        per_year[year].append((code or "", float(percent or 0)))
    themes: list[tuple[str, int]] = []
    countries: list[tuple[str, int]] = []
    sharing_companies = 0
    if risks and released:
        themes, countries = prioritised(agreement, top=top)
        sharing_companies = (
            RiskShare.objects.filter(
                revoked_at__isnull=True, risk__agreement=agreement, risk__status=Risk.Status.OPEN
            )
            .values("risk__company_id")
            .distinct()
            .count()
        )
    out = []
    for year in sorted(per_year):
        rows = per_year[year]
        n = len(rows)
        publishable = is_publishable(n)
        counts = Counter(code for code, _p in rows)
        outcomes = []
        for code in order:
            c = _suppressed(counts.get(code, 0)) if publishable else None
            outcomes.append(
                OutcomeShare(
                    code,
                    names[code],
                    c,
                    round(100 * c / n, 1) if c is not None and n else None,
                )
            )
        bands = []
        for low, high in BANDS:
            label = f"{low}–{min(high, 100)}%"
            c = sum(1 for _code, p in rows if low <= p < high)
            bands.append((label, _suppressed(c) if publishable else None))
        out.append(
            YearAggregate(
                year=year,
                assessed=n if publishable else None,
                publishable=publishable,
                outcomes=outcomes,
                bands=bands,
                themes=themes,
                countries=countries,
                sharing=_suppressed(sharing_companies),
            )
        )
    return out


@dataclass(slots=True)
class _R:
    """The fields of a risk the priority order needs (read in one query)."""

    pk: int
    scale: int
    scope: int
    irremediable: int
    likelihood: int
    involvement: str
    theme: int  # id
    country: str

    @property
    def severity(self) -> int:
        return self.scale + self.scope + self.irremediable


def prioritised(
    agreement: Agreement, *, top: int = 3
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Themes and countries by the number of companies with an open risk there among their
    `top` priorities; only those with at least MIN_GROUP_SIZE companies.

    The computed order (severity, likelihood, involvement, oldest first, as
    `priority.computed_key`) is ranked in the database with a window function, so only the
    top rows of each register are read; the few companies that set their own order are
    ordered in memory exactly as their register page does."""
    from covenant.duediligence.models import RiskOrder
    from covenant.duediligence.priority import priority_order

    open_risks = Risk.objects.filter(agreement=agreement, status=Risk.Status.OPEN)
    if open_risks.values("company_id").distinct().count() < min_group_size():
        return [], []
    lang = "nl" if (get_language() or "en").startswith("nl") else "en"
    theme_names = {
        pk: (nl if lang == "nl" else en) or en
        for pk, nl, en in Theme.objects.filter(agreement=agreement).values_list(
            "pk", "name_nl", "name_en"
        )
    }
    orders: dict[int, list[int]] = {}
    for company_id, order in (
        RiskOrder.objects.filter(agreement=agreement)
        .order_by("company_id", "-created_at", "-id")
        .values_list("company_id", "order")
    ):
        orders.setdefault(company_id, order)  # the latest per company
    manual = {cid for cid, order in orders.items() if order}
    chosen: list[tuple[int, int, str]] = []  # company, theme id, country
    ranked_qs = (
        open_risks.exclude(company_id__in=manual)
        .annotate(
            severity_sum=F("scale") + F("scope") + F("irremediable"),
            involvement_rank=Case(
                *(When(involvement=k, then=Value(v)) for k, v in INVOLVEMENT_RANK.items()),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("company_id")],
                order_by=[
                    F("severity_sum").desc(),
                    F("likelihood").desc(),
                    F("involvement_rank").asc(),
                    F("pk").asc(),
                ],
            )
        )
        .filter(place__lte=top)
    )
    chosen += list(ranked_qs.values_list("company_id", "theme_id", "country"))
    if manual:
        per_company: dict[int, list[_R]] = defaultdict(list)
        for row in open_risks.filter(company_id__in=manual).values_list(
            "company_id",
            "pk",
            "scale",
            "scope",
            "irremediable",
            "likelihood",
            "involvement",
            "theme_id",
            "country",
        ):
            per_company[row[0]].append(_R(*row[1:]))
        for company_id, items in per_company.items():
            for prow in priority_order(items, orders[company_id])[:top]:
                risk = prow.risk
                assert isinstance(risk, _R)
                chosen.append((company_id, risk.theme, risk.country))
    theme_companies: dict[str, set[int]] = defaultdict(set)
    country_companies: dict[str, set[int]] = defaultdict(set)
    for company_id, theme_id, country in chosen:
        theme_companies[theme_names.get(theme_id, "")].add(company_id)
        if country:
            country_companies[country].add(company_id)

    def ranked(groups: dict[str, set[int]]) -> list[tuple[str, int]]:
        rows = [(k, len(v)) for k, v in groups.items() if is_publishable(len(v))]
        return sorted(rows, key=lambda kv: (-kv[1], kv[0]))

    return ranked(theme_companies), ranked(country_companies)


def member_distribution(agreement: Agreement, year: int) -> YearAggregate | None:
    """The outcome shares of one year (for a company's page; without the risk figures, so it
    costs two small queries), or None when there is none."""
    years = year_aggregates(agreement, years=[year], risks=False)
    return years[0] if years else None
