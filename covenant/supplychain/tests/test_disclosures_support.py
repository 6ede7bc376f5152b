"""Shared helpers of the disclosure, registry and review tests (fixtures are imported by
the test modules): rows, CSV files, a fresh matcher index per test, media in tmp."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from covenant.supplychain.importing.result import LocationRow
from covenant.supplychain.services import registry


@pytest.fixture(autouse=True)
def fresh_registry_index(settings, tmp_path):
    """Each test starts with an empty in-memory index and its own media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    registry.registry_matcher_reset()
    yield
    registry.registry_matcher_reset()


FACTORIES = [
    # name, address, country, city
    ("Pioneer Knitwear (BD) Ltd", "Plot 12, Valuka Road, Mymensingh", "BD", "Mymensingh"),
    ("Shanghai Bright Garments Co., Ltd.", "88 Huaxia Road, Pudong", "CN", "Shanghai"),
    ("Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa"),
    (
        "Saigon Stitch Company Limited",
        "12 Tan Thuan Export Zone, District 7",
        "VN",
        "Ho Chi Minh City",
    ),
    ("Tiruppur Cotton Mills Pvt Ltd", "45 Avinashi Road", "IN", "Tiruppur"),
]


def fingerprint(name: str, address: str, country: str) -> str:
    text = f"{name.lower()}|{address.lower()}|{country.upper()}"
    return hashlib.sha256(text.encode()).hexdigest()


def row(n: int, name: str, address: str, country: str, city: str = "", **extra: Any) -> LocationRow:
    return LocationRow(
        row_number=n,
        name=name,
        address=address,
        country=country,
        city=city,
        fingerprint=fingerprint(name, address, country),
        **extra,
    )


def factory_rows(indexes: list[int] | None = None, start: int = 2) -> list[LocationRow]:
    chosen = [FACTORIES[i] for i in (indexes if indexes is not None else range(len(FACTORIES)))]
    return [row(start + i, *f) for i, f in enumerate(chosen)]


def csv_bytes(rows: list[tuple[str, ...]], header: str = "name,address,country,city") -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header.split(","))
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode("utf-8")
