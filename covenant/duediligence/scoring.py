"""Answers and points, without the database: validating an answer against its criterion's type
and range, the points an answer earns under the criterion's rule, section and total scores, the
minimum for a membership year and the outcome category the rules propose.

Functions take anything shaped like a Criterion (answer_type, options, scoring, points), so
they serve the framework file validator, the self-assessment and the assessment alike."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

YES_NO_PARTLY = ("yes", "partly", "no")
URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)
# An uploaded document (Attachment) the answer refers to; the save service checks it is the
# company's own.
ATTACHMENT_RE = re.compile(r"^attachment:[1-9][0-9]{0,11}$")
TEXT_MAX = 10_000
TABLE_MAX_ROWS = 200


class CriterionLike(Protocol):
    answer_type: str
    options: Any
    scoring: Any
    points: int


class AnswerError(ValueError):
    """An answer that does not fit its criterion; the message says what is wrong."""


def _choice_values(criterion: CriterionLike) -> list[str]:
    if criterion.answer_type == "yes_no_partly":
        return list(YES_NO_PARTLY)
    return [str(c.get("value")) for c in (criterion.options or {}).get("choices", [])]


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def clean_answer(criterion: CriterionLike, value: Any) -> Any:
    """The answer in its stored form, or AnswerError. An empty answer is None (allowed here;
    whether it may stay empty is checked at submission)."""
    if is_empty(value):
        return None
    kind = criterion.answer_type
    options = criterion.options or {}
    if kind in ("yes_no_partly", "choice"):
        text = str(value).strip()
        allowed = _choice_values(criterion)
        if text not in allowed:
            raise AnswerError(
                _("'%(value)s' is not one of the answers: %(allowed)s.")
                % {"value": text[:40], "allowed": ", ".join(allowed)}
            )
        return text
    if kind == "number":
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise AnswerError(_("Enter a number.")) from None
        if not math.isfinite(number):
            raise AnswerError(_("Enter a number."))
        low, high = options.get("min"), options.get("max")
        if low is not None and number < float(low):
            raise AnswerError(
                _("The number must be at least %(min)s.") % {"min": f"{float(low):g}"}
            )
        if high is not None and number > float(high):
            raise AnswerError(
                _("The number must be at most %(max)s.") % {"max": f"{float(high):g}"}
            )
        return int(number) if number.is_integer() else number
    if kind == "text":
        text = str(value).strip()
        limit = int(options.get("max_length") or TEXT_MAX)
        if len(text) > limit:
            raise AnswerError(
                _("The text has %(n)s characters; at most %(max)s are allowed.")
                % {"n": len(text), "max": limit}
            )
        return text
    if kind == "document":
        if isinstance(value, str):
            value = {"title": "", "url": value}
        if not isinstance(value, dict):
            raise AnswerError(_("Give the document as a title and a link."))
        title = str(value.get("title") or "").strip()[:200]
        url = str(value.get("url") or "").strip()
        if ATTACHMENT_RE.match(url):
            return {"title": title, "url": url}
        if not URL_RE.match(url) or len(url) > 500:
            raise AnswerError(_("Give a link to the document starting with https:// or http://."))
        return {"title": title, "url": url}
    if kind == "table":
        return _clean_table(options, value)
    raise AnswerError(_("Unknown answer type '%(type)s'.") % {"type": kind})


def _clean_table(options: Mapping[str, Any], value: Any) -> list[dict[str, Any]] | None:
    columns = options.get("columns", [])
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise AnswerError(_("Give the table as a list of rows."))
    limit = int(options.get("max_rows") or TABLE_MAX_ROWS)
    if len(value) > limit:
        raise AnswerError(
            _("The table has %(n)s rows; at most %(max)s are allowed.")
            % {"n": len(value), "max": limit}
        )
    keys = {c["key"]: c.get("type", "text") for c in columns}
    rows: list[dict[str, Any]] = []
    for i, raw in enumerate(value, 1):
        unknown = sorted(set(raw) - set(keys))
        if unknown:
            raise AnswerError(
                _("Row %(row)s: unknown column %(col)s.") % {"row": i, "col": unknown[0][:40]}
            )
        row: dict[str, Any] = {}
        for key, col_type in keys.items():
            cell = raw.get(key)
            if is_empty(cell):
                row[key] = None
            elif col_type == "number":
                try:
                    row[key] = float(str(cell).replace(",", "."))
                except ValueError:
                    raise AnswerError(
                        _("Row %(row)s, column %(col)s: enter a number.") % {"row": i, "col": key}
                    ) from None
            else:
                row[key] = str(cell).strip()[:500]
        if any(v is not None for v in row.values()):
            rows.append(row)
    return rows or None


def answer_points(criterion: CriterionLike, value: Any) -> int:
    """Points the (cleaned) answer earns under the criterion's rule, capped at its maximum."""
    if is_empty(value):
        return 0
    rule = criterion.scoring or {}
    kind = criterion.answer_type
    if kind in ("yes_no_partly", "choice"):
        earned = int(rule.get("points", {}).get(str(value), 0))
    elif kind == "number":
        earned = 0
        for at_least, points in rule.get("thresholds", []):
            if float(value) >= float(at_least):
                earned = max(earned, int(points))
    else:
        earned = int(rule.get("provided", 0))
    return max(0, min(earned, int(criterion.points)))


def rule_maximum(answer_type: str, scoring: Mapping[str, Any]) -> int:
    """The most points a rule can give (the criterion's `points` must equal it)."""
    if answer_type in ("yes_no_partly", "choice"):
        return max((int(v) for v in scoring.get("points", {}).values()), default=0)
    if answer_type == "number":
        return max((int(p) for _a, p in scoring.get("thresholds", [])), default=0)
    return int(scoring.get("provided", 0))


# --- scores and outcomes ---------------------------------------------------------------
@dataclass(frozen=True)
class SectionScore:
    code: str
    name: str
    points: int
    maximum: int

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.maximum, 1) if self.maximum else 0.0


@dataclass(frozen=True)
class Score:
    sections: tuple[SectionScore, ...]

    @property
    def points(self) -> int:
        return sum(s.points for s in self.sections)

    @property
    def maximum(self) -> int:
        return sum(s.maximum for s in self.sections)

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.maximum, 1) if self.maximum else 0.0


def minimum_for_year(
    minimums: Iterable[tuple[int, Decimal | float]], membership_year: int
) -> float:
    """The minimum percent in a membership year: the row with the highest year at or below it."""
    best: tuple[int, float] | None = None
    for year, percent in minimums:
        if year <= membership_year and (best is None or year > best[0]):
            best = (year, float(percent))
    return best[1] if best else 0.0


def propose_outcome(
    outcomes: Sequence[tuple[str, Mapping[str, Any]]], score: Score, minimum: float
) -> str:
    """Code of the first outcome category whose rule the score meets."""
    for code, rule in outcomes:
        if rule_holds(rule, score, minimum):
            return code
    return outcomes[-1][0] if outcomes else ""


def rule_holds(rule: Mapping[str, Any], score: Score, minimum: float) -> bool:
    if rule.get("total_at_least_minimum") and score.percent < minimum:
        return False
    if "total_at_least" in rule and score.percent < float(rule["total_at_least"]):
        return False
    if "each_section_at_least" in rule:
        floor = float(rule["each_section_at_least"])
        if any(s.maximum and s.percent < floor for s in score.sections):
            return False
    return True


RULE_KEYS = {
    "total_at_least_minimum": bool,
    "total_at_least": float,
    "each_section_at_least": float,
}
