"""Parse and validate a 100,000-row disclosure as CSV and as XLSX; print rows/s.

    .venv/bin/python benchmarks/importing.py [rows]

Generates the files in memory (realistic cells: names, addresses, countries written in
several ways, facility types, worker counts, coordinates), then times
``covenant.supplychain.importing.parse_upload`` on each. No database.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.conf import settings

if not settings.configured:
    settings.configure(USE_I18N=False)

from covenant.supplychain.importing import parse_upload

HEADER = [
    "Facility Name", "Address", "Country", "City", "Postal Code", "Lat", "Lng",
    "Type of Facility", "Processing Type", "Number of Workers", "Parent Company", "Supplier ID",
]  # fmt: skip
COUNTRIES = ["China", "CN", "Bangladesh", "BGD", "India", "Türkiye", "Turkey", "Viet Nam",
             "Vietnam", "Pakistan", "Cambodia", "Myanmar", "Indonesia", "Sri Lanka", "Portugal"]  # fmt: skip
TYPES = ["Final Product Assembly", "Cut & Sew", "Textile or Material Production", "Knitting",
         "Printing, Product Dyeing and Laundering", "Dyeing", "Warehousing / Distribution", ""]  # fmt: skip
PROCESSES = ["Sewing", "Cutting, Sewing, Packing", "Embroidery", "Weaving", "Spinning", ""]
WORDS = ["Golden", "Star", "Apparel", "Textile", "Garment", "Knit", "Fashion", "Global", "Sun",
         "Dragon", "Lotus", "River", "Delta", "Eastern", "Pacific", "Unique", "Royal", "Prime"]  # fmt: skip
LEGAL = ["Co., Ltd.", "Ltd", "Pvt. Ltd.", "Limited", "A.Ş.", "GmbH", "Company Limited", ""]


def make_rows(n: int, seed: int = 1) -> list[list[str]]:
    rnd = random.Random(seed)  # noqa: S311 - test data
    rows = []
    for i in range(n):
        name = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(LEGAL)} {i}".strip()
        address = (
            f"{rnd.randint(1, 999)} {rnd.choice(WORDS)} Road, Industrial Zone {rnd.randint(1, 90)}"
        )
        rows.append(
            [
                name,
                address,
                rnd.choice(COUNTRIES),
                rnd.choice(["Dhaka", "Gazipur", "Dongguan", "Tiruppur", "Istanbul", ""]),
                str(rnd.randint(1000, 999999)),
                f"{rnd.uniform(-60, 60):.5f}",
                f"{rnd.uniform(-170, 170):.5f}",
                rnd.choice(TYPES),
                rnd.choice(PROCESSES),
                rnd.choice(["1,200", "350", "100-200", "", "5000"]),
                rnd.choice(["", "Star Group", "Lotus Holdings"]),
                f"SUP-{i:06d}",
            ]
        )
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow(HEADER)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Locations")
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(label: str, data: bytes, filename: str, n: int) -> None:
    start = time.perf_counter()
    result = parse_upload(data, filename)
    seconds = time.perf_counter() - start
    assert result.ok, result.errors[:5]
    assert result.total_rows == n, result.total_rows
    print(
        f"{label}: {n:,} rows, {len(data) / 1e6:.1f} MB, {seconds:.2f} s, "
        f"{n / seconds:,.0f} rows/s ({len(result.rows):,} valid, {len(result.warnings):,} warnings)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rows = make_rows(n)
    run("CSV ", as_csv(rows), "locations.csv", n)
    run("XLSX", as_xlsx(rows), "locations.xlsx", n)


if __name__ == "__main__":
    main()
