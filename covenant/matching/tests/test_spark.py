"""The Spark engine (`covenant.matching.spark`) against the in-memory engine (`Matcher`) on
the same small synthetic input: identical candidates (Spark SQL, SQLite and numpy), identical
decisions, probabilities equal to 1e-9, the same OUT.csv from `spark-match` as from `match`.

Needs pyspark (`make spark`, part of `make test`) and a Java runtime; skipped otherwise."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (`make spark`)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime (install default-jre-headless)", allow_module_level=True)

from covenant.matching import spark as S
from covenant.matching.blocking import (
    CANDIDATES_SQL,
    MAX_BATCH_CANDIDATES,
    MAX_CANDIDATES,
    blocking_keys,
)
from covenant.matching.cli import main, read_records, write_results
from covenant.matching.engine import Matcher, decide_rows, record_hashes
from covenant.matching.normalise import normalise
from covenant.matching.records import Record
from covenant.matching.synthetic import generate_registry, generate_uploads
from covenant.matching.tests.test_engine import _namesakes

COLUMNS = ["name", "address", "country", "city", "postal_code", "lat", "lng"]


@pytest.fixture(scope="module")
def spark():
    session = S.session(
        "local[2]",
        conf={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def data() -> tuple[list[Record], list[Record]]:
    registry = generate_registry(400, seed=11)
    rows = [r for r, _ in generate_uploads(registry, 90, seed=12)]
    extra = [
        # a group's unit 1 in the registry, its unit 2 uploaded: review, never match
        Record("F9000001", "Tapio Creations Pvt Ltd (Unit 1)", "Plot 50, Udyog Vihar", "IN"),
        # the same facility spelled twice in one upload: the second matches the first
        Record("F9000002", "Pioneer Knitwear (BD) Ltd", "Jamirdia, Habirbari, Valuka", "BD"),
    ]
    # 300 namesakes: keys too common to find candidates re-rank the ones found
    registry = registry + extra + _namesakes()
    rows += [
        Record("N1", "Nazma Knit Composite Ltd", "Plot 16, Road 17, Tongi", "BD"),
        Record("N2", "Nazma Knit Composite", "Konabari", "BD", postal_code="1340"),
        Record("U1", "Tapio Creations Pvt Ltd (Unit 2)", "Plot 50, Udyog Vihar", "IN"),
        # near-duplicate of a registry facility in another country: never a candidate
        replace(extra[1], id="X1", country="IN"),
        Record("D1", "Alpha Garments Ltd", "12 Road 3, Ashulia, Dhaka", "BD"),
        Record("D2", "Alpha Garments Limited", "12 Road 3 Ashulia Dhaka", "BD"),
        # repeats of earlier upload rows under new row ids
        replace(rows[3], id="D3"),
        replace(rows[10], id="D4", name=rows[10].name.upper()),
        # a row id used twice in one file: still two rows
        replace(rows[3], id="D1", name=rows[3].name + " Ltd"),
    ]
    return registry, rows


@pytest.fixture(scope="module")
def memory(data):
    registry, _rows = data
    m = Matcher()
    m.add_many(registry)
    return m


@pytest.fixture(scope="module")
def tables(spark, data):
    registry, rows = data
    reg = S.Tables(spark, S.records_rdd(spark, registry), dedupe_ids=True)
    tab = S.Tables(spark, S.records_rdd(spark, rows), dedupe_ids=False)
    yield reg, tab
    reg.unpersist()
    tab.unpersist()


def _batch_matcher(rows: list[Record]) -> Matcher:
    batch = Matcher()
    for row in rows:
        norm = normalise(row)
        batch._append(norm, record_hashes(norm))
    batch.compact()
    return batch


def _memory_batch_candidates(rows: list[Record]) -> dict[int, list[str]]:
    batch = _batch_matcher(rows)
    hashes = [record_hashes(normalise(r)) for r in rows]
    ranked = batch._rank_block(hashes, MAX_BATCH_CANDIDATES, before=range(len(rows)))
    return {i: [batch._ids[j] for j, _ in cands] for i, cands in enumerate(ranked) if cands}


def _sqlite_candidates(postings, row_keys) -> dict[int, list[str]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE postings (country TEXT, bkey TEXT, id TEXT, seq INTEGER)")
    db.execute("CREATE TABLE row_keys (row_id INTEGER, country TEXT, bkey TEXT, seq INTEGER)")
    db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?)", postings)
    db.executemany("INSERT INTO row_keys VALUES (?, ?, ?, ?)", row_keys)
    out: dict[int, list[tuple[int, str]]] = {}
    for row_id, cid, _seq, _rank, pos in db.execute(CANDIDATES_SQL):
        out.setdefault(row_id, []).append((pos, cid))
    db.close()
    return {k: [c for _, c in sorted(v)] for k, v in out.items()}


def _keys(records: list[Record], seq_of) -> list[tuple[str, str, str, int]]:
    out = []
    for i, r in enumerate(records):
        norm = normalise(r)
        out.extend((norm.country, k, norm.id, seq_of(i)) for k in blocking_keys(norm))
    return out


def test_sql_candidates_identical_on_spark_sqlite_and_in_memory(spark, data, memory, tables):
    registry, rows = data
    reg, tab = tables
    in_memory = {i: memory.candidates(r) for i, r in enumerate(rows)}
    in_memory = {i: c for i, c in in_memory.items() if c}
    on_spark = S.candidates_of(spark, reg, tab)
    row_keys = [(q[3], q[0], q[1], q[3]) for q in _keys(rows, lambda i: i)]
    on_sqlite = _sqlite_candidates(_keys(registry, lambda i: S.REGISTRY_SEQ), row_keys)
    assert on_spark == in_memory
    assert on_sqlite == in_memory
    assert sum(len(c) for c in in_memory.values()) > 2 * len(rows)  # not a trivial input
    assert max(len(c) for c in in_memory.values()) == MAX_CANDIDATES
    # another country is never a candidate
    x1 = next(i for i, r in enumerate(rows) if r.id == "X1")
    assert "F9000002" not in in_memory.get(x1, [])


def test_within_file_candidates_identical(spark, data, tables):
    _registry, rows = data
    _reg, tab = tables
    in_memory = _memory_batch_candidates(rows)
    on_spark = S.candidates_of(spark, None, tab, batch=True)
    keys = _keys(rows, lambda i: i)
    row_keys = [(q[3], q[0], q[1], q[3]) for q in keys]
    on_sqlite = {k: v[:MAX_BATCH_CANDIDATES] for k, v in _sqlite_candidates(keys, row_keys).items()}
    assert on_spark == in_memory
    assert on_sqlite == in_memory
    d2 = next(i for i, r in enumerate(rows) if r.id == "D2")
    assert "D1" in in_memory[d2]
    assert all(
        rows.index(next(r for r in rows if r.id == c)) < i
        for i, cs in in_memory.items()
        for c in cs
    )


@pytest.fixture(scope="module")
def scored(spark, tables):
    """What the executors hand to the driver: per row (position, row id, scored registry
    candidates, scored earlier rows)."""
    reg, tab = tables
    return list(S.scored_rows(spark, reg, tab, S.load_model()).toLocalIterator())


def test_decisions_identical(data, memory, scored):
    _registry, rows = data
    expected = memory.match_many(rows, self_match=True, add_new=False)
    got = list(decide_rows((s[1], s[2], s[3]) for s in scored))
    assert [r.row_id for r in got] == [r.id for r in rows]
    assert [(r.row_id, r.decision, r.facility_id) for r in got] == [
        (r.row_id, r.decision, r.facility_id) for r in expected
    ]
    for g, e in zip(got, expected, strict=True):
        assert g.score == pytest.approx(e.score, abs=1e-9)
        assert [c.id for c in g.candidates] == [c.id for c in e.candidates]
        assert [c.reasons for c in g.candidates] == [c.reasons for c in e.candidates]
        for gc, ec in zip(g.candidates, e.candidates, strict=True):
            assert gc.score == pytest.approx(ec.score, abs=1e-9)
    by_id = {r.row_id: r for r in got}
    assert {r.decision for r in got} == {"match", "review", "new"}
    assert by_id["U1"].decision == "review" and by_id["U1"].facility_id == "F9000001"
    assert by_id["X1"].facility_id != "F9000002"
    first_d1 = next(r for r in got if r.row_id == "D1")
    assert first_d1.decision == "new"
    assert (by_id["D2"].decision, by_id["D2"].facility_id) == ("match", "D1")
    assert [r.row_id for r in got].count("D1") == 2
    assert by_id["N1"].facility_id == "N0006"


def test_raw_probabilities_identical(data, memory, scored):
    """Before rounding: every scored candidate's probability, registry and earlier rows."""
    _registry, rows = data
    norms = [normalise(r) for r in rows]
    hashes = [record_hashes(n) for n in norms]
    mem_reg = memory._score_block(norms, memory._rank_block(hashes))
    batch = _batch_matcher(rows)
    ranked = batch._rank_block(hashes, MAX_BATCH_CANDIDATES, before=range(len(rows)))
    mem_earlier = batch._score_positions(norms, ranked)
    assert [s[0] for s in scored] == list(range(len(rows)))
    n = 0
    for (_seq, row_id, sreg, searlier), mreg, mearl, row in zip(
        scored, mem_reg, mem_earlier, rows, strict=True
    ):
        assert row_id == row.id
        assert [j for j, _ in searlier] == [j for j, _ in mearl]
        for got, want in ((sreg, mreg), ([s for _, s in searlier], [s for _, s in mearl])):
            assert [(g[0], g[2], g[4]) for g in got] == [(w[0], w[2], w[4]) for w in want]
            for g, w in zip(got, want, strict=True):
                assert abs(g[1] - w[1]) <= 1e-9 and abs(g[3] - w[3]) <= 1e-9
                n += 1
    assert n > 2 * len(rows)


def _write(path: Path, id_column: str, records: list[Record]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow([id_column.upper(), *COLUMNS])
        for r in records:
            w.writerow([r.id, *("" if getattr(r, c) is None else getattr(r, c) for c in COLUMNS)])


def test_spark_match_cli_writes_the_same_file_as_match(spark, data, tmp_path):
    registry, rows = data
    rows = [*rows, Record("Q1", 'Quote "and"\nnewline Garments', "Line 1\nLine 2, Dhaka", "BD")]
    reg_csv, rows_csv = tmp_path / "registry.csv", tmp_path / "rows.csv"
    _write(reg_csv, "id", registry)
    _write(
        rows_csv,
        "row_id",
        [replace(r, country={"BD": "Bangladesh"}.get(r.country, r.country)) for r in rows],
    )
    base = ["--registry", str(reg_csv), "--input", str(rows_csv)]
    assert main(["match", *base, "--output", str(tmp_path / "memory.csv")]) == 0
    assert main(["spark-match", *base, "--output", str(tmp_path / "spark.csv")]) == 0
    memory_out = (tmp_path / "memory.csv").read_text(encoding="utf-8")
    assert (tmp_path / "spark.csv").read_text(encoding="utf-8") == memory_out
    assert memory_out.count("\n") == len(rows) + 1
    # the session of this module is still usable (the CLI stops only a session it created)
    assert spark.range(3).count() == 3


def test_spark_dedupe_cli_same_as_in_memory(spark, data, tmp_path):
    """De-duplicating a registry: each record against the records before it."""
    registry, _rows = data
    records = [
        *registry[:150],
        replace(registry[5], id="F9100001"),
        replace(registry[40], id="F9100002", name=registry[40].name.lower()),
    ]
    reg_csv = tmp_path / "registry.csv"
    _write(reg_csv, "id", records)
    out = tmp_path / "dedupe.csv"
    assert main(["spark-dedupe", "--registry", str(reg_csv), "--output", str(out)]) == 0
    expected = Matcher().match_many(list(read_records(reg_csv, "id")), add_new=False)
    write_results(tmp_path / "memory.csv", expected)
    assert out.read_text(encoding="utf-8") == (tmp_path / "memory.csv").read_text("utf-8")
    with open(out, encoding="utf-8") as f:
        found = {r["row_id"]: r for r in csv.DictReader(f)}
    assert found["F9100001"]["facility_id"] == registry[5].id
    assert found["F9100002"]["facility_id"] == registry[40].id
    assert found["F9100002"]["decision"] in {"match", "review"}


def test_spark_index_writes_postings(spark, data, tmp_path):
    registry, _rows = data
    reg_csv = tmp_path / "registry.csv"
    _write(reg_csv, "id", [*registry[:60], replace(registry[7], address="moved")])
    assert main(["spark-index", "--registry", str(reg_csv), "--output", str(tmp_path / "ix")]) == 0
    postings = spark.read.parquet(str(tmp_path / "ix" / "postings"))
    records = spark.read.parquet(str(tmp_path / "ix" / "records"))
    assert set(postings.columns) == {"country", "bkey", "id", "seq", "n"}
    # a repeated id: the later record replaces the earlier one, as in Matcher.add
    assert records.count() == 60
    moved = records.where(records.id == registry[7].id).collect()[0]
    assert moved.packed.split("\x1f")[5] == "moved"
    want = {
        (normalise(r).country, k, r.id)
        for r in [*registry[:7], replace(registry[7], address="moved"), *registry[8:60]]
        for k in blocking_keys(normalise(r))
    }
    assert {(p.country, p.bkey, p.id) for p in postings.collect()} == want
    # spark-match on the index gives what it gives on the registry CSV
    rows_csv = tmp_path / "rows.csv"
    _write(rows_csv, "row_id", [replace(r, id=f"Q{i}") for i, r in enumerate(registry[:60:3])])
    base = ["spark-match", "--input", str(rows_csv), "--output"]
    assert main([*base, str(tmp_path / "a.csv"), "--index", str(tmp_path / "ix")]) == 0
    assert main(["match", "--registry", str(reg_csv), *base[1:], str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_text("utf-8") == (tmp_path / "b.csv").read_text("utf-8")
    with pytest.raises(SystemExit, match="not an index written by spark-index"):
        main([*base, str(tmp_path / "c.csv"), "--index", str(tmp_path)])


def test_missing_column_is_a_clear_error(spark, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,country\nF1,Alpha,BD\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing column\(s\) address"):
        S.read_csv(spark, bad, "id")
    with pytest.raises(SystemExit, match=r"bad\.csv: missing column\(s\) address"):
        main(
            [
                "spark-match",
                "--registry",
                str(bad),
                "--input",
                str(bad),
                "--output",
                str(tmp_path / "o.csv"),
            ]
        )
    good = tmp_path / "good.csv"
    good.write_text("row_id,name,address,country\nr1,Alpha,Road 1,BD\n", encoding="utf-8")
    parts = tmp_path / "parts"
    parts.mkdir()
    for name in ("a.csv", "b.csv"):
        (parts / name).write_text(good.read_text("utf-8"), encoding="utf-8")
    cases = [
        (tmp_path / "missing.csv", good, "Path does not exist"),
        (good.with_name("reg.csv"), parts, "give the rows to match as one CSV file"),
    ]
    (tmp_path / "reg.csv").write_text("id,name,address,country\nF1,Alpha,Road 1,BD\n", "utf-8")
    for registry, rows, message in cases:
        with pytest.raises(SystemExit, match=message):
            main(
                [
                    "spark-match",
                    "--registry",
                    str(registry),
                    "--input",
                    str(rows),
                    "--output",
                    str(tmp_path / "o.csv"),
                ]
            )
    assert not (tmp_path / "o.csv").exists()  # nothing half-written


def test_package_works_from_a_zip_as_shipped_with_py_files(tmp_path):
    """On a cluster the package is a zip (--py-files): the model and the country table are
    read from inside it."""
    import subprocess
    import sys
    import zipfile

    root = Path(S.__file__).resolve().parents[2]
    archive = tmp_path / "covenant-matching.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(root / "covenant" / "__init__.py", "covenant/__init__.py")
        for path in (root / "covenant" / "matching").rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and "/tests/" not in rel and "__pycache__" not in rel:
                z.write(path, rel)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import covenant.matching.spark as S;"
        "assert S.__file__.startswith(sys.argv[1]), S.__file__;"
        "S._country_table_from_package();"
        "from covenant.matching.cli import parse_country;"
        "print(parse_country('Bangladesch'), parse_country('Volksrepublik China'), S.load_model().intercept)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(archive)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split()[:2] == ["BD", "CN"]
    assert float(out.stdout.split()[2]) == S.load_model().intercept
