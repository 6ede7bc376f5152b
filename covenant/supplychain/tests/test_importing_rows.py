"""Row validators: required cells, lengths, coordinates, workers, duplicates, limits."""

import pytest

from covenant.supplychain.importing import LocationRow, parse_upload
from covenant.supplychain.importing.validate import fingerprint, parse_workers

from .importing_helpers import csv_bytes, errors, warnings

HEADER = "name,address,country,city,postal_code,lat,lng,number_of_workers"


def parse(*lines, header=HEADER, **kw):
    return parse_upload(csv_bytes([header, *lines]), "list.csv", **kw)


def test_a_clean_row_in_full():
    header = "Facility Name,Address,Country,City,Province,Postal Code,Lat,Lng,Type of Facility,Processing Type,Product Type,Number of Workers,Parent Company,Tier,OS ID,Supplier ID,Notes"
    line = '  Alif  Embroidery Village Ltd. ,"Bangobandhu Road,  Ashulia",bangladesh,Savar,Dhaka,1341,23.8728,90.2994,Final Product Assembly,"Cutting, Sewing",T-shirts,"1,200",Alif Group,1,bd2019303bq3fzp,SUP-7,seen 2024'
    result = parse(line, header=header)
    assert result.ok and result.warnings == []
    assert result.total_rows == 1
    assert result.rows == [
        LocationRow(
            row_number=2, name="Alif Embroidery Village Ltd.", address="Bangobandhu Road, Ashulia",
            country="BD", city="Savar", province="Dhaka", postal_code="1341", lat=23.8728,
            lng=90.2994, facility_type="final_product_assembly",
            facility_type_raw="Final Product Assembly", processing_type="cutting|sewing",
            product_type="T-shirts", number_of_workers=1200, parent_company="Alif Group", tier="1",
            os_id="BD2019303BQ3FZP", supplier_id="SUP-7", extra={"Notes": "seen 2024"},
            fingerprint=fingerprint("Alif Embroidery Village Ltd.", "Bangobandhu Road, Ashulia", "BD", "Savar", "1341"),
        )
    ]  # fmt: skip


def test_unknown_country_message_and_hint():
    result = parse("A,Road 1,Chna,,,,,", "B,Road 2,China,,,,,", "C,Road 3,,,,,,")
    assert [r.row_number for r in result.rows] == [3]
    assert result.errors[0].row == 2
    assert result.errors[0].column == "country"
    assert result.errors[0].message == "“Chna” is not a country we know."
    assert (
        result.errors[0].hint
        == "Use the country's name in English or its two-letter ISO code, e.g. CN for China."
    )
    assert errors(result)[1] == (4, "country", "The country is missing.")


def test_missing_name_and_address():
    result = parse(",,CN,,,,,", header=HEADER)
    # an all-empty row would be skipped; this one has a country
    assert errors(result) == [
        (2, "name", "The name of the location is missing."),
        (2, "address", "The address is missing."),
    ]


def test_empty_rows_are_skipped_and_not_counted():
    result = parse("A,Road 1,CN,,,,,", ",,,,,,,", "", "   ,  ,,,,,,", "B,Road 2,BD,,,,,")
    assert result.ok
    assert result.total_rows == 2
    assert [r.row_number for r in result.rows] == [2, 6]


def test_duplicates_are_collapsed_to_the_first_with_a_warning():
    result = parse(
        "A Ltd,Road 1,CN,Dongguan,,,,", "B,Road 2,CN,,,,,", "a  ltd.,ROAD 1,China,dongguan,,,,"
    )
    assert [r.row_number for r in result.rows] == [2, 3]
    assert warnings(result) == [(4, "", "Row 4 is the same location as row 2; we kept row 2.")]
    assert result.total_rows == 3


def test_fingerprint_ignores_case_spacing_punctuation():
    a = fingerprint("Dhaka Knit Co.,Ltd", "Plot 5,  Road 3", "bd", "Gazipur", "1702")
    b = fingerprint("DHAKA KNIT CO., LTD", "plot 5, road 3", "BD", "gazipur", "1702")
    assert a == b and len(a) == 64
    assert fingerprint("A", "B", "BD", "", "1011 AB") == fingerprint("A", "B", "BD", "", "1011ab")
    assert fingerprint("Unit 1", "B", "BD", "", "") != fingerprint("Unit 2", "B", "BD", "", "")


@pytest.mark.parametrize(
    ("column", "limit"),
    [("name", 300), ("address", 500), ("city", 120), ("postal_code", 30)],
)
def test_cells_over_the_limit(column, limit):
    cells = {"name": "A", "address": "Road", "country": "CN", "city": "", "postal_code": ""}
    cells[column] = "x" * (limit + 1)
    header = "name,address,country,city,postal_code"
    result = parse(",".join(cells.values()), header=header)
    assert errors(result) == [
        (2, column, f"This cell has {limit + 1} characters; the limit is {limit}.")
    ]
    assert result.errors[0].hint == "Shorten it, or move the extra text to a column of its own."
    cells[column] = "x" * limit
    assert parse(",".join(cells.values()), header=header).ok


def test_extra_cells_are_capped_too():
    result = parse("A,B,CN," + "y" * 1001, header="name,address,country,Remarks")
    assert errors(result) == [(2, "Remarks", "This cell has 1001 characters; the limit is 1000.")]


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        ("abc", "90", [(2, "lat", "“abc” is not a latitude.")]),
        ("91", "90", [(2, "lat", "“91” is not a latitude.")]),
        ("23.8", "-181", [(2, "lng", "“-181” is not a longitude.")]),
        ("23.8", "", [(2, "lat", "There is a latitude but no longitude.")]),
        ("", "90.4", [(2, "lng", "There is a longitude but no latitude.")]),
        (
            "nan",
            "inf",
            [(2, "lat", "“nan” is not a latitude."), (2, "lng", "“inf” is not a longitude.")],
        ),
    ],
)
def test_invalid_coordinates(lat, lng, expected):
    result = parse(f"A,B,CN,,,{lat},{lng},")
    assert errors(result) == expected
    assert result.rows == []


def test_coordinates_with_decimal_comma_and_zero_zero():
    result = parse('A,B,CN,,,"23,8","90,4",', "C,D,CN,,,0,0,")
    assert [(r.lat, r.lng) for r in result.rows] == [(23.8, 90.4), (None, None)]
    assert warnings(result) == [
        (3, "lat", "The coordinates 0, 0 are in the ocean; we left them out.")
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1200", 1200), ("1,200", 1200), ("1.200", 1200), ("1 200", 1200), ("12,000,000", None),
        ("100-200", 200), ("100 - 200", 200), ("100 to 200", 200), ("500+", 500),
        ("about 300", 300), ("~300", 300), ("250 workers", 250), ("abc", None), ("1.5", None),
        ("-5", None), ("", None),
    ],
)  # fmt: skip
def test_parse_workers(text, number):
    value = parse_workers(text)
    assert (value if value is None or value <= 1_000_000 else None) == number


def test_workers_errors():
    result = parse("A,B,CN,,,,,abc", "C,D,CN,,,,,100-200", "E,F,CN,,,,,2000000")
    assert [r.number_of_workers for r in result.rows] == [200]
    assert errors(result) == [
        (2, "number_of_workers", "“abc” is not a number of workers."),
        (4, "number_of_workers", "“2000000” is not a number of workers."),
    ]
    assert result.errors[0].hint == "Write a whole number such as 1200, or a range such as 100-200."


def test_more_rows_than_max_rows_imports_nothing():
    result = parse(*[f"F{i},Road {i},CN,,,,," for i in range(11)], max_rows=10)
    assert result.rows == []
    assert result.total_rows == 11
    assert errors(result) == [
        (None, "", "The file has 11 rows; the limit is 10. Nothing was imported.")
    ]
    assert parse(*[f"F{i},Road {i},CN,,,,," for i in range(10)], max_rows=10).ok


def test_errors_are_capped():
    result = parse(*[f"F{i},Road {i},Atlantis,,,,," for i in range(30)], max_errors=5)
    assert len(result.errors) == 6
    assert errors(result)[-1] == (None, "", "25 more problems are not listed here.")


def test_excel_error_values():
    result = parse("A,#REF!,CN,,,,,")
    assert errors(result) == [
        (2, "address", "The cell shows the Excel error #REF! instead of a value.")
    ]


def test_our_own_formula_escape_is_read_back():
    result = parse("'=A1 Ltd,'-Road 1,CN,,,,,")
    assert (result.rows[0].name, result.rows[0].address) == ("=A1 Ltd", "-Road 1")


def test_facility_type_unknown_is_kept_with_a_warning():
    result = parse(
        "A,B,CN,Sewing mill of dreams",
        "C,D,CN,Knitting",
        "E,F,CN,",
        header="name,address,country,facility_type",
    )
    assert [(r.facility_type, r.facility_type_raw, r.processing_type) for r in result.rows] == [
        ("", "Sewing mill of dreams", ""),
        ("textile_material", "Knitting", "knitting"),
        ("", "", ""),
    ]
    assert warnings(result) == [
        (
            2,
            "facility_type",
            "“Sewing mill of dreams” is not a facility type we know; we kept it as written.",
        )
    ]


def test_processing_type_gives_the_facility_type():
    result = parse(
        "A,B,CN,,Dyeing",
        "C,D,CN,Office,Quilting",
        header="name,address,country,facility_type,processing_type",
    )
    assert [(r.facility_type, r.processing_type) for r in result.rows] == [
        ("printing_dyeing_laundering", "dyeing"),
        ("office_hq", "Quilting"),
    ]
    assert warnings(result) == [
        (
            3,
            "processing_type",
            "“Quilting” is not a processing type we know; we kept it as written.",
        )
    ]


def test_invalid_os_id_is_dropped_with_a_warning():
    result = parse("A,B,CN,CN123", header="name,address,country,os_id")
    assert result.rows[0].os_id == ""
    assert warnings(result) == [
        (2, "os_id", "“CN123” is not an Open Supply Hub ID; we left it out.")
    ]


def test_control_characters_and_non_breaking_spaces_are_cleaned():
    result = parse("A\x07\xa0Ltd,Road\t1,CN", header="name,address,country")
    assert (result.rows[0].name, result.rows[0].address) == ("A Ltd", "Road 1")
