"""The priority order of a company's risks, without the database: severity first (scale +
scope + irremediable character), then likelihood, as the OECD guidance says; then the
company's involvement (causing before contributing before being linked) and the oldest risk
first. A company may put its own order over it; every row says why it is where it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

INVOLVEMENT_RANK = {"cause": 0, "contribute": 1, "linked": 2}


class RiskLike(Protocol):
    @property
    def pk(self) -> Any: ...

    scale: int
    scope: int
    irremediable: int
    likelihood: int
    involvement: str

    @property
    def severity(self) -> int: ...


@dataclass(frozen=True)
class PriorityRow:
    risk: RiskLike
    rank: int
    computed_rank: int
    reason: str
    moved: bool


def computed_key(risk: RiskLike) -> tuple[int, int, int, int]:
    return (
        -risk.severity,
        -risk.likelihood,
        INVOLVEMENT_RANK.get(risk.involvement, 3),
        risk.pk or 0,
    )


def explain(risk: RiskLike) -> str:
    return _(
        "severity %(severity)s of 15 (scale %(scale)s, scope %(scope)s, irremediable "
        "%(irremediable)s), likelihood %(likelihood)s of 5"
    ) % {
        "severity": risk.severity,
        "scale": risk.scale,
        "scope": risk.scope,
        "irremediable": risk.irremediable,
        "likelihood": risk.likelihood,
    }


def priority_order(
    risks: Sequence[RiskLike], manual: Sequence[int] | None = None, manual_reason: str = ""
) -> list[PriorityRow]:
    """The risks in priority order. `manual` is the company's own order (risk ids); risks not
    in it follow in the computed order."""
    computed = sorted(risks, key=computed_key)
    computed_rank = {r.pk: i for i, r in enumerate(computed, 1)}
    by_id = {r.pk: r for r in risks}
    ordered: list[RiskLike] = []
    if manual:
        ordered = [by_id[i] for i in dict.fromkeys(manual) if i in by_id]
    seen = {r.pk for r in ordered}
    ordered += [r for r in computed if r.pk not in seen]
    rows = []
    for rank, risk in enumerate(ordered, 1):
        moved = computed_rank[risk.pk] != rank
        reason = explain(risk)
        if moved:
            reason = _("%(reason)s; placed by the company (computed place %(place)s): %(why)s") % {
                "reason": reason,
                "place": computed_rank[risk.pk],
                "why": manual_reason,
            }
        rows.append(PriorityRow(risk, rank, computed_rank[risk.pk], reason, moved))
    return rows
