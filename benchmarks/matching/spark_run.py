"""The Spark engine (`covenant.matching.spark`) against the in-memory engine on the same files.

    .venv/bin/python benchmarks/matching/spark_run.py                       # 10k registry, 20k rows
    .venv/bin/python benchmarks/matching/spark_run.py --size 10000 --rows 20000 --master 'local[2]'

Every figure is end to end, CSV in to OUT.csv out (read, normalise, index, candidates, score,
decide, write), rows/s = input rows / seconds:

* in-memory: ``python -m covenant.matching match`` with 1 and 2 worker processes;
* Spark cold: ``python -m covenant.matching spark-match --master …`` (includes starting the JVM);
* Spark warm: `spark.match_file` a second time in one session (what a long-lived cluster job
  pays per import).

The outputs are compared byte for byte (they must be identical). Data comes from
`covenant.matching.synthetic` and is cached under var/benchmarks/matching/. A benchmark is not
a test: it prints figures and checks nothing but the equality of the outputs.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CACHE = ROOT / "var" / "benchmarks" / "matching"
COLUMNS = ["name", "address", "country", "city", "postal_code", "lat", "lng"]


def _generator_version() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "covenant" / "matching" / "synthetic").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def _write(path: Path, id_column: str, records: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([id_column, *COLUMNS])
        for r in records:
            w.writerow([r.id, *("" if getattr(r, c) is None else getattr(r, c) for c in COLUMNS)])


def dataset(size: int, rows: int) -> tuple[Path, Path]:
    from covenant.matching.synthetic import generate_registry, generate_uploads

    folder = CACHE / f"spark-n{size}-r{rows}-{_generator_version()}"
    registry_csv, rows_csv = folder / "registry.csv", folder / "rows.csv"
    if registry_csv.exists() and rows_csv.exists():
        return registry_csv, rows_csv
    folder.mkdir(parents=True, exist_ok=True)
    registry = generate_registry(size, seed=0)
    upload = generate_uploads(registry, rows, new_share=0.3, seed=1)
    _write(registry_csv, "id", registry)
    _write(rows_csv, "row_id", [r for r, _ in upload])
    return registry_csv, rows_csv


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)  # noqa: S603 - our own commands
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="registry facilities")
    parser.add_argument("--rows", type=int, default=20_000, help="rows to match")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    registry_csv, rows_csv = dataset(args.size, args.rows)
    out = registry_csv.parent
    py = sys.executable
    base = ["-m", "covenant.matching"]
    files = ["--registry", str(registry_csv), "--input", str(rows_csv)]
    print(
        f"Spark engine vs in-memory: {args.size:,} facilities, {args.rows:,} rows; "
        f"{platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    results: dict[str, float] = {}
    for workers in (1, 2):
        output = out / f"memory-{workers}.csv"
        results[f"in-memory, {workers} worker(s)"] = _timed(
            [py, *base, "match", *files, "--output", str(output), "--workers", str(workers)]
        )
    cold = out / "spark-cold.csv"
    results[f"Spark {args.master}, cold (JVM start)"] = _timed(
        [py, *base, "spark-match", *files, "--output", str(cold), "--master", args.master]
    )

    from covenant.matching import spark as engine

    session = engine.session(args.master)
    warm = out / "spark-warm.csv"
    engine.match_file(session, registry_csv, rows_csv, warm)  # warm-up: JIT, workers
    t0 = time.perf_counter()
    engine.match_file(session, registry_csv, rows_csv, warm)
    results[f"Spark {args.master}, warm session"] = time.perf_counter() - t0
    session.stop()

    same = all(filecmp.cmp(out / "memory-1.csv", p, shallow=False) for p in (cold, warm))
    same = same and filecmp.cmp(out / "memory-1.csv", out / "memory-2.csv", shallow=False)
    reference = results["in-memory, 2 worker(s)"]
    print("| engine | seconds | rows/s | vs in-memory (2 workers) |")
    print("|---|---:|---:|---:|")
    for name, seconds in results.items():
        rate = args.rows / seconds
        print(f"| {name} | {seconds:.1f} | {rate:,.0f} | x{reference / seconds:.2f} |")
    print(f"Outputs identical (OUT.csv byte for byte): {same}")
    print(f"Load average at end {os.getloadavg()[0]:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
