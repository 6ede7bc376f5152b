"""The records the engine reads and the results it returns. Plain data, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["match", "review", "new"]


@dataclass(frozen=True, slots=True)
class Record:
    """A facility as a registry holds it, or a row as a company uploads it.

    `country` is an ISO 3166-1 alpha-2 code (upper or lower case); the caller turns country
    names into codes first (`covenant.matching.countries.country_code`)."""

    id: str
    name: str
    address: str
    country: str
    city: str = ""
    postal_code: str = ""
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registry facility that may be the same as the row, with the calibrated probability
    that it is and the reasons a reviewer reads (e.g. "same name", "unit 1 vs unit 2")."""

    id: str
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision for one row: `facility_id` is the best candidate for `match` and
    `review`, None for `new`; `score` is the probability that the row is that facility, given
    that at most one candidate can be (`engine.exclusive`; 0.0 when new); `candidates` are
    the top candidates, best first (for the review queue)."""

    row_id: str
    decision: Decision
    facility_id: str | None
    score: float
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
