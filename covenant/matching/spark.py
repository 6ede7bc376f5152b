"""Bulk matching on Apache Spark: match a whole import, de-duplicate a registry, build the
candidate postings, for registries beyond one machine. ADR 0009 explains the design;
docs/operations.md ("Matching on a Spark cluster") how to run it on a cluster.

Same rule, same code as the in-memory engine (`covenant.matching.engine.Matcher`):

* **Reading**: CSV through Spark's reader (one task per file, since quoted cells may hold line
  breaks), each row turned into a `Record` by `cli.record_from_row`; country names are parsed
  once per distinct value on the driver (`cli.parse_country`).
* **Normalisation and blocking keys**: `normalise.normalise` and `blocking.blocking_keys` in
  `mapPartitions` (plain Python, no pandas).
* **Candidates**: `blocking.CANDIDATES_SQL`, the one SQL text of the candidate rule, run by
  Spark SQL over the tables ``postings(country, bkey, id, seq)`` and
  ``row_keys(row_id, country, bkey, seq)`` (the same text runs on SQLite; the test checks
  both against the in-memory engine). For within-file matching the same text runs with the
  rows themselves as postings.
* **Scoring**: `engine.score_candidates` (rapidfuzz features, `Model.predict`) on blocks of
  `BLOCK` rows in `mapPartitions`, candidates in the rule's order.
* **Decision**: `engine.decide_rows` on the driver, streaming the scored rows in input order
  (`toLocalIterator`, one partition at a time). This is the only sequential step: whether
  a row may match an earlier row of the same file depends on that earlier row's decision.
  It is cheap (no text work) and its memory is one byte per row.

Results equal `Matcher.match_many(rows, self_match=True, add_new=False)` on the same files:
the same candidates and decisions, probabilities equal up to floating-point summation order
(< 1e-9; numpy may sum a row's dot product differently in another block).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from covenant.matching.blocking import CANDIDATES_SQL, MAX_BATCH_CANDIDATES, blocking_keys
from covenant.matching.cli import parse_country, record_from_row, write_results
from covenant.matching.engine import (
    BLOCK,
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    Cand,
    Query,
    decide_rows,
    score_candidates,
)
from covenant.matching.normalise import normalise
from covenant.matching.records import MatchResult, Record
from covenant.matching.scorer import SEP, Model, fields, latlng

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import Column, DataFrame, SparkSession

REQUIRED = ("name", "address", "country")
OPTIONAL = ("city", "postal_code", "lat", "lng")

LOCAL_SHUFFLE_PARTITIONS = 8
"""`spark.sql.shuffle.partitions` for a local master unless set (Spark's 200 is far too many
for one machine)."""

REGISTRY_SEQ = -1
"""`seq` of registry postings: below every row's position, so every posting counts."""

# Column lists of the tables the engine builds (all DataFrames; `seq` is a position).
RECORD_COLUMNS = ("seq", "id", "country", "packed", "lat", "lng")
POSTING_COLUMNS = ("country", "bkey", "id", "seq")
ROW_KEY_COLUMNS = ("row_id", "country", "bkey", "seq")

_Prepared = tuple[int, str, str, str, float | None, float | None, list[str]]
"""A normalised record: (seq, id, country, packed fields, lat, lng, blocking keys)."""


# --- session ---------------------------------------------------------------------------------


def project_root() -> Path:
    """The directory that holds the `covenant` package (for local Python workers)."""
    return Path(__file__).resolve().parents[2]


def session(
    master: str | None = None,
    app_name: str = "covenant-matching",
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """A SparkSession. `master` None keeps what spark-submit (or `spark.master`) says, else
    ``local[*]``. For a local master, Python workers use this interpreter and find the
    `covenant` package next to it; on a cluster ship it with ``--py-files`` (see
    docs/operations.md). An active session is returned as it is unless `conf` is given."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and conf is None:
        return active  # e.g. a test's session, or a notebook's: keep its settings
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not _submitted():
        master = "local[*]"
        builder = builder.master(master)
    local = (master or "").startswith("local")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        root = str(project_root())
        paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if root not in paths:
            os.environ["PYTHONPATH"] = os.pathsep.join([root, *[p for p in paths if p]])
    settings = dict(conf or {})
    settings.setdefault("spark.ui.showConsoleProgress", "false")
    if local:
        settings.setdefault("spark.ui.enabled", "false")
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    context = spark.sparkContext
    if (context.master or "").startswith("local") and not context.getConf().contains(
        "spark.sql.shuffle.partitions"
    ):
        spark.conf.set("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
    context.setLogLevel(os.environ.get("COVENANT_SPARK_LOG_LEVEL", "WARN"))
    return spark


def _submitted() -> bool:
    """True when started by spark-submit (which starts the JVM first and sets the master)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ or "--master" in os.environ.get(
        "PYSPARK_SUBMIT_ARGS", ""
    )


def _partitions(spark: SparkSession) -> int:
    return max(1, int(spark.conf.get("spark.sql.shuffle.partitions") or "8"))


# --- model -----------------------------------------------------------------------------------


def load_model(path: str | Path | None = None) -> Model:
    """The scorer: `path`, else the shipped data/model.json (read through importlib, so it
    also works when the package is a zip shipped with --py-files). Loaded on the driver and
    sent to the executors with the tasks."""
    if path is not None:
        return Model.load(path)
    text = resources.files("covenant.matching").joinpath("data/model.json").read_text("utf-8")
    return Model.from_json(json.loads(text))


# --- reading ---------------------------------------------------------------------------------


def _clean_column(name: str) -> str:
    return name.lstrip("\ufeff").strip().lower()


def read_csv(
    spark: SparkSession, path: str | Path, id_column: str, *, one_file: bool = False
) -> RDD[tuple[int, Record]]:
    """(position, Record) of a UTF-8 CSV, read by Spark and spread over the cluster (header as
    `cli.read_records` reads it: BOM, case and spaces of column names ignored; `id_column`,
    name, address, country required). A directory or glob reads all its files; positions
    then follow Spark's file order, which is fine for a registry. With `one_file` (an
    import, whose order matters) positions are 0..n-1 in file order and several files are
    refused. ValueError names what is wrong."""
    from pyspark.sql import functions as F

    df = (
        spark.read.option("header", True)
        .option("multiLine", True)
        .option("escape", '"')
        .option("encoding", "UTF-8")
        .option("inferSchema", False)
        .option("mode", "PERMISSIVE")
        .csv(str(path))
    )
    columns = [_clean_column(c) for c in df.columns]
    missing = {id_column, *REQUIRED} - set(columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    wanted = [id_column, *REQUIRED, *(c for c in OPTIONAL if c in columns)]
    index = {c: columns.index(c) for c in wanted}
    df = df.select(*[df.columns[index[c]] for c in wanted]).toDF(*wanted)
    if one_file and df.rdd.getNumPartitions() > 1:
        raise ValueError(f"{path}: give the rows to match as one CSV file (order matters)")
    # multiLine: one partition per file, so these ids are 0..n-1 within the first file
    df = df.withColumn("_seq", F.monotonically_increasing_id())
    raw_countries = [r[0] for r in df.select("country").distinct().collect()]
    _country_table_from_package()
    countries = {raw: parse_country(raw or "") for raw in raw_countries}
    df = df.repartition(_partitions(spark))

    def to_records(rows: Iterable[Any]) -> Iterator[tuple[int, Record]]:
        for row in rows:
            values = row.asDict()
            yield values["_seq"], record_from_row(values, id_column, countries[values["country"]])

    return df.rdd.mapPartitions(to_records)


def _country_table_from_package() -> None:
    """`countries` reads data/countries.json by file path; when the package is imported from
    a zip (``spark-submit --py-files``) there is no such file, so copy it out once."""
    from covenant.matching import countries

    if countries.DATA.exists():
        return
    text = resources.files("covenant.matching").joinpath("data/countries.json").read_bytes()
    digest = hashlib.sha256(text).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"covenant-countries-{digest}.json"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        tmp.replace(path)
    countries.DATA = path


def records_rdd(spark: SparkSession, records: Sequence[Record]) -> RDD[tuple[int, Record]]:
    """(position, Record) of records already in memory (tests, callers with their own
    reader). Countries must already be ISO codes, as for `Matcher`."""
    n = max(1, min(_partitions(spark), len(records) // 200 + 1))
    return spark.sparkContext.parallelize(list(enumerate(records)), n)


# --- normalisation and tables ----------------------------------------------------------------


def _prepare_partition(items: Iterable[tuple[int, Record]]) -> Iterator[_Prepared]:
    for seq, record in items:
        norm = normalise(record)
        geo = latlng(norm)
        yield (
            seq,
            norm.id,
            norm.country,
            SEP.join(fields(norm)),
            geo[0] if geo else None,
            geo[1] if geo else None,
            blocking_keys(norm),
        )


def _prepared_schema() -> Any:
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    return StructType(
        [
            StructField("seq", LongType(), False),
            StructField("id", StringType(), False),
            StructField("country", StringType(), False),
            StructField("packed", StringType(), False),
            StructField("lat", DoubleType(), True),
            StructField("lng", DoubleType(), True),
            StructField("keys", ArrayType(StringType(), False), False),
        ]
    )


class Tables:
    """The normalised records of one input and their blocking keys, as DataFrames:
    `records` (RECORD_COLUMNS) and `keys` (country, bkey, id, seq), one row per (record, key).
    Normalisation runs once, in Python on the executors; the result is cached by Spark."""

    def __init__(self, spark: SparkSession, items: RDD[tuple[int, Record]], *, dedupe_ids: bool):
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        prepared = spark.createDataFrame(
            items.mapPartitions(_prepare_partition), _prepared_schema()
        )
        if dedupe_ids:
            # the registry: a repeated id replaces the earlier record, as `Matcher.add` does
            last = Window.partitionBy("id").orderBy(F.col("seq").desc())
            prepared = (
                prepared.withColumn("_last", F.row_number().over(last))
                .where(F.col("_last") == 1)
                .drop("_last")
            )
        self.prepared: DataFrame = prepared.cache()
        self.records: DataFrame = self.prepared.select(*RECORD_COLUMNS)
        self.keys: DataFrame = self.prepared.select(
            "country", F.explode("keys").alias("bkey"), "id", "seq"
        )

    @classmethod
    def from_index(cls, spark: SparkSession, directory: str | Path) -> Tables:
        """A registry's tables as `build_postings` (``spark-index``) wrote them, so that
        matching skips reading and normalising the registry. ValueError when `directory`
        does not hold them."""
        from pyspark.errors import AnalysisException

        out = cls.__new__(cls)
        try:
            records = spark.read.parquet(str(Path(directory) / "records"))
            postings = spark.read.parquet(str(Path(directory) / "postings"))
        except AnalysisException as exc:
            raise ValueError(f"{directory}: not an index written by spark-index ({exc})") from exc
        for df, columns in ((records, RECORD_COLUMNS), (postings, POSTING_COLUMNS)):
            missing = set(columns) - set(df.columns)
            if missing:
                raise ValueError(
                    f"{directory}: not an index written by spark-index "
                    f"(missing column(s) {', '.join(sorted(missing))})"
                )
        out.prepared = records.select(*RECORD_COLUMNS).cache()
        out.records = out.prepared
        out.keys = postings.select(*POSTING_COLUMNS)
        return out

    def postings(self, seq: int | None = None) -> DataFrame:
        """postings(country, bkey, id, seq): with `seq` (REGISTRY_SEQ) every posting gets
        it (a registry); else each keeps its record's position (rows of one batch)."""
        if seq is None:
            return self.keys
        from pyspark.sql import functions as F

        return self.keys.select("country", "bkey", "id", F.lit(seq).cast("long").alias("seq"))

    def row_keys(self) -> DataFrame:
        """row_keys(row_id, country, bkey, seq): the row's position is its row_id (so
        repeated row ids in a file stay apart)."""
        return self.keys.select(
            self.keys.seq.alias("row_id"), "country", "bkey", self.keys.seq.alias("seq")
        )

    def unpersist(self) -> None:
        self.prepared.unpersist()


def candidate_frame(spark: SparkSession, postings: DataFrame, row_keys: DataFrame) -> DataFrame:
    """`CANDIDATES_SQL` on Spark SQL: (row_id, id, seq, cand_rank, pos). The views are
    replaced on every call; the returned DataFrame is analysed at once, so it keeps the
    tables it was given."""
    postings.select(*POSTING_COLUMNS).createOrReplaceTempView("postings")
    row_keys.select(*ROW_KEY_COLUMNS).createOrReplaceTempView("row_keys")
    return spark.sql(CANDIDATES_SQL)


# --- matching --------------------------------------------------------------------------------


def _candidate_rows(
    spark: SparkSession, registry: Tables | None, rows: Tables, self_match: bool
) -> DataFrame | None:
    """Per candidate: (row_seq, kind 0 registry / 1 earlier row, pos, cand_seq, id, packed,
    lat, lng)."""
    from pyspark.sql import functions as F

    c = F.col

    def cols(kind: int) -> list[Column]:
        return [
            c("k.row_id").alias("row_seq"),
            F.lit(kind).alias("kind"),
            c("k.pos"),
            c("r.seq").alias("cand_seq"),
            c("r.id"),
            c("r.packed"),
            c("r.lat"),
            c("r.lng"),
        ]

    parts: list[DataFrame] = []
    if registry is not None:
        reg = candidate_frame(spark, registry.postings(REGISTRY_SEQ), rows.row_keys()).alias("k")
        r = registry.records.alias("r")
        parts.append(reg.join(r, c("k.id") == c("r.id")).select(*cols(0)))
    if self_match:
        batch = candidate_frame(spark, rows.postings(), rows.row_keys())
        batch = batch.where(batch.pos <= MAX_BATCH_CANDIDATES).alias("k")
        q = rows.records.alias("r")
        parts.append(batch.join(q, c("k.seq") == c("r.seq")).select(*cols(1)))
    if not parts:
        return None
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out


_Scored = tuple[str, float, bool, float, tuple[str, ...]]
_ScoredRow = tuple[int, str, list[_Scored], list[tuple[int, _Scored]]]


def _geo(lat: float | None, lng: float | None) -> tuple[float, float] | None:
    return None if lat is None or lng is None else (lat, lng)


def _score_partition(model: Model) -> Any:
    def run(items: Iterable[Any]) -> Iterator[_ScoredRow]:
        it = iter(items)
        while True:
            block = [row for _, row in zip(range(BLOCK), it, strict=False)]
            if not block:
                return
            queries: list[Query] = []
            reg: list[list[Cand]] = []
            earlier: list[list[Cand]] = []
            earlier_ids: list[dict[int, str]] = []
            for row in block:
                queries.append((row.packed.split(SEP), _geo(row.lat, row.lng)))
                cands = sorted(row.cands or (), key=lambda c: (c.kind, c.pos))
                reg.append(
                    [(c.id, c.packed.split(SEP), _geo(c.lat, c.lng)) for c in cands if c.kind == 0]
                )
                # earlier rows by position (their ids may repeat), as Matcher._score_positions
                mine = [c for c in cands if c.kind == 1]
                earlier.append(
                    [(str(c.cand_seq), c.packed.split(SEP), _geo(c.lat, c.lng)) for c in mine]
                )
                earlier_ids.append({c.cand_seq: c.id for c in mine})
            reg_scored = score_candidates(model, queries, reg)
            earlier_scored = score_candidates(model, queries, earlier)
            for k, row in enumerate(block):
                ids = earlier_ids[k]
                pairs: list[tuple[int, _Scored]] = []
                for s in earlier_scored[k]:
                    j = int(s[0])
                    pairs.append((j, (ids[j], s[1], s[2], s[3], s[4])))
                yield row.seq, row.id, reg_scored[k], pairs

    return run


def scored_rows(
    spark: SparkSession,
    registry: Tables | None,
    rows: Tables,
    model: Model,
    *,
    self_match: bool = True,
) -> RDD[_ScoredRow]:
    """(position, row id, scored registry candidates, [(earlier position, scored)]) per row.
    Candidates are grouped per row by Spark (one row with an array of candidates), the rows
    range-partitioned and sorted by position, so that `toLocalIterator` yields input order."""
    from pyspark.sql import functions as F

    q = rows.records
    cands = _candidate_rows(spark, registry, rows, self_match)
    if cands is not None:
        grouped = cands.groupBy("row_seq").agg(
            F.collect_list(F.struct("kind", "pos", "cand_seq", "id", "packed", "lat", "lng")).alias(
                "cands"
            )
        )
        g, r = grouped.alias("g"), q.alias("q")
        joined = r.join(g, F.col("q.seq") == F.col("g.row_seq"), "left").select(
            "q.seq", "q.id", "q.packed", "q.lat", "q.lng", "g.cands"
        )
    else:
        joined = q.select("seq", "id", "packed", "lat", "lng", F.lit(None).alias("cands"))
    ordered = joined.repartitionByRange(_partitions(spark), "seq").sortWithinPartitions("seq")
    return ordered.rdd.mapPartitions(_score_partition(model), preservesPartitioning=True)


def decisions(
    scored: RDD[_ScoredRow],
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
) -> Iterator[MatchResult]:
    """The decisions, in input order, on the driver (`engine.decide_rows`)."""
    items = ((row_id, reg, earlier) for _seq, row_id, reg, earlier in scored.toLocalIterator())
    return decide_rows(items, match_threshold, review_threshold)


def match_tables(
    spark: SparkSession,
    registry: Tables | None,
    rows: Tables,
    model: Model | None = None,
    *,
    self_match: bool = True,
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
) -> Iterator[MatchResult]:
    """Match `rows` against `registry` (None: only against earlier rows) and, with
    `self_match`, against earlier rows of the same input; results in input order, equal to
    `Matcher.match_many(..., self_match=self_match, add_new=False)`."""
    model = model if model is not None else load_model()
    scored = scored_rows(spark, registry, rows, model, self_match=self_match)
    return decisions(scored, match_threshold, review_threshold)


def match_records(
    spark: SparkSession,
    registry: Sequence[Record] | None,
    rows: Sequence[Record],
    model: Model | None = None,
    *,
    self_match: bool = True,
) -> list[MatchResult]:
    """`match_tables` for records in memory (tests and small callers)."""
    reg = Tables(spark, records_rdd(spark, registry), dedupe_ids=True) if registry else None
    tab = Tables(spark, records_rdd(spark, rows), dedupe_ids=False)
    try:
        return list(match_tables(spark, reg, tab, model, self_match=self_match))
    finally:
        tab.unpersist()
        if reg is not None:
            reg.unpersist()


def _write_atomically(path: str | Path, results: Iterable[MatchResult]) -> None:
    """OUT.csv via a temporary file next to it, renamed at the end: a failed job leaves no
    half-written output."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write_results(tmp, results)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def match_file(
    spark: SparkSession,
    registry_path: str | Path,
    input_path: str | Path,
    output_path: str | Path,
    model: Model | None = None,
    *,
    index: bool = False,
) -> int:
    """`python -m covenant.matching spark-match`: OUT.csv exactly as `match` writes it.
    With `index`, `registry_path` is a directory written by `build_postings` (spark-index)
    instead of a registry CSV. Returns the number of rows written."""
    if index:
        reg = Tables.from_index(spark, registry_path)
    else:
        reg = Tables(spark, read_csv(spark, registry_path, "id"), dedupe_ids=True)
    rows = Tables(spark, read_csv(spark, input_path, "row_id", one_file=True), dedupe_ids=False)
    count = 0

    def counted(results: Iterable[MatchResult]) -> Iterator[MatchResult]:
        nonlocal count
        for r in results:
            count += 1
            yield r

    _write_atomically(output_path, counted(match_tables(spark, reg, rows, model)))
    return count


def dedupe_file(
    spark: SparkSession,
    registry_path: str | Path,
    output_path: str | Path,
    model: Model | None = None,
) -> int:
    """De-duplicate a registry: every record against the records before it in the file
    (`Matcher().match_many(records, add_new=False)`). OUT.csv as `match` writes it, with
    the registry's ids as row_id: `match`/`review` name the earlier record it duplicates."""
    rows = Tables(spark, read_csv(spark, registry_path, "id", one_file=True), dedupe_ids=False)
    count = 0

    def counted(results: Iterable[MatchResult]) -> Iterator[MatchResult]:
        nonlocal count
        for r in results:
            count += 1
            yield r

    _write_atomically(output_path, counted(match_tables(spark, None, rows, model)))
    return count


def build_postings(
    spark: SparkSession, registry_path: str | Path, output_dir: str | Path
) -> tuple[int, int]:
    """Rebuild the candidate index of a registry on Spark: Parquet tables
    ``records`` (RECORD_COLUMNS) and ``postings`` (POSTING_COLUMNS, with each key's
    posting-list size `n`) under `output_dir`, for `CANDIDATES_SQL` and for loading into
    another store. Returns (records, postings)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    reg = Tables(spark, read_csv(spark, registry_path, "id"), dedupe_ids=True)
    out = Path(output_dir)
    postings = reg.postings(REGISTRY_SEQ)
    postings = postings.withColumn(
        "n", F.count(F.lit(1)).over(Window.partitionBy("country", "bkey"))
    )
    reg.records.write.mode("overwrite").parquet(str(out / "records"))
    postings.write.mode("overwrite").parquet(str(out / "postings"))
    counts = (reg.records.count(), reg.keys.count())
    reg.unpersist()
    return counts


def candidates_of(
    spark: SparkSession, registry: Tables | None, rows: Tables, *, batch: bool = False
) -> dict[int, list[str]]:
    """Candidate ids per row position, best first (for tests and diagnostics): registry
    candidates, or with `batch` the earlier rows of the same input (their ids)."""
    if batch:
        df = candidate_frame(spark, rows.postings(), rows.row_keys())
        df = df.where(df.pos <= MAX_BATCH_CANDIDATES)
    else:
        assert registry is not None
        df = candidate_frame(spark, registry.postings(REGISTRY_SEQ), rows.row_keys())
    out: dict[int, list[tuple[int, str]]] = {}
    for r in df.select("row_id", "pos", "id").collect():
        out.setdefault(int(r[0]), []).append((int(r[1]), str(r[2])))
    return {k: [i for _, i in sorted(v)] for k, v in out.items()}


if __name__ == "__main__":
    # spark-submit needs a file: ``spark-submit ... covenant/matching/spark.py spark-match ...``
    from covenant.matching.cli import main

    sys.exit(main())
