"""Matcher: decisions, guards, batches, index updates, persistence. No database."""

from __future__ import annotations

from pathlib import Path

from covenant.matching import Matcher, Record


def _registry() -> Matcher:
    m = Matcher()
    m.add_many(
        [
            Record(
                "F1", "Pioneer Knitwear (BD) Ltd", "Jamirdia, Habirbari, Valuka, Mymensingh", "BD"
            ),
            Record("F2", "Tapio Creations Pvt Ltd (Unit 1)", "Plot 50, Udyog Vihar, Gurgaon", "IN"),
            Record(
                "F3", "Dongzhilin Knitting Garment Factory", "Wenquan Road, Liangduo Town", "CN"
            ),
        ]
    )
    return m


def test_match_same_facility_with_other_legal_form():
    result = _registry().match(
        Record("r1", "PIONEER KNITWEAR LIMITED", "Jamirdia Habirbari Valuka Mymensingh", "BD")
    )
    assert result.decision == "match"
    assert result.facility_id == "F1"
    assert result.score >= 0.9


def test_other_country_never_matches():
    result = _registry().match(
        Record("r1", "Pioneer Knitwear (BD) Ltd", "Jamirdia, Habirbari, Valuka, Mymensingh", "IN")
    )
    assert result.decision == "new"
    assert result.facility_id is None
    assert result.score == 0.0
    assert result.candidates == ()


def test_unit_2_of_a_group_goes_to_review():
    result = _registry().match(
        Record("r1", "Tapio Creations Pvt Ltd (Unit 2)", "Plot 50, Udyog Vihar, Gurgaon", "IN")
    )
    assert result.decision == "review"
    assert result.facility_id == "F2"
    assert "unit 2 vs unit 1" in result.candidates[0].reasons


def test_batch_matches_earlier_rows_and_adds_new_ones():
    m = _registry()
    rows = [
        Record("a", "Alpha Garments Ltd", "12 Road 3, Ashulia, Dhaka", "BD"),
        Record("b", "Pioneer Knitwear Ltd", "Jamirdia, Habirbari, Valuka, Mymensingh", "BD"),
        Record("c", "Alpha Garments Limited", "12 Road 3 Ashulia Dhaka", "BD"),
    ]
    results = m.match_many(rows)
    assert [(r.row_id, r.decision, r.facility_id) for r in results] == [
        ("a", "new", None),
        ("b", "match", "F1"),
        ("c", "match", "a"),
    ]
    assert len(m) == 4
    assert "a" in m


def test_row_by_row_updates_and_remove():
    m = _registry()
    row = Record("r", "Zeta Apparel Co Ltd", "7 Canal Road, Phnom Penh", "KH")
    assert m.match(row).decision == "new"
    m.add(Record("F9", "Zeta Apparel Company Limited", "7 Canal Rd, Phnom Penh", "KH"))
    assert m.candidates(row) == ["F9"]
    assert m.match(row).facility_id == "F9"
    m.remove("F9")
    assert m.candidates(row) == []
    assert m.match(row).decision == "new"
    assert len(m) == 3


def test_save_and_load_round_trip(tmp_path: Path):
    m = _registry()
    m.add(Record("F9", "Zeta Apparel Company Limited", "7 Canal Rd, Phnom Penh", "KH"))
    m.remove("F3")
    path = tmp_path / "index.pkl"
    m.save(path)
    loaded = Matcher.load(path)
    assert len(loaded) == 3
    row = Record("r", "Zeta Apparel Co Ltd", "7 Canal Road, Phnom Penh", "KH")
    assert loaded.match(row) == m.match(row)
    assert loaded.candidates(Record("x", "Dongzhilin Knitting", "", "CN")) == []


def test_batch_with_a_repeated_row_id():
    """Two rows of one upload with the same row id are still two rows (no crash)."""
    rows = [
        Record("x", "Alpha Garments Ltd", "12 Road 3, Ashulia, Dhaka", "BD"),
        Record("y", "Alpha Garments Limited", "12 Road 3 Ashulia Dhaka", "BD"),
        Record("x", "Alpha Garments Ltd", "12 Road 3, Ashulia, Dhaka", "BD"),
    ]
    results = Matcher().match_many(rows, add_new=False)
    assert [(r.row_id, r.decision, r.facility_id) for r in results] == [
        ("x", "new", None),
        ("y", "match", "x"),
        ("x", "match", "x"),
    ]


def test_bulk_build_is_the_same_index_as_adding_one_by_one():
    import numpy as np

    from covenant.matching.synthetic import generate_registry, generate_upload_rows

    registry = generate_registry(3000, seed=7)
    registry.append(registry[10])  # a repeated id replaces the earlier record
    rows = [r.record for r in generate_upload_rows(registry[:-1], 400, new_share=0.3, seed=8)]
    bulk = Matcher()
    bulk.add_many(registry, workers=1)
    one_by_one = Matcher()
    for r in registry:
        one_by_one.add(r)
    one_by_one.compact()
    for name in ("_bkeys", "_boff", "_bpost", "_sortkey", "_offsets"):
        assert np.array_equal(getattr(bulk, name), getattr(one_by_one, name)), name
    assert bulk._ids == one_by_one._ids and bulk._blob == one_by_one._blob
    assert bytes(bulk._alive) == bytes(one_by_one._alive) and len(bulk) == 3000
    assert [bulk.candidates(r) for r in rows] == [one_by_one.candidates(r) for r in rows]
    assert [m.decision for m in bulk.match_many(rows, add_new=False)] == [
        m.decision for m in one_by_one.match_many(rows, add_new=False)
    ]


def test_bulk_build_with_worker_processes_is_the_same():
    import numpy as np

    from covenant.matching.synthetic import generate_registry

    registry = generate_registry(21000, seed=9)
    one, two = Matcher(), Matcher()
    one.add_many(registry, workers=1)
    two.add_many(registry, workers=2)
    for name in ("_bkeys", "_boff", "_bpost", "_sortkey", "_offsets"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    assert one._ids == two._ids and one._blob == two._blob


def _namesakes() -> list[Record]:
    """300 facilities named alike in six towns: their name keys are too common to find
    candidates (more than MAX_POSTINGS records), the town and street numbers are not."""
    towns = ["Tongi", "Ashulia", "Konabari", "Zirabo", "Baipayl", "Kashimpur"]
    return [
        Record(
            f"N{i:04d}",
            "Nazma Knit Composite Ltd",
            f"Plot {10 + i % 50}, Road {11 + i % 7}, {towns[i % 6]}",
            "BD",
            postal_code="1340" if i % 10 else "1341",
        )
        for i in range(300)
    ]


def test_candidates_follow_the_reference_rule_with_too_common_keys():
    """`Matcher` ranks by the rule of `covenant.matching.blocking` (`blocking.rank`, the
    slow reference): the pool by usable keys, re-ranked by the too-common keys; also after
    additions since the last compaction and after a removal."""
    from covenant.matching.blocking import MAX_POSTINGS, blocking_keys, rank
    from covenant.matching.normalise import normalise

    records = _namesakes()
    m = Matcher()
    m.add_many(records[:280])
    for r in records[280:]:
        m.add(r)  # in the delta, not yet compacted
    m.remove("N0007")
    live = [r for r in records if r.id != "N0007"]
    keys_of = {r.id: set(blocking_keys(normalise(r))) for r in live}
    rows = [
        Record("q1", "Nazma Knit Composite Ltd", "Plot 16, Road 17, Tongi", "BD"),
        Record("q2", "Nazma Knit Composite Limited", "Road 12, Ashulia", "BD"),
        Record("q3", "Nazma Knit Composite", "Konabari", "BD", postal_code="1340"),
    ]
    bonus_seen = False
    for row in rows:
        shared: dict[str, list[str]] = {}
        for key in blocking_keys(normalise(row)):
            shared[key] = [rid for rid, ks in keys_of.items() if key in ks]
        sizes = {k: len(v) for k, v in shared.items()}
        bonus_seen |= any(n > MAX_POSTINGS for n in sizes.values())
        expected = [rid for rid, _ in rank(shared, sizes)]
        assert m.candidates(row) == expected
    assert bonus_seen
    assert m._dense_of  # the too-common keys were looked up in their bitmaps
    # the namesake in the same town with the same plot and road comes first
    assert m.candidates(rows[0])[0] == "N0006"
    assert m.match(rows[0]).facility_id == "N0006"


def test_a_unit_conflict_sent_to_review_says_why_even_when_unlikely():
    m = Matcher()
    m.add_many(
        [Record("K1", "Joquivin Manufacturing Co., Ltd. Plant 1", "166 Mill Road, Seoul", "KR")]
    )
    result = m.match(
        Record("r", "Joquivin Manufacturing Co., Ltd. (Unit 4)", "169 Mill Road, Seoul", "KR")
    )
    assert result.decision == "review"
    assert result.facility_id == "K1"
    assert "unit 4 vs unit 1" in result.candidates[0].reasons


def test_a_rows_probability_does_not_depend_on_the_batch():
    """Identical feature rows get bit-identical probabilities wherever they are in the batch
    (a BLAS matrix-vector product does not guarantee this, and the order of two sibling
    candidates with equal probabilities then differed between the in-memory and Spark runs)."""
    import numpy as np

    from covenant.matching.scorer import FEATURES, default_model

    model = default_model()
    rng = np.random.default_rng(7)
    row = rng.random(len(FEATURES))
    for n in (1, 3, 17, 64, 257):
        x = rng.random((n, len(FEATURES)))
        at = rng.integers(0, n, size=min(n, 4))
        x[at] = row
        assert set(model.predict(x)[at].tolist()) == {float(model.predict(row[None])[0])}
