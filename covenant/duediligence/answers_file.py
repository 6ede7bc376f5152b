"""A whole self-assessment as a file (JSON or XLSX), so a company that reports to another
initiative does not type it twice: export, and parse an upload into answers by criterion code
with every problem located ("row 7", "answers.policy-board"). No database here; the answers
are checked against their criteria by the save service.

XLSX: one row per criterion with the columns below; the company fills in `answer`. A table
answer is JSON (a list of rows); a document is "title | https://link" or just the link."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "covenant-self-assessment/1"
COLUMNS = ("section", "criterion", "question", "answer_type", "answer", "last_year")
MAX_BYTES = 5_000_000


@dataclass
class ParsedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)


def answer_text(answer_type: str, value: Any) -> str:
    """An answer as one spreadsheet cell."""
    if value is None:
        return ""
    if answer_type == "table":
        return json.dumps(value, ensure_ascii=False)
    if answer_type == "document" and isinstance(value, dict):
        title, url = value.get("title") or "", value.get("url") or ""
        return f"{title} | {url}" if title else url
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_rows(rows: Iterable[tuple[str, str, str, str, Any, Any]]) -> list[dict[str, str]]:
    """(section, criterion, question, answer type, value, last year's value) -> file rows."""
    return [
        {
            "section": section,
            "criterion": code,
            "question": question,
            "answer_type": kind,
            "answer": answer_text(kind, value),
            "last_year": answer_text(kind, previous),
        }
        for section, code, question, kind, value, previous in rows
    ]


def parse_json(data: Any) -> ParsedAnswers:
    out = ParsedAnswers()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        out.problems.append(
            {"field": "format", "message": _("The format must be '%(f)s'.") % {"f": FORMAT}}
        )
        return out
    answers = data.get("answers")
    if not isinstance(answers, dict):
        out.problems.append(
            {"field": "answers", "message": _("Give the answers as an object: code -> answer.")}
        )
        return out
    for code, value in answers.items():
        out.answers[str(code)] = value
        out.where[str(code)] = f"answers.{code}"[:60]
    return out


def parse_sheet_rows(rows: Iterable[tuple[int, list[str]]], types: dict[str, str]) -> ParsedAnswers:
    """Rows of the uploaded sheet (number, cells); `types` maps criterion code -> answer type
    (to read table and document cells)."""
    out = ParsedAnswers()
    header: dict[str, int] | None = None
    for number, cells in rows:
        cells = [str(c or "").strip() for c in cells]
        if header is None:
            if not any(cells):
                continue
            names = [c.lower() for c in cells]
            if "criterion" not in names or "answer" not in names:
                out.problems.append(
                    {
                        "field": f"row {number}",
                        "message": _(
                            "The first row must name the columns, with 'criterion' and 'answer'."
                        ),
                    }
                )
                return out
            header = {name: i for i, name in enumerate(names)}
            continue
        code = cells[header["criterion"]] if header["criterion"] < len(cells) else ""
        raw = cells[header["answer"]] if header["answer"] < len(cells) else ""
        if not code:
            continue
        place = _("row %(n)s") % {"n": number}
        if code in out.answers:
            out.problems.append(
                {"field": f"{place} ({code})", "message": _("This criterion appears twice.")}
            )
            continue
        kind = types.get(code)
        value: Any = raw
        if kind == "table" and raw:
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                out.problems.append(
                    {
                        "field": f"{place} ({code})",
                        "message": _("A table answer must be JSON: a list of rows."),
                    }
                )
                continue
        elif kind == "document" and raw:
            title, _sep, url = raw.rpartition("|")
            value = {"title": title.strip(), "url": url.strip()}
        out.answers[code] = value if raw else None
        out.where[code] = place
    if header is None:
        out.problems.append({"field": "file", "message": _("The sheet is empty.")})
    return out


def parse_upload(data: bytes, filename: str, types: dict[str, str]) -> ParsedAnswers:
    """An uploaded JSON or XLSX (or CSV) file -> answers, or the file-level problem."""
    from covenant.duediligence.framework_file import load_json
    from covenant.supplychain.importing.readers import UnreadableFile, read_workbook

    if len(data) > MAX_BYTES:
        return ParsedAnswers(
            problems=[{"field": "file", "message": _("The file is larger than 5 MB.")}]
        )
    if filename.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        try:
            return parse_json(load_json(data))
        except ValueError as exc:
            return ParsedAnswers(problems=[{"field": "file", "message": str(exc)}])
    try:
        book = read_workbook(data, filename)
    except UnreadableFile as exc:
        return ParsedAnswers(problems=[{"field": "file", "message": str(exc.error.message)}])
    if not book.sheets:
        return ParsedAnswers(problems=[{"field": "file", "message": _("The sheet is empty.")}])
    rows = ((number, cells) for number, cells, _formulas in book.sheets[0].rows())
    return parse_sheet_rows(rows, types)


def write_file(
    kind: str, meta: dict[str, Any], rows: list[dict[str, str]], answers: dict[str, Any]
) -> bytes:
    """The export: JSON (format, meta, answers by code) or XLSX (one row per criterion)."""
    if kind == "json":
        body = {"format": FORMAT, **meta, "answers": answers}
        return json.dumps(body, ensure_ascii=False, indent=2).encode()
    from covenant.supplychain.importing.export import write_xlsx

    return write_xlsx(rows, COLUMNS, sheet="Self-assessment")
