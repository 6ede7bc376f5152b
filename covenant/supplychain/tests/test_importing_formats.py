"""Readers: encodings, delimiters, files that are not what their name says. No database."""

import io
import zipfile

import pytest

from covenant.supplychain.importing import parse_upload
from covenant.supplychain.importing.readers import decode_text, sniff_delimiter

from .importing_helpers import csv_bytes, errors, warnings, xlsx_bytes

LINES = [
    "name,address,country,city",
    "Fábrica Ñandú,Calle 1,España,Málaga",
    "Şahin Tekstil A.Ş.,Organize Sanayi,Türkiye,İzmir",
]
EXPECTED = [
    ("Fábrica Ñandú", "Calle 1", "ES", "Málaga"),
    ("Şahin Tekstil A.Ş.", "Organize Sanayi", "TR", "İzmir"),
]


def summary(result):
    return [(r.name, r.address, r.country, r.city) for r in result.rows]


@pytest.mark.parametrize(
    ("data", "warned"),
    [
        (csv_bytes(LINES), False),
        (csv_bytes(LINES, bom=True), False),
        (("\ufeff" + "\r\n".join(LINES)).encode("utf-16-le"), False),  # UTF-16 LE with BOM
        (("\ufeff" + "\r\n".join(LINES)).encode("utf-16-be"), False),  # UTF-16 BE with BOM
        ("\r\n".join(LINES).encode("utf-16-le"), False),  # UTF-16 without BOM
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf16le-nobom"],
)
def test_unicode_encodings(data, warned):
    result = parse_upload(data, "list.csv")
    assert result.ok, result.errors
    assert summary(result) == EXPECTED
    assert result.warnings == []


def test_windows_1252_is_read_with_a_warning():
    lines = ["name,address,country", "Café “Noir”,Rue de l’Usine 5,France"]
    result = parse_upload(csv_bytes(lines, encoding="cp1252"), "list.csv")
    assert result.ok
    assert [(r.name, r.address, r.country) for r in result.rows] == [
        ("Café “Noir”", "Rue de l’Usine 5", "FR")
    ]
    assert warnings(result) == [
        (None, "", "The file is not UTF-8; we read it as Windows-1252 (Western European).")
    ]


def test_latin_1_is_read():
    result = parse_upload(
        csv_bytes(
            ["name,address,country", "Müller GmbH,Hauptstraße 1,Österreich"], encoding="latin-1"
        ),
        "l.csv",
    )
    assert [(r.name, r.address, r.country) for r in result.rows] == [
        ("Müller GmbH", "Hauptstraße 1", "AT")
    ]


def test_decode_text_prefers_utf8():
    assert decode_text("Việt Nam".encode()) == ("Việt Nam", None)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter):
    lines = [
        delimiter.join(["name", "address", "country"]),
        delimiter.join(["A Ltd", '"Road 1, Unit 2"', "CN"]),
        delimiter.join(["B Ltd", "Road 2", "BD"]),
    ]
    result = parse_upload(csv_bytes(lines), "list.csv")
    assert result.ok, result.errors
    assert [(r.name, r.address, r.country) for r in result.rows] == [
        ("A Ltd", "Road 1, Unit 2", "CN"),
        ("B Ltd", "Road 2", "BD"),
    ]


def test_semicolon_with_commas_inside_cells():
    lines = [
        "Naam;Adres;Land",
        "Dhaka Knit Ltd.;Plot 5, Road 3, Gazipur;Bangladesh",
        "Fab, Co;Weg 1, Tilburg;Nederland",
    ]
    assert sniff_delimiter("\n".join(lines)) == ";"
    result = parse_upload(csv_bytes(lines), "lijst.csv")
    assert [(r.name, r.address, r.country) for r in result.rows] == [
        ("Dhaka Knit Ltd.", "Plot 5, Road 3, Gazipur", "BD"),
        ("Fab, Co", "Weg 1, Tilburg", "NL"),
    ]


def test_quoted_newline_counts_as_one_spreadsheet_row():
    data = b'name,address,country\r\n"A","Line 1\nLine 2",CN\r\nB,Road,XX\r\n'
    result = parse_upload(data, "x.csv")
    assert result.rows[0].address == "Line 1, Line 2"
    assert errors(result) == [(3, "country", "“XX” is not a country we know.")]


def test_empty_file():
    for data in (b"", b"  \r\n\r\n"):
        result = parse_upload(data, "x.csv")
        assert errors(result) == [(None, "", "The file is empty.")]
        assert result.rows == [] and result.total_rows == 0


def test_only_a_header():
    result = parse_upload(b"name,address,country\r\n,,\r\n", "x.csv")
    assert errors(result) == [(None, "", "The file has column names but no locations.")]
    assert result.total_rows == 0


def test_old_xls_is_refused():
    result = parse_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "list.xls")
    assert errors(result) == [
        (
            None,
            "",
            "This is an old Excel file (.xls) or a password-protected workbook, which we cannot read.",
        )
    ]
    assert (
        result.errors[0].hint
        == "Save the file as Excel Workbook (.xlsx) or as CSV and upload that. Remove any password first."
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x10" * 20, "a binary file"),
    ],
)
def test_other_files_are_refused_by_content(data, kind):
    result = parse_upload(data, "locations.csv")
    assert errors(result) == [(None, "", f"This file is {kind}, not a spreadsheet.")]


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("list.csv", "name,address,country\n")
    result = parse_upload(out.getvalue(), "list.xlsx")
    assert errors(result) == [(None, "", "This file is a ZIP archive, not a spreadsheet.")]


def test_damaged_xlsx():
    data = xlsx_bytes({"S": [["name", "address", "country"]]})
    result = parse_upload(data[: len(data) // 2], "list.xlsx")
    assert errors(result) == [(None, "", "The file looks like an Excel workbook but is damaged.")]


def test_csv_that_is_really_xlsx_is_read_as_xlsx_with_a_warning():
    data = xlsx_bytes({"Sheet": [["name", "address", "country"], ["A", "Road 1", "CN"]]})
    result = parse_upload(data, "list.csv")
    assert result.ok
    assert result.format == "xlsx"
    assert [(r.row_number, r.name) for r in result.rows] == [(2, "A")]
    assert warnings(result) == [
        (None, "", "The file is called “list.csv” but is an Excel workbook; we read it as one.")
    ]


def test_xlsx_that_is_really_csv_is_read_as_csv_with_a_warning():
    result = parse_upload(b"name,address,country\nA,Road 1,CN\n", "list.xlsx")
    assert result.ok and result.format == "csv"
    assert warnings(result) == [
        (None, "", "The file is called “list.xlsx” but contains plain text; we read it as CSV.")
    ]


def test_html_saved_as_xls_is_refused():
    result = parse_upload(
        b"<html><body><table><tr><td>name</td></tr></table></body></html>", "export.xls"
    )
    assert errors(result) == [
        (None, "", "This file is a web page or an XML spreadsheet, not an Excel workbook or CSV.")
    ]


def test_broken_quotes_do_not_raise():
    data = b'name,address,country\nA,"Road 1,CN\n'
    result = parse_upload(data, "x.csv")
    # csv reads the unterminated quote to the end of the file: one row, no country
    assert result.total_rows == 1
    assert not result.ok
