"""Shared helpers of the disclosure, registry and review tests (fixtures are imported by
the test modules): rows, CSV files, a fresh matcher index per test, media in tmp."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest

from covenant.supplychain.importing.result import LocationRow
from covenant.supplychain.models import Contribution, Disclosure, Facility
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


# A company's accepted list with a row waiting for review (Unit 2 of a group whose Unit 1
# another company disclosed), and a refused upload of the next year.
UNIT1 = ("Anatolia Tekstil Unit 1", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa")
UNIT2 = ("Anatolia Tekstil Unit 2", "Organize Sanayi Bolgesi 5. Cadde No 7", "TR", "Bursa")


@dataclass
class Data:
    disclosure: Disclosure
    failed: Disclosure
    review_row: Contribution
    facility: Facility


@pytest.fixture
def data(world) -> Data:
    from covenant.supplychain.services.disclosures import disclosure_import_rows

    disclosure_import_rows(
        agreement=world.agreement,
        company=world.other_company,
        year=2018,
        rows=[row(2, *UNIT1)],
        actor=None,
    )
    d = disclosure_import_rows(
        agreement=world.agreement,
        company=world.company,
        year=2018,
        rows=[*factory_rows([0, 1]), row(4, *UNIT2)],
        actor=None,
    )
    failed = Disclosure.objects.create(
        agreement=world.agreement,
        company=world.company,
        year=2019,
        status="failed",
        errors=[{"row": 3, "column": "country", "message": "Unknown country", "hint": "Use ISO"}],
    )
    review_row = d.contributions.get(row_number=4)
    assert review_row.decision == "review"
    return Data(d, failed, review_row, d.contributions.get(row_number=2).facility)


def fill(template: str, data: Data) -> str:
    """A URL template of the role-matrix tests with the ids of `data` filled in."""
    return template.format(
        d=data.disclosure.pk,
        failed=data.failed.pk,
        review=data.review_row.pk,
        facility=data.facility.public_id,
    )
