"""Command line: ``python -m covenant.matching match --registry R.csv --input ROWS.csv
--output OUT.csv`` (fixed interface, used for independent evaluation), ``fit`` and
``evaluate``; ``spark-match``, ``spark-dedupe`` and ``spark-index`` run the bulk operations on
Apache Spark (`covenant.matching.spark`, needs pyspark and Java)."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from covenant.matching.records import MatchResult, Record


def parse_country(value: str) -> str:
    """ISO alpha-2 code from a code or a country name (any common language)."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    try:
        from covenant.matching.countries import country_code
    except ImportError:
        return text.upper()
    code = country_code(text)
    return code if code else text.upper()


def _float(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        return None


def read_records(path: str | Path, id_column: str) -> Iterator[Record]:
    """Records of a UTF-8 CSV (BOM accepted; column order free; optional columns
    city, postal_code, lat, lng)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = {id_column, "name", "address", "country"} - set(header)
        if missing:
            raise SystemExit(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        reader.fieldnames = header
        countries: dict[str, str] = {}
        for row in reader:
            raw = row.get("country") or ""
            country = countries.get(raw)
            if country is None:
                country = countries[raw] = parse_country(raw)
            yield record_from_row(row, id_column, country)


def record_from_row(row: Mapping[str, str | None], id_column: str, country: str) -> Record:
    """The Record of one CSV row (lower-case column names; `country` already parsed with
    `parse_country`). Shared by `read_records` and the Spark engine."""
    return Record(
        id=(row.get(id_column) or "").strip(),
        name=row.get("name") or "",
        address=row.get("address") or "",
        country=country,
        city=row.get("city") or "",
        postal_code=row.get("postal_code") or "",
        lat=_float(row.get("lat")),
        lng=_float(row.get("lng")),
    )


def write_results(path: str | Path, results: Iterable[MatchResult]) -> None:
    """OUT.csv of the fixed interface: row_id,facility_id,score,decision in input order."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["row_id", "facility_id", "score", "decision"])
        for r in results:
            score = f"{r.score:.6f}" if r.decision != "new" else "0"
            writer.writerow([r.row_id, r.facility_id or "", score, r.decision])


def _workers(value: int | None) -> int:
    if value:
        return value
    return max(1, min(2, os.cpu_count() or 1))


def cmd_match(args: argparse.Namespace) -> int:
    from covenant.matching.engine import Matcher

    workers = _workers(args.workers)
    matcher = Matcher()
    matcher.add_many(read_records(args.registry, "id"), workers=workers)
    rows = list(read_records(args.input, "row_id"))
    results = matcher.match_many(rows, self_match=True, add_new=False, workers=workers)
    write_results(args.output, results)
    return 0


def _spark_run(args: argparse.Namespace, job: str) -> int:
    """spark-match / spark-dedupe / spark-index (`covenant.matching.spark`)."""
    try:
        from pyspark.errors import AnalysisException
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SystemExit(f"{job} needs pyspark (`make spark`) and a Java runtime") from exc
    from covenant.matching import spark as engine

    existing = SparkSession.getActiveSession()
    session = engine.session(args.master)
    model = engine.load_model(args.model) if getattr(args, "model", None) else None
    try:
        if job == "spark-match":
            n = engine.match_file(
                session,
                args.index or args.registry,
                args.input,
                args.output,
                model,
                index=bool(args.index),
            )
            print(f"{n} rows matched -> {args.output}", file=sys.stderr)
        elif job == "spark-dedupe":
            n = engine.dedupe_file(session, args.registry, args.output, model)
            print(f"{n} registry records checked -> {args.output}", file=sys.stderr)
        else:
            records, postings = engine.build_postings(session, args.registry, args.output)
            print(f"{records} records, {postings} postings -> {args.output}", file=sys.stderr)
    except (ValueError, AnalysisException) as exc:  # bad input: missing columns, no such file
        raise SystemExit(f"{job}: {exc}") from exc
    finally:
        if existing is None:
            session.stop()
    return 0


def cmd_spark_match(args: argparse.Namespace) -> int:
    return _spark_run(args, "spark-match")


def cmd_spark_dedupe(args: argparse.Namespace) -> int:
    return _spark_run(args, "spark-dedupe")


def cmd_spark_index(args: argparse.Namespace) -> int:
    return _spark_run(args, "spark-index")


def cmd_fit(args: argparse.Namespace) -> int:
    from covenant.matching.fit import fit_and_save

    fit_and_save(train=args.train, output=args.output, seed=args.seed, synthetic=not args.real_only)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from covenant.matching.fit import evaluate

    evaluate(files=args.pairs, seed=args.seed)
    return 0


def main(argv: list[str] | None = None) -> int:
    from covenant.matching.fit import DEFAULT_PAIRS, DEFAULT_TRAIN

    parser = argparse.ArgumentParser(prog="python -m covenant.matching")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("match", help="match rows against a registry (CSV in, CSV out)")
    m.add_argument("--registry", required=True)
    m.add_argument("--input", required=True)
    m.add_argument("--output", required=True)
    m.add_argument("--workers", type=int, default=None, help="processes (default: up to 2)")
    m.set_defaults(func=cmd_match)
    f = sub.add_parser("fit", help="fit the scorer and write data/model.json")
    f.add_argument("--train", default=str(DEFAULT_TRAIN))
    f.add_argument("--output", default=None, help="default: covenant/matching/data/model.json")
    f.add_argument("--seed", type=int, default=20261202)
    f.add_argument("--real-only", action="store_true", help="no synthetic calibration pairs")
    f.set_defaults(func=cmd_fit)
    e = sub.add_parser("evaluate", help="ROC AUC and precision/recall at the thresholds")
    e.add_argument("pairs", nargs="*", default=[str(p) for p in DEFAULT_PAIRS])
    e.add_argument("--seed", type=int, default=20261202)
    e.set_defaults(func=cmd_evaluate)
    spark_help = {
        "spark-match": "match on Apache Spark (same input and output as match)",
        "spark-dedupe": "de-duplicate a registry on Spark (OUT.csv as match writes it)",
        "spark-index": "build the registry's candidate postings on Spark (Parquet)",
    }
    spark_cmds = {
        "spark-match": cmd_spark_match,
        "spark-dedupe": cmd_spark_dedupe,
        "spark-index": cmd_spark_index,
    }
    for name, func in spark_cmds.items():
        sp = sub.add_parser(name, help=spark_help[name])
        if name == "spark-match":
            source = sp.add_mutually_exclusive_group(required=True)
            source.add_argument("--registry", help="CSV (id,name,address,country,...)")
            source.add_argument("--index", help="a directory written by spark-index")
        else:
            sp.add_argument("--registry", required=True, help="CSV (id,name,address,country,...)")
        if name == "spark-match":
            sp.add_argument("--input", required=True, help="CSV (row_id,name,address,...)")
        sp.add_argument(
            "--output",
            required=True,
            help="a directory of Parquet tables" if name == "spark-index" else "OUT.csv",
        )
        sp.add_argument(
            "--master",
            default=None,
            help="Spark master URL, e.g. local[2], spark://host:7077, yarn "
            "(default: what spark-submit says, else local[*])",
        )
        if name != "spark-index":
            sp.add_argument("--model", default=None, help="model.json (default: the shipped one)")
        sp.set_defaults(func=func)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    sys.stdout.flush()
    return result
