"""Figures about signals for the annual report: per agreement and year, received, forwarded,
resolved, median days per stage, by country and by theme. They survive anonymisation (only
plain columns are used). A count by country or theme below MIN_GROUP_SIZE is suppressed (a
small number could point to a reporter or, with the list of locations, to a company); so is
a median over fewer signals."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from dataclasses import dataclass, field

from covenant.agreements.models import Agreement
from covenant.core.aggregates import Suppressible, suppress
from covenant.signals.models import Signal, SignalForward


@dataclass
class SignalStatistics:
    year: int
    received: int
    forwarded: int
    resolved: int
    closed: int
    median_days: dict[str, Suppressible] = field(default_factory=dict)
    by_country: list[tuple[str, Suppressible]] = field(default_factory=list)
    by_theme: list[tuple[str, Suppressible]] = field(default_factory=list)


def _days(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> Suppressible:
    return suppress(round(stats.median(values), 1) if values else None, len(values))


def signal_years(agreement: Agreement) -> list[int]:
    return sorted(
        {d.year for d in Signal.objects.filter(agreement=agreement).dates("created_at", "year")},
        reverse=True,
    )


def signal_statistics(agreement: Agreement, year: int) -> SignalStatistics:
    signals = list(
        Signal.objects.filter(agreement=agreement, created_at__year=year).prefetch_related("themes")
    )
    responses: dict[int, list[dt.datetime]] = {}
    for f in SignalForward.objects.filter(signal__in=signals, responded_at__isnull=False):
        responses.setdefault(f.signal_id, []).append(f.responded_at)  # type: ignore[arg-type]
    stage_days: dict[str, list[float]] = {
        "acknowledge": [],
        "forward": [],
        "response": [],
        "close": [],
    }
    countries: dict[str, int] = {}
    themes: dict[str, int] = {}
    for s in signals:
        for key, value in (
            ("acknowledge", _days(s.created_at, s.acknowledged_at)),
            ("forward", _days(s.created_at, s.forwarded_at)),
            (
                "response",
                _days(s.forwarded_at, min(responses[s.pk]) if s.pk in responses else None),
            ),
            ("close", _days(s.created_at, s.closed_at)),
        ):
            if value is not None:
                stage_days[key].append(value)
        if s.country:
            countries[s.country] = countries.get(s.country, 0) + 1
        for t in s.themes.all():
            themes[t.name] = themes.get(t.name, 0) + 1
    return SignalStatistics(
        year=year,
        received=len(signals),
        forwarded=sum(1 for s in signals if s.forwarded_at is not None),
        resolved=sum(1 for s in signals if s.outcome == Signal.Outcome.RESOLVED),
        closed=sum(1 for s in signals if s.closed_at is not None),
        median_days={k: _median(v) for k, v in stage_days.items()},
        by_country=sorted(
            ((c, suppress(n, n)) for c, n in countries.items()),
            key=lambda x: (-x[1].group_size, x[0]),
        ),
        by_theme=sorted(
            ((t, suppress(n, n)) for t, n in themes.items()), key=lambda x: (-x[1].group_size, x[0])
        ),
    )
