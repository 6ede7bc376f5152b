"""Inter-rater agreement without the database: linearly weighted Cohen's kappa.

kappa_w = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), with w_ij = |i - j| / (k - 1), O the
observed share of pairs (first rating i, second rating j) and E the share expected from the
two raters' marginal distributions. 1 is perfect agreement, 0 what chance gives, below 0
worse than chance. None when it is undefined: no pairs, or both raters always gave the same
single rating (no variation to agree on)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int) -> float | None:
    """Linearly weighted kappa of (first, second) ratings on the scale 0..categories-1."""
    n = len(pairs)
    if n == 0 or categories < 2:
        return None
    k = categories
    first = Counter(a for a, _b in pairs)
    second = Counter(b for _a, b in pairs)
    observed = sum(abs(a - b) for a, b in pairs) / (k - 1) / n
    expected = (
        sum(first[i] * second[j] * abs(i - j) for i in first for j in second) / (k - 1) / (n * n)
    )
    if expected == 0:
        return None
    return round(1 - observed / expected, 3)


def level(points: int, maximum: int, levels: int = 5) -> int:
    """Points on a common 0..levels-1 scale, so criteria with different maxima can be pooled
    (the per-assessor kappa)."""
    if maximum <= 0:
        return 0
    return round((levels - 1) * points / maximum)


@dataclass(frozen=True)
class KappaRow:
    key: str
    label: str
    pairs: int
    kappa: float | None
    exact_agreement: float | None

    @property
    def flag(self) -> bool:
        """Below 0.6 (moderate or worse): a calibration problem worth a conversation."""
        return self.kappa is not None and self.kappa < 0.6


def kappa_row(key: str, label: str, pairs: Sequence[tuple[int, int]], categories: int) -> KappaRow:
    exact = round(sum(1 for a, b in pairs if a == b) / len(pairs), 3) if pairs else None
    return KappaRow(key, label, len(pairs), weighted_kappa(pairs, categories), exact)
