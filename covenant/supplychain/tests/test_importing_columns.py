"""Header check: aliases, missing columns, title rows, extra columns. No database."""

import pytest

from covenant.supplychain.importing import parse_upload
from covenant.supplychain.importing.columns import header_key, map_header

from .importing_helpers import csv_bytes, errors, warnings


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("name", "name"),
        ("Facility Name", "name"),
        ("facility_name", "name"),
        ("FACILITY  NAME", "name"),
        ("Naam", "name"),
        ("facility_address", "address"),
        ("Adres", "address"),
        ("Adresse", "address"),
        ("country_code", "country"),
        ("Land", "country"),
        ("Plaats", "city"),
        ("Stad", "city"),
        ("Postcode", "postal_code"),
        ("ZIP code", "postal_code"),
        ("Latitude", "lat"),
        ("lon", "lng"),
        ("Type of Facility", "facility_type"),
        ("facility_type_processing_type", "facility_type"),
        ("Processing Type", "processing_type"),
        ("Sector", "product_type"),
        ("Product Type", "product_type"),
        ("Number of Workers", "number_of_workers"),
        ("Aantal werknemers", "number_of_workers"),
        ("Parent Company", "parent_company"),
        ("Moederbedrijf", "parent_company"),
        ("Tier", "tier"),
        ("OS ID", "os_id"),
        ("os_id", "os_id"),
        ("Supplier ID", "supplier_id"),
        ("Leveranciersnummer", "supplier_id"),
        ("Facility Name (required)", "name"),
        ("Straße", "address"),
    ],
)
def test_header_aliases(header, canonical):
    hm = map_header([header])
    assert hm.columns == {
        header.strip() if "  " not in header else " ".join(header.split()): canonical
    }


def test_header_key():
    assert header_key("Facility Name (required)") == "facilityname"
    assert header_key("facility_name") == "facilityname"
    assert header_key("Längengrad") == "langengrad"


def test_open_supply_hub_template_columns():
    header = "country,name,address,sector,product_type,facility_type,processing_type,number_of_workers,parent_company,lat,lng"
    result = parse_upload(
        csv_bytes(
            [
                header,
                "BD,Alif Ltd,Road 1 Dhaka,Apparel,Shirts,Final Product Assembly,Sewing,1200,Alif Group,23.8,90.4",
            ]
        ),
        "osh.csv",
    )
    assert result.ok, result.errors
    assert result.columns == {
        "country": "country", "name": "name", "address": "address", "sector": "extra",
        "product_type": "product_type", "facility_type": "facility_type", "processing_type": "processing_type",
        "number_of_workers": "number_of_workers", "parent_company": "parent_company", "lat": "lat", "lng": "lng",
    }  # fmt: skip
    row = result.rows[0]
    assert (row.product_type, row.extra) == ("Shirts", {"sector": "Apparel"})
    assert warnings(result) == [
        (
            1,
            "sector",
            "Columns “product_type” and “sector” both look like product_type; we used “product_type” and kept “sector” as an extra field.",
        )
    ]


def test_missing_required_columns_is_one_file_error_naming_them():
    result = parse_upload(csv_bytes(["Factory Name,Street,City", "A,Road 1,Dhaka"]), "x.csv")
    assert errors(result) == [
        (
            None,
            "",
            "Required columns missing: country. Columns found (row 1): Factory Name, Street, City.",
        )
    ]
    assert (
        result.errors[0].hint
        == "Name the columns name, address, country (or use the Open Supply Hub template)."
    )
    assert result.rows == []


def test_no_recognised_columns():
    result = parse_upload(csv_bytes(["foo;bar", "1;2"]), "x.csv")
    assert errors(result) == [
        (
            None,
            "",
            "Required columns missing: name, address, country. Columns found (row 1): foo, bar.",
        )
    ]


def test_title_rows_above_the_header_are_skipped():
    lines = [
        "Supplier list 2025,,,",
        "Company: Brand B.V.,,,",
        ",,,",
        "Name,Address,Country,Remarks",
        "A Ltd,Road 1,CN,ok",
    ]
    result = parse_upload(csv_bytes(lines), "x.csv")
    assert result.ok
    assert [(r.row_number, r.name, r.extra) for r in result.rows] == [
        (5, "A Ltd", {"Remarks": "ok"})
    ]


def test_header_beyond_the_first_20_rows_is_not_found():
    lines = [f"title {i}" for i in range(21)] + ["name,address,country", "A,B,CN"]
    result = parse_upload(csv_bytes(lines), "x.csv")
    assert not result.ok
    assert result.errors[0].message.startswith("Required columns missing: name, address, country.")


def test_unknown_columns_are_kept_as_sent():
    result = parse_upload(
        csv_bytes(["name,address,country,Audit score,Contact", "A,B,CN, 87 ,Mr Li"]), "x.csv"
    )
    assert result.rows[0].extra == {"Audit score": "87", "Contact": "Mr Li"}
    assert result.columns["Audit score"] == "extra"


def test_address_parts_are_joined():
    result = parse_upload(
        csv_bytes(
            ["name,Address line 1,Address line 2,country", "A,Plot 5,Gazipur,BD", "B,Road 9,,BD"]
        ),
        "x.csv",
    )
    assert [r.address for r in result.rows] == ["Plot 5, Gazipur", "Road 9"]
    assert result.columns == {
        "name": "name",
        "Address line 1": "address",
        "Address line 2": "address",
        "country": "country",
    }


def test_lower_priority_alias_loses_to_the_column_itself():
    result = parse_upload(
        csv_bytes(
            ["Supplier name,Factory name,address,country", "Big Group,Unit 2 Factory,Road,CN"]
        ),
        "x.csv",
    )
    row = result.rows[0]
    assert (row.name, row.extra) == ("Unit 2 Factory", {"Supplier name": "Big Group"})
