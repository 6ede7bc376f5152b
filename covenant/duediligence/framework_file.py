"""The framework file (JSON): its format and a validator that reports every problem with the
path of the field ("sections[2].criteria[0].points") and what is wrong. No database here: the
caller passes the agreement's theme codes and OECD step numbers."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from covenant.duediligence.scoring import RULE_KEYS, YES_NO_PARTLY, rule_maximum

FORMAT = "covenant-framework/1"
ANSWER_TYPES = ("yes_no_partly", "choice", "number", "text", "document", "table")
SECTION_KINDS = ("process", "results")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_FILE_BYTES = 2_000_000


@dataclass
class FrameworkFileErrors:
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        if len(self.errors) < 500:
            self.errors.append({"field": path, "message": message})

    def __bool__(self) -> bool:
        return bool(self.errors)


def load_json(raw: bytes | str) -> Any:
    """Parse the uploaded bytes; raises ValueError with a readable message."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError(_("The file is larger than 2 MB."))
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(_("The file is not UTF-8 text.")) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(
            _("The file is not valid JSON (line %(line)s, column %(col)s: %(msg)s).")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None


def _text(
    errors: FrameworkFileErrors, obj: dict, key: str, path: str, *, required: bool, limit: int
) -> dict[str, str]:
    value = obj.get(key, {})
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors.add(f"{path}.{key}", _('Give the text as {"nl": "…", "en": "…"}.'))
        return {"nl": "", "en": ""}
    out = {}
    for lang in ("nl", "en"):
        text = value.get(lang, "")
        if not isinstance(text, str):
            errors.add(f"{path}.{key}.{lang}", _("This must be text."))
            text = ""
        text = text.strip()
        if required and not text:
            errors.add(f"{path}.{key}.{lang}", _("This text is required."))
        if len(text) > limit:
            errors.add(
                f"{path}.{key}.{lang}",
                _("At most %(max)s characters (this has %(n)s).") % {"max": limit, "n": len(text)},
            )
        out[lang] = text
    return out


def _code(errors: FrameworkFileErrors, obj: dict, path: str, seen: set[str]) -> str:
    code = obj.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        errors.add(
            f"{path}.code",
            _("A code of lowercase letters, digits and hyphens (at most 40) is required."),
        )
        return ""
    if code in seen:
        errors.add(f"{path}.code", _("The code '%(code)s' is used twice.") % {"code": code})
    seen.add(code)
    return code


def _int(errors: FrameworkFileErrors, value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        errors.add(path, _("A whole number is required."))
        return low
    if not low <= value <= high:
        errors.add(path, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
    return int(value)


def _number(errors: FrameworkFileErrors, value: Any, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.add(path, _("A number is required."))
        return low
    if not low <= value <= high:
        errors.add(path, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
    return float(value)


def validate_framework_file(
    data: Any, *, theme_codes: Collection[str], step_numbers: Collection[int]
) -> tuple[dict[str, Any], FrameworkFileErrors]:
    """The normalised framework and the list of problems (empty when it can be saved)."""
    errors = FrameworkFileErrors()
    if not isinstance(data, dict):
        errors.add("", _("The file must hold one JSON object."))
        return {}, errors
    if data.get("format") != FORMAT:
        errors.add("format", _("The format must be '%(format)s'.") % {"format": FORMAT})
    spec: dict[str, Any] = {
        "name": _text(errors, data, "name", "framework", required=True, limit=200),
        "description": _text(errors, data, "description", "framework", required=False, limit=5000),
        "valid_from_year": _int(errors, data.get("valid_from_year"), "valid_from_year", 2000, 2100),
        "shared_priority_risks": _int(
            errors, data.get("shared_priority_risks", 2), "shared_priority_risks", 0, 20
        ),
        "sections": [],
        "minimums": [],
        "outcomes": [],
        "country_risks": [],
    }
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.add("sections", _("At least one section is required."))
        sections = []
    seen_sections: set[str] = set()
    seen_criteria: set[str] = set()  # criterion codes are unique in the whole framework
    for si, section in enumerate(sections):
        path = f"sections[{si}]"
        if not isinstance(section, dict):
            errors.add(path, _("A section must be an object."))
            continue
        spec["sections"].append(
            _section(errors, section, path, seen_sections, theme_codes, step_numbers, seen_criteria)
        )
    total = sum(c["points"] for s in spec["sections"] for c in s["criteria"])
    if sections and total <= 0:
        errors.add("sections", _("The framework gives no points at all."))

    minimums = data.get("minimums")
    if not isinstance(minimums, list) or not minimums:
        errors.add("minimums", _("At least one minimum score (for membership year 1) is required."))
        minimums = []
    years: set[int] = set()
    for mi, row in enumerate(minimums):
        path = f"minimums[{mi}]"
        if not isinstance(row, dict):
            errors.add(path, _("A minimum must be an object."))
            continue
        year = _int(errors, row.get("membership_year"), f"{path}.membership_year", 1, 50)
        if year in years:
            errors.add(
                f"{path}.membership_year", _("Membership year %(y)s is given twice.") % {"y": year}
            )
        years.add(year)
        percent = _number(errors, row.get("min_percent"), f"{path}.min_percent", 0, 100)
        spec["minimums"].append({"membership_year": year, "min_percent": percent})
    if minimums and 1 not in years:
        errors.add("minimums", _("A minimum for membership year 1 is required."))

    outcomes = data.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        errors.add("outcomes", _("At least one outcome category is required."))
        outcomes = []
    seen_outcomes: set[str] = set()
    for oi, row in enumerate(outcomes):
        path = f"outcomes[{oi}]"
        if not isinstance(row, dict):
            errors.add(path, _("An outcome category must be an object."))
            continue
        code = _code(errors, row, path, seen_outcomes)
        name = _text(errors, row, "name", path, required=True, limit=200)
        rule = row.get("rule") or {}
        if not isinstance(rule, dict):
            errors.add(f"{path}.rule", _("The rule must be an object."))
            rule = {}
        clean_rule: dict[str, Any] = {}
        for key, value in rule.items():
            if key not in RULE_KEYS:
                errors.add(
                    f"{path}.rule.{key}",
                    _("Unknown rule; use %(keys)s.") % {"keys": ", ".join(sorted(RULE_KEYS))},
                )
            elif RULE_KEYS[key] is bool:
                if not isinstance(value, bool):
                    errors.add(f"{path}.rule.{key}", _("Must be true or false."))
                clean_rule[key] = bool(value)
            else:
                clean_rule[key] = _number(errors, value, f"{path}.rule.{key}", 0, 100)
        if oi == len(outcomes) - 1 and clean_rule:
            errors.add(
                f"{path}.rule",
                _(
                    "The last outcome category must have an empty rule, so every score gets an outcome."
                ),
            )
        spec["outcomes"].append({"code": code, "name": name, "rule": clean_rule})
    hints = data.get("country_risks", [])
    if not isinstance(hints, list):
        errors.add("country_risks", _("Give the country risks as a list."))
        hints = []
    seen_hints: set[tuple[str, str]] = set()
    for hi, row in enumerate(hints):
        path = f"country_risks[{hi}]"
        if not isinstance(row, dict):
            errors.add(path, _("A country risk must be an object."))
            continue
        theme = row.get("theme")
        if theme not in theme_codes:
            errors.add(
                f"{path}.theme",
                _("'%(code)s' is not a theme of this agreement.") % {"code": str(theme)[:40]},
            )
        country = str(row.get("country") or "").upper()
        if len(country) != 2 or not country.isalpha():
            errors.add(f"{path}.country", _("Give a two-letter country code."))
        level = row.get("level")
        if level not in ("high", "medium", "low"):
            errors.add(f"{path}.level", _("The level must be high, medium or low."))
        if (str(theme), country) in seen_hints:
            errors.add(path, _("This theme and country are given twice."))
        seen_hints.add((str(theme), country))
        note = _text(errors, row, "note", path, required=False, limit=500)
        spec["country_risks"].append(
            {"theme": theme, "country": country, "level": level, "note": note}
        )
    return spec, errors


def _section(
    errors: FrameworkFileErrors,
    section: dict,
    path: str,
    seen: set[str],
    theme_codes: Collection[str],
    step_numbers: Collection[int],
    seen_criteria: set[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": _code(errors, section, path, seen),
        "kind": section.get("kind", "process"),
        "name": _text(errors, section, "name", path, required=True, limit=200),
        "description": _text(errors, section, "description", path, required=False, limit=5000),
        "oecd_steps": [],
        "criteria": [],
    }
    if out["kind"] not in SECTION_KINDS:
        errors.add(f"{path}.kind", _("The kind must be 'process' or 'results'."))
    steps = section.get("oecd_steps", [])
    if not isinstance(steps, list):
        errors.add(f"{path}.oecd_steps", _("Give the OECD steps as a list of numbers."))
        steps = []
    for n in steps:
        if n not in step_numbers or isinstance(n, bool):
            errors.add(
                f"{path}.oecd_steps",
                _("%(n)s is not a due diligence step of this agreement (it has %(steps)s).")
                % {"n": str(n)[:10], "steps": ", ".join(str(s) for s in sorted(step_numbers))},
            )
        else:
            out["oecd_steps"].append(int(n))
    criteria = section.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        errors.add(f"{path}.criteria", _("A section needs at least one criterion."))
        criteria = []
    for ci, criterion in enumerate(criteria):
        cpath = f"{path}.criteria[{ci}]"
        if not isinstance(criterion, dict):
            errors.add(cpath, _("A criterion must be an object."))
            continue
        out["criteria"].append(_criterion(errors, criterion, cpath, seen_criteria, theme_codes))
    return out


def _criterion(
    errors: FrameworkFileErrors,
    criterion: dict,
    path: str,
    seen: set[str],
    theme_codes: Collection[str],
) -> dict[str, Any]:
    answer_type = criterion.get("answer_type")
    if answer_type not in ANSWER_TYPES:
        errors.add(
            f"{path}.answer_type",
            _("The answer type must be one of %(types)s.") % {"types": ", ".join(ANSWER_TYPES)},
        )
        answer_type = "text"
    options = criterion.get("options") or {}
    if not isinstance(options, dict):
        errors.add(f"{path}.options", _("The options must be an object."))
        options = {}
    scoring = criterion.get("scoring") or {}
    if not isinstance(scoring, dict):
        errors.add(f"{path}.scoring", _("The scoring rule must be an object."))
        scoring = {}
    theme = criterion.get("theme")
    if theme is not None and theme not in theme_codes:
        errors.add(
            f"{path}.theme",
            _("'%(code)s' is not a theme of this agreement.") % {"code": str(theme)[:40]},
        )
        theme = None
    out: dict[str, Any] = {
        "code": _code(errors, criterion, path, seen),
        "text": _text(errors, criterion, "text", path, required=True, limit=500),
        "guidance": _text(errors, criterion, "guidance", path, required=False, limit=5000),
        "examples": _text(errors, criterion, "examples", path, required=False, limit=5000),
        "answer_type": answer_type,
        "options": _options(errors, answer_type, options, f"{path}.options"),
        "required": bool(criterion.get("required", True)),
        "points": _int(errors, criterion.get("points", 0), f"{path}.points", 0, 1000),
        "scoring": {},
        "theme": theme,
    }
    out["scoring"] = _scoring(errors, answer_type, out["options"], scoring, f"{path}.scoring")
    if not any(e["field"].startswith(f"{path}.") for e in errors.errors):
        maximum = rule_maximum(answer_type, out["scoring"])
        if maximum != out["points"]:
            errors.add(
                f"{path}.points",
                _("The points (%(points)s) must equal the most the scoring rule gives (%(max)s).")
                % {"points": out["points"], "max": maximum},
            )
    return out


def _options(
    errors: FrameworkFileErrors, answer_type: str, options: dict, path: str
) -> dict[str, Any]:
    if answer_type == "choice":
        choices = options.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            errors.add(f"{path}.choices", _("A choice needs at least two choices."))
            return {"choices": []}
        out, values = [], set()
        for i, choice in enumerate(choices):
            cpath = f"{path}.choices[{i}]"
            if not isinstance(choice, dict) or not str(choice.get("value") or "").strip():
                errors.add(cpath, _("Each choice needs a value and labels in nl and en."))
                continue
            value = str(choice["value"]).strip()[:40]
            if value in values:
                errors.add(cpath, _("The choice '%(value)s' is given twice.") % {"value": value})
            values.add(value)
            out.append(
                {
                    "value": value,
                    "label_nl": str(choice.get("label_nl") or value)[:200],
                    "label_en": str(choice.get("label_en") or value)[:200],
                }
            )
        return {"choices": out}
    if answer_type == "number":
        out_n: dict[str, Any] = {"unit": str(options.get("unit") or "")[:20]}
        for bound in ("min", "max"):
            if options.get(bound) is not None:
                out_n[bound] = _number(errors, options[bound], f"{path}.{bound}", -1e12, 1e12)
        if "min" in out_n and "max" in out_n and out_n["min"] > out_n["max"]:
            errors.add(f"{path}.max", _("The maximum is below the minimum."))
        return out_n
    if answer_type == "table":
        columns = options.get("columns")
        if not isinstance(columns, list) or not columns:
            errors.add(f"{path}.columns", _("A table needs at least one column."))
            return {"columns": []}
        out_c, keys = [], set()
        for i, col in enumerate(columns):
            cpath = f"{path}.columns[{i}]"
            key = col.get("key") if isinstance(col, dict) else None
            if not isinstance(key, str) or not re.match(r"^[a-z][a-z0-9_]{0,29}$", key):
                errors.add(cpath, _("Each column needs a key of lowercase letters, digits and _."))
                continue
            if key in keys:
                errors.add(cpath, _("The column '%(key)s' is given twice.") % {"key": key})
            keys.add(key)
            col_type = col.get("type", "text")
            if col_type not in ("text", "number"):
                errors.add(f"{cpath}.type", _("A column type is 'text' or 'number'."))
            out_c.append(
                {
                    "key": key,
                    "label_nl": str(col.get("label_nl") or key)[:200],
                    "label_en": str(col.get("label_en") or key)[:200],
                    "type": col_type,
                }
            )
        max_rows = options.get("max_rows", 50)
        return {"columns": out_c, "max_rows": _int(errors, max_rows, f"{path}.max_rows", 1, 200)}
    if answer_type == "text":
        return {
            "max_length": _int(
                errors, options.get("max_length", 5000), f"{path}.max_length", 1, 10_000
            )
        }
    return {}


def _scoring(
    errors: FrameworkFileErrors, answer_type: str, options: dict, scoring: dict, path: str
) -> dict[str, Any]:
    if answer_type in ("yes_no_partly", "choice"):
        points = scoring.get("points", {})
        if not isinstance(points, dict):
            errors.add(f"{path}.points", _("Give the points per answer as an object."))
            return {"points": {}}
        allowed = (
            list(YES_NO_PARTLY)
            if answer_type == "yes_no_partly"
            else [c["value"] for c in options.get("choices", [])]
        )
        out: dict[str, int] = {}
        for answer, value in points.items():
            if answer not in allowed:
                errors.add(
                    f"{path}.points.{answer}",
                    _("'%(answer)s' is not an answer of this criterion (%(allowed)s).")
                    % {"answer": str(answer)[:40], "allowed": ", ".join(allowed)},
                )
                continue
            out[answer] = _int(errors, value, f"{path}.points.{answer}", 0, 1000)
        return {"points": out}
    if answer_type == "number":
        thresholds = scoring.get("thresholds", [])
        if not isinstance(thresholds, list):
            errors.add(f"{path}.thresholds", _("Give thresholds as a list of [at least, points]."))
            return {"thresholds": []}
        out_t = []
        for i, pair in enumerate(thresholds):
            if not isinstance(pair, list) or len(pair) != 2:
                errors.add(f"{path}.thresholds[{i}]", _("Each threshold is [at least, points]."))
                continue
            at_least = _number(errors, pair[0], f"{path}.thresholds[{i}][0]", -1e12, 1e12)
            points_n = _int(errors, pair[1], f"{path}.thresholds[{i}][1]", 0, 1000)
            out_t.append([at_least, points_n])
        return {"thresholds": sorted(out_t)}
    provided = scoring.get("provided", 0)
    return {"provided": _int(errors, provided, f"{path}.provided", 0, 1000)}
