"""XLSX: formulas, several sheets, merged cells, title rows, Excel's own layout."""

import pytest

from covenant.supplychain.importing import parse_upload, readers

from .importing_helpers import errors, excel_like_xlsx, warnings, with_cached_values, xlsx_bytes

HEADER = ["Facility Name", "Address", "Country", "Postal Code", "Lat", "Lng", "Number of Workers"]


def rows_of(result):
    return [(r.row_number, r.name, r.address, r.country) for r in result.rows]


@pytest.fixture(params=["fast", "openpyxl"])
def reader(request, monkeypatch):
    """Every test runs on the fast reader and on the openpyxl fallback: same results."""
    if request.param == "openpyxl":

        def refuse(archive):
            raise readers.NotUnderstood("forced")

        monkeypatch.setattr(readers, "FastWorkbook", refuse)
    return request.param


def test_values_and_numbers(reader):
    data = xlsx_bytes(
        {
            "Locations": [
                HEADER,
                ["Alif Ltd", "Road 1", "BD", 1341, 23.8728, 90.2994, 1200],
                ["B & Co <1>", "Road 2", "Vietnam", None, None, None, "1.200"],
            ]
        }
    )
    result = parse_upload(data, "list.xlsx")
    assert result.ok, result.errors
    assert result.format == "xlsx" and result.sheet == "Locations"
    assert [
        (r.name, r.postal_code, r.lat, r.lng, r.number_of_workers, r.country) for r in result.rows
    ] == [
        ("Alif Ltd", "1341", 23.8728, 90.2994, 1200, "BD"),
        ("B & Co <1>", "", None, None, 1200, "VN"),
    ]
    assert result.warnings == []


def test_formula_with_saved_value_is_used_with_a_warning(reader):
    data = xlsx_bytes(
        {
            "S": [
                ["name", "address", "country"],
                ["A", "Road 1", '="C"&"N"'],
                ["B", "Road 2", '="B"&"D"'],
            ]
        }
    )
    data = with_cached_values(data, {"C2": "CN", "C3": "BD"})
    result = parse_upload(data, "list.xlsx")
    assert result.ok, result.errors
    assert [r.country for r in result.rows] == ["CN", "BD"]
    assert warnings(result) == [
        (2, "country", "Column “country” has formulas in 2 rows; we used the values Excel saved.")
    ]


def test_formula_without_saved_value_is_an_error(reader):
    data = xlsx_bytes(
        {"S": [["name", "address", "country"], ["A", "Road 1", '="C"&"N"'], ["B", "Road 2", "BD"]]}
    )
    result = parse_upload(data, "list.xlsx")
    assert errors(result) == [(2, "country", "This cell has a formula but no saved value.")]
    assert (
        result.errors[0].hint
        == "Open the file in Excel, let it calculate, save it and upload it again."
    )
    assert rows_of(result) == [(3, "B", "Road 2", "BD")]


def test_first_sheet_with_the_required_columns_is_used(reader):
    data = xlsx_bytes(
        {
            "Instructions": [["Fill in the second sheet"], ["Thank you"]],
            "Summary": [["Country", "Count"], ["CN", 3]],
            "Locations": [["name", "address", "country"], ["A", "Road 1", "CN"]],
            "Old": [["name", "address", "country"], ["Z", "Road 9", "BD"]],
        }
    )
    result = parse_upload(data, "list.xlsx")
    assert result.sheet == "Locations"
    assert rows_of(result) == [(2, "A", "Road 1", "CN")]
    assert warnings(result) == [(None, "", "We read the sheet “Locations”.")]


def test_no_sheet_with_the_required_columns(reader):
    data = xlsx_bytes({"Intro": [["hello"]], "Data": [["name", "city"], ["A", "Dhaka"]]})
    result = parse_upload(data, "list.xlsx")
    assert errors(result) == [
        (
            None,
            "",
            "Required columns missing: address, country. Columns found (sheet “Data”, row 1): name, city.",
        )
    ]


def test_title_rows_and_merged_header_cells(reader):
    rows = [
        ["Production locations 2025", None, None, None],
        ["Brand B.V.", None, None, None],
        [None, None, None, None],
        ["Facility", None, "Address", None],  # "Facility" merged over A4:B4, "Address" over C4:D4
        ["Name", "Country", "Street", "Town"],
        ["Alif Ltd", "BD", "Road 1", "Savar"],
        ["Dhaka Knit", None, "Plot 5", "Gazipur"],  # country merged down B6:B7
    ]
    data = xlsx_bytes({"List": rows}, merges={"List": ["A1:D1", "A4:B4", "C4:D4", "B6:B7"]})
    result = parse_upload(data, "list.xlsx")
    assert result.ok, result.errors
    assert result.columns == {
        "Name": "name",
        "Country": "country",
        "Street": "address",
        "Town": "city",
    }
    assert [(r.row_number, r.name, r.address, r.country, r.city) for r in result.rows] == [
        (6, "Alif Ltd", "Road 1", "BD", "Savar"),
        (7, "Dhaka Knit", "Plot 5", "BD", "Gazipur"),
    ]


def test_merged_header_over_two_columns_names_both(reader):
    rows = [["name", "Address", None, "country"], ["A", "Plot 5", "Gazipur", "BD"]]
    data = xlsx_bytes({"S": rows}, merges={"S": ["B1:C1"]})
    result = parse_upload(data, "list.xlsx")
    assert [r.address for r in result.rows] == ["Plot 5, Gazipur"]


def test_empty_rows_and_row_numbers(reader):
    rows = [
        ["name", "address", "country"],
        ["A", "Road 1", "CN"],
        [None, None, None],
        [],
        ["B", "Road 2", "Atlantis"],
    ]
    result = parse_upload(xlsx_bytes({"S": rows}), "list.xlsx")
    assert result.total_rows == 2
    assert rows_of(result) == [(2, "A", "Road 1", "CN")]
    assert errors(result) == [(5, "country", "“Atlantis” is not a country we know.")]


def test_only_a_header_sheet(reader):
    result = parse_upload(xlsx_bytes({"S": [["name", "address", "country"]]}), "list.xlsx")
    assert errors(result) == [(None, "", "The file has column names but no locations.")]


def test_empty_workbook(reader):
    result = parse_upload(xlsx_bytes({"S": []}), "list.xlsx")
    assert errors(result) == [(None, "", "The file has no rows.")]


@pytest.mark.parametrize("prefix", ["", "x"])
def test_excel_layout_with_shared_strings(prefix):
    rows = [
        ["Facility Name", "Address", "Country", "Postal Code"],
        ["Fábrica & Hijos", "Calle 1", "España", "29001"],
        ["中山服装厂", "工业区 5", "中国", ""],
    ]
    result = parse_upload(excel_like_xlsx(rows, prefix=prefix), "list.xlsx")
    assert result.ok, result.errors
    assert result.sheet == "Blad1"
    assert [(r.name, r.address, r.country, r.postal_code) for r in result.rows] == [
        ("Fábrica & Hijos", "Calle 1", "ES", "29001"),
        ("中山服装厂", "工业区 5", "CN", ""),
    ]


def test_cells_the_fast_regex_does_not_cover_fall_back_to_the_careful_parser():
    # attributes in an unusual order and an <extLst> inside a cell
    odd = '<c t="inlineStr" r="D3"><is><t>late</t></is><extLst/></c>'
    rows = [
        ["name", "address", "country", "Notes"],
        ["A", "Road 1", "CN", ""],
        ["B", "Road 2", "BD", ""],
    ]
    result = parse_upload(excel_like_xlsx(rows, extra_cell_xml=odd), "list.xlsx")
    assert result.ok, result.errors
    assert [(r.name, r.extra) for r in result.rows] == [("A", {}), ("B", {"Notes": "late"})]
