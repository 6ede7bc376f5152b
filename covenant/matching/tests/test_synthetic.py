"""The synthetic registry and uploads: determinism, shapes, shares, countries and scripts."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from covenant.matching.records import Record
from covenant.matching.synthetic import (
    UploadRow,
    generate_registry,
    generate_upload_rows,
    generate_uploads,
)

N = 20_000


@pytest.fixture(scope="module")
def registry() -> list[Record]:
    return generate_registry(N)


@pytest.fixture(scope="module")
def rows(registry: list[Record]) -> list[UploadRow]:
    return generate_upload_rows(registry, 10_000)


def test_same_seed_same_output_other_seed_other_output(registry):
    assert generate_registry(N) == registry
    assert generate_registry(500, seed=7) == generate_registry(500, seed=7)
    assert generate_registry(500, seed=7) != generate_registry(500, seed=8)
    small = registry[:2000]
    assert generate_uploads(small, 300) == generate_uploads(small, 300)
    assert generate_uploads(small, 300, seed=2) != generate_uploads(small, 300)


def test_registry_shapes(registry):
    assert len(registry) == N
    assert [r.id for r in registry[:3]] == ["F0000001", "F0000002", "F0000003"]
    assert len({r.id for r in registry}) == N
    assert all(re.fullmatch(r"F\d{7}", r.id) for r in registry)
    assert all(r.name and r.address and r.city for r in registry)
    assert all(re.fullmatch(r"[A-Z]{2}", r.country) for r in registry)
    with_coords = [r for r in registry if r.lat is not None]
    assert 0.5 < len(with_coords) / N < 0.7
    assert all(-60 < r.lat < 60 and r.lng is not None for r in with_coords)


def test_countries_weighted_like_garment_sourcing(registry):
    counts = Counter(r.country for r in registry)
    ranked = [c for c, _ in counts.most_common()]
    assert ranked[:3] == ["CN", "BD", "IN"]
    assert 0.25 < counts["CN"] / N < 0.35
    assert len(counts) >= 35
    for code in ("TR", "VN", "PK", "KH", "MM", "ID", "PT", "IT", "LK", "MA", "TN", "RO", "BG",
                 "ET", "MX"):  # fmt: skip
        assert counts[code] > 0, code


def _has(text: str, low: str, high: str) -> bool:
    return any(low <= ch <= high for ch in text)


def test_scripts_and_legal_forms_per_country(registry):
    names = Counter()
    for r in registry:
        if _has(r.name, "\u4e00", "\u9fff"):
            names["hanzi"] += 1
            assert r.country == "CN"
        if _has(r.name, "\u0400", "\u04ff"):
            names["cyrillic"] += 1
            assert r.country == "BG"
        if _has(r.name, "\u1780", "\u17ff"):
            names["khmer"] += 1
        if _has(r.name, "\u1000", "\u109f"):
            names["burmese"] += 1
        if r.country == "VN" and not r.name.isascii():
            names["vietnamese"] += 1
        for form in (
            "有限公司",
            "Công ty TNHH",
            "A.Ş.",
            "Pvt Ltd",
            "(BD) Ltd",
            "Tbk",
            "S.A. de C.V.",
        ):
            if form in r.name:
                names[form] += 1
    for key in ("hanzi", "cyrillic", "khmer", "burmese", "vietnamese", "有限公司", "Công ty TNHH",
                "A.Ş.", "Pvt Ltd", "(BD) Ltd", "Tbk", "S.A. de C.V."):  # fmt: skip
        assert names[key] > 0, key
    cn = [r for r in registry if r.country == "CN"]
    hanzi = sum(1 for r in cn if _has(r.name, "\u4e00", "\u9fff"))
    assert 0.2 < hanzi / len(cn) < 0.4  # the rest in pinyin


def test_sibling_units_and_shared_addresses(registry):
    units = [r for r in registry if re.search(r"(Unit|Factory|Plant)[ -]\d+\)?$|第.工厂$", r.name)]
    assert 0.04 < len(units) / N < 0.15
    by_address = Counter((r.country, r.address) for r in registry)
    shared = sum(n for n in by_address.values() if n > 1)
    assert 0.02 < shared / N < 0.1
    # Units of one group sit at different plots of the same estate.
    unit2 = next(r for r in units if r.name.endswith("Unit 2"))
    stem = unit2.name.removesuffix(" Unit 2")
    unit1 = [r for r in registry if r.name.startswith(stem) and r.id != unit2.id]
    assert unit1
    assert all(u.address != unit2.address for u in unit1)


def test_upload_shares(rows, registry):
    assert len(rows) == 10_000
    assert [r.record.id for r in rows[:2]] == ["R0000001", "R0000002"]
    new = sum(1 for r in rows if r.true_id is None)
    assert 0.28 < new / len(rows) < 0.32
    ids = {r.id for r in registry}
    assert all(r.true_id in ids for r in rows if r.true_id is not None)
    kinds = Counter(r.kind for r in rows)
    assert set(kinds) == {"existing", "sibling", "same_address", "new", "new_unit",
                          "new_similar", "new_same_address"}  # fmt: skip
    assert all((r.true_id is None) == r.kind.startswith("new") for r in rows)
    assert all(r.entity == r.true_id for r in rows if r.true_id is not None)
    dup = [r for r in rows if r.duplicate]
    # Planned repeats (~5%) plus chance repeats, which a 20k registry makes common.
    assert 0.04 < len(dup) / len(rows) < 0.25
    seen: set[str] = set()
    for r in rows:
        assert r.duplicate == (r.entity in seen)
        seen.add(r.entity)
    assert generate_uploads(registry[:1000], 200, new_share=0.0)[0][1] is not None
    assert sum(t is None for _, t in generate_uploads(registry[:1000], 1000, new_share=0.5)) > 400


def test_uploads_are_noisy_variants(rows, registry):
    by_id = {r.id: r for r in registry}
    pairs = [(r.record, by_id[r.true_id]) for r in rows if r.true_id is not None]
    same_name = sum(1 for row, fac in pairs if row.name == fac.name)
    assert 0.1 < same_name / len(pairs) < 0.6
    assert all(row.country.upper() == fac.country for row, fac in pairs)
    # Some rows switch script: a pinyin row for a facility held in Chinese characters.
    switched = sum(
        1 for row, fac in pairs if _has(fac.name, "\u4e00", "\u9fff") and row.name.isascii()
    )
    assert switched > 50
    assert any(row.address.lower() in ("n/a", "-", "") for row, _ in pairs)
    assert any(row.address.endswith(("China", "PRC", "Bangladesh", "India")) for row, _ in pairs)


def test_new_rows_look_like_their_neighbours(rows, registry):
    # A new unit of a known group is named as a unit.
    new_unit = [r.record.name for r in rows if r.kind == "new_unit"]
    assert new_unit
    assert all(re.search(r"(?i)(unit|u-|factory|plant)|工厂", name) for name in new_unit)
    # New facilities are in the registry's cities.
    cities = {(r.country, r.city) for r in registry}
    new = [r.record for r in rows if r.true_id is None and r.record.city]
    assert sum((r.country.upper(), r.city) in cities for r in new) / len(new) > 0.8
