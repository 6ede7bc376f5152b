"""Baseline: Open Supply Hub's matcher, dedupe's Gazetteer, on the benchmark's CSV files.

Runs in its own environment (``benchmarks/matching/.venv-dedupe``, see setup_dedupe.sh), not
in the project's: it imports nothing from covenant. Configured the way Open Supply Hub
configures it (``api/matching.py``): every field cleaned with unidecode, lower case and
punctuation removed; variables ``country`` (Exact), ``name`` (String), ``address`` (String);
a sample of pairs (Open Supply Hub: 15,000; default here 5,000 to keep the run short); then ``index`` the registry and ``search`` the rows. Open Supply
Hub trains on a hand-labelled training.json; here the labelled pairs come from a separate
synthetic upload (its own seed) with the true facility known, given to ``prepare_training``
as its training file (``mark_pairs`` refuses records the active learner has not indexed).
The address is declared with missing values allowed (some rows say "n/a" or nothing).

Writes the best registry candidate and its score for every row (``--predictions``) and the
timings, peak memory and the threshold of best F1 on the training rows (``--stats``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import random
import re
import resource
import sys
import time

import dedupe
from unidecode import unidecode


def clean(value: str) -> str | None:
    """Open Supply Hub's `clean`: the same steps in the same order."""
    value = unidecode(value or "")
    value = re.sub("\n", " ", value)
    value = re.sub("-", "", value)
    value = re.sub("/", " ", value)
    value = re.sub("'", "", value)
    value = re.sub(",", "", value)
    value = re.sub(":", " ", value)
    value = re.sub(" +", " ", value)
    value = value.strip().strip('"').strip("'").lower().strip()
    return value or None


def read(path: str, id_column: str) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[row[id_column]] = {
                "country": clean(row["country"]) or "",
                "name": clean(row["name"]),
                "address": clean(row["address"]),
            }
    return out


def read_truth(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as f:
        return {row["row_id"]: row["true_id"] for row in csv.DictReader(f)}


def best(results) -> dict[str, tuple[str, float]]:
    """Best registry candidate per row from `Gazetteer.search` (row_id, ((id, score), ...))."""
    out: dict[str, tuple[str, float]] = {}
    for row_id, matches in results:
        for facility_id, score in matches:
            if row_id not in out or score > out[row_id][1]:
                out[row_id] = (facility_id, float(score))
    return out


def f1_at(pred: dict[str, tuple[str, float]], truth: dict[str, str], threshold: float) -> float:
    tp = fp = fn = 0
    for row_id, true_id in truth.items():
        got = pred.get(row_id)
        hit = got[0] if got and got[1] >= threshold else ""
        if hit and hit == true_id:
            tp += 1
        else:
            fp += bool(hit)
            fn += bool(true_id)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--registry", required=True)
    p.add_argument("--rows", required=True)
    p.add_argument("--train-rows", required=True)
    p.add_argument("--train-truth", required=True)
    p.add_argument("--predictions", required=True)
    p.add_argument("--stats", required=True)
    p.add_argument("--num-cores", type=int, default=2)
    p.add_argument("--sample-size", type=int, default=5000, help="Open Supply Hub: 15000 (slower)")
    p.add_argument("--pairs", type=int, default=800, help="labelled pairs of each kind")
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    rng = random.Random(args.seed)  # noqa: S311 - sampling, not secrets
    stats: dict[str, float | str] = {}

    t0 = time.perf_counter()
    canonical = read(args.registry, "id")
    messy = read(args.rows, "row_id")
    train_rows = read(args.train_rows, "row_id")
    train_truth = read_truth(args.train_truth)
    stats["read_s"] = time.perf_counter() - t0

    # Labelled pairs: a row and its true facility (match); a row and another facility of its
    # country with a similar name or at random (distinct), as a moderator would label them.
    by_country: dict[str, list[str]] = {}
    for fid, rec in canonical.items():
        by_country.setdefault(rec["country"] or "", []).append(fid)
    first_word: dict[tuple[str, str], list[str]] = {}
    for fid, rec in canonical.items():
        word = (rec["name"] or "").split(" ")[0]
        first_word.setdefault((rec["country"] or "", word), []).append(fid)
    matches, distinct = [], []
    items = list(train_truth.items())
    rng.shuffle(items)
    for row_id, true_id in items:
        row = train_rows[row_id]
        if true_id and len(matches) < args.pairs:
            matches.append((row, canonical[true_id]))
        if len(distinct) < args.pairs:
            word = (row["name"] or "").split(" ")[0]
            pool = [f for f in first_word.get((row["country"] or "", word), []) if f != true_id]
            if not pool:
                pool = [f for f in by_country.get(row["country"] or "", []) if f != true_id]
            if pool:
                distinct.append((row, canonical[rng.choice(pool)]))
        if len(matches) >= args.pairs and len(distinct) >= args.pairs:
            break
    stats["train_pairs_match"] = len(matches)
    stats["train_pairs_distinct"] = len(distinct)

    variables = [
        dedupe.variables.Exact("country"),
        dedupe.variables.String("name"),
        dedupe.variables.String("address", has_missing=True),
    ]
    t0 = time.perf_counter()
    gazetteer = dedupe.Gazetteer(variables, num_cores=args.num_cores)
    # The labelled pairs go in as a training file: `mark_pairs` alone refuses records the
    # active learner has not indexed, and dedupe documents the file for existing labels.
    training = io.StringIO(json.dumps({"match": matches, "distinct": distinct}))
    gazetteer.prepare_training(
        train_rows, canonical, training_file=training, sample_size=args.sample_size
    )
    stats["prepare_s"] = time.perf_counter() - t0
    gazetteer.train()
    gazetteer.cleanup_training()
    stats["train_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    gazetteer.index(canonical)
    stats["index_s"] = time.perf_counter() - t0
    stats["peak_mb_after_index"] = peak_mb()[0]

    # Threshold of best F1 on the training rows (not the rows we report on).
    sample_ids = [r for r, _ in items[:2000]]
    sample = {r: train_rows[r] for r in sample_ids}
    pred_train = best(gazetteer.search(sample, threshold=0.0, n_matches=1, generator=True))
    truth_sample = {r: train_truth[r] for r in sample_ids}
    grid = [i / 100 for i in range(5, 100)]
    scores = {t: f1_at(pred_train, truth_sample, t) for t in grid}
    threshold = max(grid, key=lambda t: (scores[t], -abs(t - 0.5)))
    stats["threshold_best_f1"] = threshold
    stats["train_sample_f1"] = scores[threshold]

    t0 = time.perf_counter()
    pred = best(gazetteer.search(messy, threshold=0.0, n_matches=1, generator=True))
    stats["search_s"] = time.perf_counter() - t0
    stats["rows"] = len(messy)
    stats["rows_per_s"] = len(messy) / stats["search_s"]
    own, kids = peak_mb()
    stats["peak_mb"] = own
    stats["peak_mb_workers"] = kids
    stats["registry"] = len(canonical)
    stats["num_cores"] = args.num_cores

    with open(args.predictions, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["row_id", "facility_id", "score"])
        for row_id in messy:
            fid, score = pred.get(row_id, ("", 0.0))
            w.writerow([row_id, fid, f"{score:.6f}"])
    with open(args.stats, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
