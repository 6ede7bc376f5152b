"""Matching benchmark: index build, batch rate, one-row latency, candidate recall, decision
quality on synthetic data, ROC AUC on the real labelled pairs, and dedupe's Gazetteer (Open
Supply Hub's matcher) side by side on the same files.

    .venv/bin/python benchmarks/matching/run.py                        # 10k, 100k, 1M
    .venv/bin/python benchmarks/matching/run.py --sizes 10000 --rows 5000 --no-baseline

Each registry size runs in a fresh subprocess, so peak memory (ru_maxrss) is per size. The
data (registry, upload rows and their truth, as CSV) is generated once per size by
`covenant.matching.synthetic` and cached under var/benchmarks/matching/. The batch runs three
times and the median rate is reported (this machine's speed varies from minute to minute by
a third; all three rates are printed). A benchmark is not
a test: it prints figures (and ``--json`` writes them) and checks nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

DEDUPE_PYTHON = HERE / ".venv-dedupe" / "bin" / "python"
CACHE = ROOT / "var" / "benchmarks" / "matching"
COLUMNS = ["name", "address", "country", "city", "postal_code", "lat", "lng"]

TARGETS = {
    "rows_per_s": 5000.0,
    "p95_ms": 20.0,
    "build_s": 60.0,
    "peak_mb": 2048.0,
    "candidate_recall": 0.995,
    "precision_match": 0.99,
    "review_share": 0.05,
}


# --- data ------------------------------------------------------------------------------------


def _generator_version() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "covenant" / "matching" / "synthetic").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:10]


def _write_records(path: Path, id_column: str, records: list[Any]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([id_column, *COLUMNS])
        for r in records:
            w.writerow(
                [
                    r.id,
                    r.name,
                    r.address,
                    r.country,
                    r.city,
                    r.postal_code,
                    "" if r.lat is None else r.lat,
                    "" if r.lng is None else r.lng,
                ]
            )


def _write_truth(path: Path, rows: list[Any]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row_id", "true_id", "entity", "kind", "duplicate"])
        for r in rows:
            w.writerow([r.record.id, r.true_id or "", r.entity, r.kind, int(r.duplicate)])


def dataset(size: int, rows: int, train_rows: int) -> dict[str, Path]:
    """CSV files for one registry size (generated once, then cached)."""
    from covenant.matching.synthetic import generate_registry, generate_upload_rows

    folder = CACHE / f"n{size}-r{rows}-t{train_rows}-{_generator_version()}"
    paths = {
        "registry": folder / "registry.csv",
        "rows": folder / "rows.csv",
        "truth": folder / "truth.csv",
        "train_rows": folder / "train_rows.csv",
        "train_truth": folder / "train_truth.csv",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    registry = generate_registry(size, seed=0)
    upload = generate_upload_rows(registry, rows, new_share=0.3, seed=1)
    # Training rows for the baseline's labelled pairs: another upload, other seed, other ids.
    train = generate_upload_rows(registry, train_rows, new_share=0.3, seed=2)
    _write_records(paths["registry"], "id", registry)
    _write_records(paths["rows"], "row_id", [r.record for r in upload])
    _write_truth(paths["truth"], upload)
    _write_records(paths["train_rows"], "row_id", [r.record for r in train])
    _write_truth(paths["train_truth"], train)
    print(f"  generated {size:,} facilities + {rows:,} rows in {time.perf_counter() - t0:.1f} s")
    return paths


def read_truth(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- our engine, in a child process --------------------------------------------------------


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(args: argparse.Namespace) -> int:
    """Measure the engine on one registry size; write results CSV and stats JSON."""
    import gc

    from covenant.matching.cli import read_records
    from covenant.matching.engine import Matcher

    stats: dict[str, Any] = {"rss_start_mb": _rss_mb()}
    t0 = time.perf_counter()
    registry = list(read_records(args.registry, "id"))
    stats["read_s"] = time.perf_counter() - t0
    stats["registry"] = len(registry)

    t0 = time.perf_counter()
    matcher = Matcher()
    matcher.add_many(registry, workers=args.workers)
    stats["build_s"] = time.perf_counter() - t0
    del registry
    gc.collect()
    stats["rss_after_build_mb"] = _rss_mb()
    stats["peak_build_mb"] = _peak_mb()[0]

    rows = list(read_records(args.rows, "row_id"))
    truth = {t["row_id"]: t["true_id"] for t in read_truth(Path(args.truth))}
    stats["rows"] = len(rows)

    # The batch three times (the same result each time): this machine's speed varies from
    # minute to minute, so the median is reported, with all three.
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        results = matcher.match_many(rows, self_match=True, add_new=False, workers=args.workers)
        runs.append(time.perf_counter() - t0)
    stats["batch_runs_rows_per_s"] = [len(rows) / t for t in runs]
    stats["batch_s"] = statistics.median(runs)
    stats["rows_per_s"] = len(rows) / stats["batch_s"]
    t0 = time.perf_counter()
    results1 = matcher.match_many(rows, self_match=True, add_new=False, workers=1)
    stats["batch1_s"] = time.perf_counter() - t0
    stats["rows_per_s_1"] = len(rows) / stats["batch1_s"]
    stats["workers_agree"] = [(r.decision, r.facility_id) for r in results] == [
        (r.decision, r.facility_id) for r in results1
    ]
    del results1

    # One row at a time, the page/API path: match() against the index, nothing else.
    sample = rows[: args.latency_rows]
    for r in sample[:50]:
        matcher.match(r)
    lat = []
    for r in sample:
        t = time.perf_counter_ns()
        matcher.match(r)
        lat.append((time.perf_counter_ns() - t) / 1e6)
    lat.sort()
    stats["latency_n"] = len(lat)
    stats["p50_ms"] = lat[len(lat) // 2]
    stats["p95_ms"] = lat[int(len(lat) * 0.95)]
    stats["p99_ms"] = lat[int(len(lat) * 0.99)]
    stats["mean_ms"] = statistics.fmean(lat)

    # Candidate recall: is the true facility among the candidates at all?
    found = total = n_cand = 0
    t0 = time.perf_counter()
    for r in rows:
        cands = matcher.candidates(r)
        n_cand += len(cands)
        true_id = truth.get(r.id)
        if true_id:
            total += 1
            found += true_id in cands
    stats["candidates_s"] = time.perf_counter() - t0
    stats["candidate_recall"] = found / total if total else 1.0
    stats["candidates_mean"] = n_cand / len(rows)
    stats["peak_mb"], stats["peak_workers_mb"] = _peak_mb()

    # Saved index: file size and load time (after the peak was taken).
    index_path = Path(args.results).with_suffix(".index")
    t0 = time.perf_counter()
    matcher.save(index_path)
    stats["save_s"] = time.perf_counter() - t0
    stats["index_file_mb"] = index_path.stat().st_size / 2**20
    del matcher
    gc.collect()
    t0 = time.perf_counter()
    Matcher.load(index_path)
    stats["load_s"] = time.perf_counter() - t0
    index_path.unlink()

    with open(args.results, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row_id", "facility_id", "score", "decision"])
        for res in results:
            w.writerow([res.row_id, res.facility_id or "", f"{res.score:.6f}", res.decision])
    with open(args.stats, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
    return 0


def run_ours(paths: dict[str, Path], out: Path, args: argparse.Namespace) -> dict[str, Any]:
    results, stats = out / "ours.csv", out / "ours.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--registry",
        str(paths["registry"]),
        "--rows-csv",
        str(paths["rows"]),
        "--truth",
        str(paths["truth"]),
        "--results",
        str(results),
        "--stats",
        str(stats),
        "--workers",
        str(args.workers),
        "--latency-rows",
        str(args.latency_rows),
    ]
    subprocess.run(cmd, check=True, cwd=ROOT)  # noqa: S603 - our own script
    return {"stats": json.loads(stats.read_text()), "results": _read_results(results)}


def _read_results(path: Path) -> dict[str, tuple[str, float, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return {
            r["row_id"]: (r["facility_id"], float(r["score"]), r.get("decision", ""))
            for r in csv.DictReader(f)
        }


# --- the baseline --------------------------------------------------------------------------


def run_dedupe(
    paths: dict[str, Path], out: Path, timeout: float, cores: int = 1
) -> dict[str, Any] | None:
    # (re)creates the environment when it is missing or incomplete; quick when it is ready
    subprocess.run(["bash", str(HERE / "setup_dedupe.sh")], check=True)  # noqa: S603,S607
    preds, stats = out / "dedupe.csv", out / "dedupe.json"
    cmd = [
        str(DEDUPE_PYTHON),
        str(HERE / "dedupe_baseline.py"),
        "--registry",
        str(paths["registry"]),
        "--rows",
        str(paths["rows"]),
        "--train-rows",
        str(paths["train_rows"]),
        "--train-truth",
        str(paths["train_truth"]),
        "--predictions",
        str(preds),
        "--stats",
        str(stats),
        "--num-cores",
        str(cores),
    ]
    t0 = time.perf_counter()
    try:
        subprocess.run(cmd, check=True, timeout=timeout)  # noqa: S603 - our own script
    except subprocess.TimeoutExpired:
        print(f"  dedupe did not finish within {timeout:.0f} s")
        return None
    except subprocess.CalledProcessError as e:
        print(f"  dedupe failed: {e}")
        return None
    s = json.loads(stats.read_text())
    s["wall_s"] = time.perf_counter() - t0
    return {"stats": s, "results": _read_results(preds)}


# --- metrics -------------------------------------------------------------------------------


def decision_metrics(
    truth: list[dict[str, str]], results: dict[str, tuple[str, float, str]]
) -> dict[str, Any]:
    """Quality of our decisions. A row matched to an earlier row of the upload is right when
    both rows are the same facility (same entity)."""
    entity = {t["row_id"]: t["entity"] for t in truth}
    n = len(truth)
    match_ok = match_bad = review_ok = review = matchable = 0
    kinds: dict[str, dict[str, int]] = {}
    new_rows = new_as_new = new_matched = 0
    for t in truth:
        fid, _score, decision = results[t["row_id"]]
        target = entity.get(fid, fid) if fid else ""
        right = bool(target) and target == t["entity"]
        can = bool(t["true_id"]) or t["duplicate"] == "1"
        matchable += can
        k = kinds.setdefault(
            t["kind"], {"rows": 0, "match_ok": 0, "match_wrong": 0, "review": 0, "new": 0}
        )
        k["rows"] += 1
        if decision == "match":
            match_ok += right
            match_bad += not right
            k["match_ok" if right else "match_wrong"] += 1
        elif decision == "review":
            review += 1
            review_ok += right
            k["review"] += 1
        else:
            k["new"] += 1
        if not t["true_id"] and t["duplicate"] != "1":
            new_rows += 1
            new_as_new += decision == "new"
            new_matched += decision == "match"
    matches = match_ok + match_bad
    precision = match_ok / matches if matches else 1.0
    recall = match_ok / matchable if matchable else 1.0
    return {
        "precision_match": precision,
        "recall_match": recall,
        "f1_match": 2 * precision * recall / (precision + recall) if precision + recall else 0,
        "recall_with_review": (match_ok + review_ok) / matchable if matchable else 1.0,
        "review_share": review / n,
        "match_share": matches / n,
        "new_rows_decided_new": new_as_new / new_rows if new_rows else 1.0,
        "new_rows_matched": new_matched / new_rows if new_rows else 0.0,
        "kinds": kinds,
    }


def registry_f1(
    truth: list[dict[str, str]], pred: dict[str, str], rows: set[str] | None = None
) -> dict[str, float]:
    """Precision/recall/F1 of "row -> registry facility" (what both matchers can do)."""
    tp = fp = fn = 0
    for t in truth:
        if rows is not None and t["row_id"] not in rows:
            continue
        got = pred.get(t["row_id"], "")
        got = (
            got if got.startswith("F") else ""
        )  # a match to an earlier row is not a registry match
        if got and got == t["true_id"]:
            tp += 1
        else:
            fp += bool(got)
            fn += bool(t["true_id"])
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def real_pairs() -> list[dict[str, Any]]:
    """ROC AUC and precision/recall at the engine's thresholds on Open Supply Hub's pairs
    (the held-out 20% of the training file, which the scorer was not fitted on, and the 112)."""
    from covenant.matching import fit
    from covenant.matching.scorer import Model

    model = Model.load()
    seed = 20261202
    out = []
    for path in fit.DEFAULT_PAIRS:
        if not Path(path).exists():
            continue
        pairs = fit.load_pairs(path)
        name = Path(path).name
        if Path(path).resolve() == Path(fit.DEFAULT_TRAIN).resolve():
            _, pairs = fit.split(pairs, seed)
            name += " (held-out 20%)"
        r = fit.report(name, model, pairs)
        r["name"] = name
        r["pairs"] = len(pairs)
        r["matches"] = sum(p[2] for p in pairs)
        out.append(r)
    return out


# --- report --------------------------------------------------------------------------------


def _ok(value: float, target: float, higher_is_better: bool) -> str:
    good = value >= target if higher_is_better else value <= target
    return "ok" if good else "MISSED"


def print_report(runs: list[dict[str, Any]], pairs: list[dict[str, Any]], meta: dict) -> None:
    print()
    print(f"## Matching benchmark ({meta['date']}, {meta['machine']})")
    print()
    print(f"Command: `{meta['command']}`; load average before: {meta['load_before']}, after: "
          f"{meta['load_after']}")  # fmt: skip
    print()
    print("| registry | rows | build s | peak MB | rows/s (2 workers, median of 3) | rows/s (1) | p50 ms | "
          "p95 ms | p99 ms | candidates recall | precision @match | recall @match | F1 | "
          "review share |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        s, m = run["ours"]["stats"], run["metrics"]
        print(
            f"| {s['registry']:,} | {s['rows']:,} | {s['build_s']:.1f} | {s['peak_mb']:.0f} | "
            f"{s['rows_per_s']:,.0f} | {s['rows_per_s_1']:,.0f} | {s['p50_ms']:.2f} | "
            f"{s['p95_ms']:.2f} | {s['p99_ms']:.2f} | {s['candidate_recall']:.2%} | "
            f"{m['precision_match']:.4f} | {m['recall_match']:.4f} | {m['f1_match']:.4f} | "
            f"{m['review_share']:.2%} |"
        )
    print()
    print("Other figures per size:")
    for run in runs:
        s, m = run["ours"]["stats"], run["metrics"]
        print(
            f"- {s['registry']:,}: batch runs (2 workers) "
            f"{', '.join(f'{r:,.0f}' for r in s['batch_runs_rows_per_s'])} rows/s (median in "
            f"the table); CSV read {s['read_s']:.1f} s; RSS after build "
            f"{s['rss_after_build_mb']:.0f} MB (peak during build {s['peak_build_mb']:.0f} MB, "
            f"largest worker {s['peak_workers_mb']:.0f} MB); index file {s['index_file_mb']:.0f} MB, "
            f"save {s['save_s']:.1f} s, load {s['load_s']:.1f} s; mean candidates "
            f"{s['candidates_mean']:.1f}; recall incl. review {m['recall_with_review']:.4f}; "
            f"new rows decided new {m['new_rows_decided_new']:.2%}, wrongly matched "
            f"{m['new_rows_matched']:.2%}; 1 and 2 workers agree: {s['workers_agree']}"
        )
    if len(runs) > 1:
        print()
        print("Growth (each step vs the previous size):")
        for a, b in itertools.pairwise(runs):
            sa, sb = a["ours"]["stats"], b["ours"]["stats"]
            f = sb["registry"] / sa["registry"]
            print(
                f"- {sa['registry']:,} -> {sb['registry']:,} (x{f:.0f}): build "
                f"x{sb['build_s'] / sa['build_s']:.1f}, peak memory "
                f"x{sb['peak_mb'] / sa['peak_mb']:.1f}, batch rows/s "
                f"x{sb['rows_per_s'] / sa['rows_per_s']:.2f}, p95 x{sb['p95_ms'] / sa['p95_ms']:.2f}"
            )
    big = runs[-1]
    s, m = big["ours"]["stats"], big["metrics"]
    print()
    print(f"Targets at {s['registry']:,} facilities:")
    checks = [
        ("batch rows/s (2 workers)", s["rows_per_s"], TARGETS["rows_per_s"], True, "{:,.0f}"),
        ("one row p95 ms", s["p95_ms"], TARGETS["p95_ms"], False, "{:.2f}"),
        ("index build s", s["build_s"], TARGETS["build_s"], False, "{:.1f}"),
        ("peak memory MB", s["peak_mb"], TARGETS["peak_mb"], False, "{:.0f}"),
        (
            "true match among candidates",
            s["candidate_recall"],
            TARGETS["candidate_recall"],
            True,
            "{:.4f}",
        ),
        ("precision at match", m["precision_match"], TARGETS["precision_match"], True, "{:.4f}"),
        ("review share", m["review_share"], TARGETS["review_share"], False, "{:.4f}"),
    ]
    print("| target | goal | measured | |")
    print("|---|---:|---:|---|")
    for name, value, target, hib, fmt in checks:
        goal = ("≥ " if hib else "≤ ") + fmt.format(target)
        print(f"| {name} | {goal} | {fmt.format(value)} | {_ok(value, target, hib)} |")
    print()
    print("Decisions per kind of row (largest size):")
    print("| kind | rows | match right | match wrong | review | new |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, k in sorted(m["kinds"].items()):
        print(
            f"| {kind} | {k['rows']} | {k['match_ok']} | {k['match_wrong']} | {k['review']} | "
            f"{k['new']} |"
        )
    if pairs:
        print()
        print("Real labelled pairs (Open Supply Hub), engine's scorer and thresholds:")
        print("| pairs | n (matches) | ROC AUC | precision @match | recall @match | "
              "recall @review |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|")
        for p in pairs:
            print(
                f"| {p['name']} | {p['pairs']} ({p['matches']}) | {p['auc']:.4f} | "
                f"{p['precision_match']:.4f} | {p['recall_match']:.4f} | {p['recall_review']:.4f} |"
            )
    baselines = [r for r in runs if r.get("dedupe")]
    for run in runs:
        if run.get("dedupe_note"):
            print(f"\n{run['dedupe_note']}")
    if baselines:
        print()
        print("Side by side with dedupe's Gazetteer (Open Supply Hub's matcher), same files:")
        print("| registry | matcher | rows/s | peak MB | index s | F1 (registry) | precision | "
              "recall | note |")  # fmt: skip
        print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
        for run in baselines:
            s, d = run["ours"]["stats"], run["dedupe"]["stats"]
            o, b, b8 = run["ours_f1"], run["dedupe_f1"], run["dedupe_f1_oshub"]
            print(
                f"| {s['registry']:,} | ours | {s['rows_per_s']:,.0f} | {s['peak_mb']:.0f} | "
                f"{s['build_s']:.1f} | {o['f1']:.4f} | {o['precision']:.4f} | {o['recall']:.4f} "
                f"| decision `match` |"
            )
            print(
                f"| {s['registry']:,} | dedupe | {d['rows_per_s']:,.0f} | "
                f"{d['peak_mb']:.0f} (+workers {d['peak_mb_workers']:.0f}) | {d['index_s']:.1f} | "
                f"{b['f1']:.4f} | {b['precision']:.4f} | {b['recall']:.4f} | threshold "
                f"{d['threshold_best_f1']:.2f} (best F1 on training rows); train "
                f"{d['train_s']:.0f} s |"
            )
            print(
                f"| {s['registry']:,} | dedupe | | | | {b8['f1']:.4f} | {b8['precision']:.4f} | "
                f"{b8['recall']:.4f} | Open Supply Hub's automatic threshold 0.8 |"
            )
            cores = int(d.get("num_cores", 2))
            ours_rate = s["rows_per_s"] if cores > 1 else s["rows_per_s_1"]
            print(
                f"\nRatios at {s['registry']:,} (ours / dedupe): speed "
                f"x{ours_rate / d['rows_per_s']:.0f} (dedupe on {cores} core(s) against our "
                f"{'two workers' if cores > 1 else 'one worker'}), peak memory "
                f"x{s['peak_mb'] / d['peak_mb']:.2f}, F1 x{o['f1'] / b['f1']:.3f} "
                f"({o['f1']:.4f} vs {b['f1']:.4f})"
            )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--rows", type=int, default=20000, help="upload rows per size")
    p.add_argument("--latency-rows", type=int, default=2000, help="single match() calls")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-baseline", action="store_true", help="skip dedupe")
    p.add_argument("--baseline-sizes", default="10000,100000",
                   help="sizes to try dedupe on, smallest first")  # fmt: skip
    p.add_argument("--baseline-timeout", type=float, default=900.0, help="seconds per size")
    p.add_argument("--train-rows", type=int, default=4000, help="baseline's training upload")
    # dedupe's own worker processes (num_cores=2) hung twice here (a forked worker waiting on
    # a lock its parent's threads held), so the baseline runs on one core by default and is
    # compared with our one-worker rate.
    p.add_argument("--baseline-cores", type=int, default=1, help="dedupe's num_cores")
    p.add_argument("--json", default=None, help="write all figures to this file")
    # child mode (internal)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--registry", help=argparse.SUPPRESS)
    p.add_argument("--rows-csv", dest="rows_csv", help=argparse.SUPPRESS)
    p.add_argument("--truth", help=argparse.SUPPRESS)
    p.add_argument("--results", help=argparse.SUPPRESS)
    p.add_argument("--stats", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        args.rows = args.rows_csv
        return child(args)

    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "command": "python benchmarks/matching/run.py " + " ".join(sys.argv[1:]),
        "load_before": _load(),
    }
    sizes = [int(s) for s in args.sizes.split(",") if s]
    baseline_sizes = [] if args.no_baseline else [int(s) for s in args.baseline_sizes.split(",")]
    baseline_sizes = [s for s in baseline_sizes if s in sizes]
    runs: list[dict[str, Any]] = []
    dedupe_ok = True
    for size in sizes:
        print(f"registry {size:,}:")
        paths = dataset(size, args.rows, args.train_rows)
        out = paths["registry"].parent
        ours = run_ours(paths, out, args)
        truth = read_truth(paths["truth"])
        run: dict[str, Any] = {"ours": ours, "metrics": decision_metrics(truth, ours["results"])}
        s = ours["stats"]
        print(
            f"  ours: build {s['build_s']:.1f} s, peak {s['peak_mb']:.0f} MB, "
            f"{s['rows_per_s']:,.0f} rows/s, p95 {s['p95_ms']:.2f} ms, "
            f"candidate recall {s['candidate_recall']:.4f}, precision "
            f"{run['metrics']['precision_match']:.4f}, review {run['metrics']['review_share']:.2%}"
        )
        if size in baseline_sizes and dedupe_ok:
            d = run_dedupe(paths, out, args.baseline_timeout, args.baseline_cores)
            if d is None:
                dedupe_ok = False  # a larger size will not do better
                run["dedupe_note"] = f"dedupe at {size:,}: did not finish (see above)."
            else:
                ours_pred = {
                    k: (v[0] if v[2] == "match" else "") for k, v in ours["results"].items()
                }
                best_t = d["stats"]["threshold_best_f1"]
                run["dedupe"] = d
                run["ours_f1"] = registry_f1(truth, ours_pred)
                run["dedupe_f1"] = registry_f1(
                    truth, {k: v[0] for k, v in d["results"].items() if v[1] >= best_t}
                )
                run["dedupe_f1_oshub"] = registry_f1(
                    truth, {k: v[0] for k, v in d["results"].items() if v[1] >= 0.8}
                )
                ds = d["stats"]
                print(
                    f"  dedupe: train {ds['train_s']:.0f} s, index {ds['index_s']:.1f} s, "
                    f"{ds['rows_per_s']:,.0f} rows/s, peak {ds['peak_mb']:.0f} MB, "
                    f"F1 {run['dedupe_f1']['f1']:.4f} (ours {run['ours_f1']['f1']:.4f})"
                )
        runs.append(run)
    pairs = real_pairs()
    meta["load_after"] = _load()
    print_report(runs, pairs, meta)
    if args.json:
        slim = [
            {k: v for k, v in r.items() if k not in ("ours", "dedupe")}
            | {"ours": r["ours"]["stats"]}
            | ({"dedupe": r["dedupe"]["stats"]} if r.get("dedupe") else {})
            for r in runs
        ]
        Path(args.json).write_text(
            json.dumps({"meta": meta, "runs": slim, "pairs": pairs}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
