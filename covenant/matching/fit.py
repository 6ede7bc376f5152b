"""Fitting and evaluating the scorer (`python -m covenant.matching fit|evaluate`).

Training data: the real labelled pairs of Open Supply Hub (`labelled_pairs_train.json`,
MIT licence), split with a fixed seed into 80 % for fitting and 20 % held out, plus
registry-like synthetic pairs (`synthetic_pairs`) that teach the model what easy
non-matches among blocking candidates look like and recalibrate it to the base rate of
a registry (the real pairs are hard cases only, half of them matches).
`labelled_pairs_112.json` is a second held-out set, never used for fitting.

The fit is plain numpy: L2-regularised logistic regression by Newton's method (IRLS).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from covenant.matching.normalise import NormRecord, normalise
from covenant.matching.records import Record
from covenant.matching.scorer import (
    DEFAULT_MODEL_PATH,
    FEATURES,
    Model,
    features_pairs,
    fields,
    geo_array,
    latlng,
)

_REPO = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("COVENANT_SHARED_DATA", _REPO.parent / "shared" / "data")) / "oshub"
DEFAULT_TRAIN = DATA_DIR / "labelled_pairs_train.json"
DEFAULT_PAIRS = (DATA_DIR / "labelled_pairs_train.json", DATA_DIR / "labelled_pairs_112.json")
HOLDOUT_SHARE = 0.2
L2 = 1.0
SYNTHETIC_WEIGHT = 0.5
"""Weight of one synthetic pair relative to one real pair in the fit."""

Pair = tuple[Record, Record, int]


def load_pairs(path: str | Path) -> list[Pair]:
    """Pairs of a labelled-pairs file: (a, b, 1 for match / 0 for distinct), in file order."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out: list[Pair] = []
    for label, key in ((1, "match"), (0, "distinct")):
        for n, item in enumerate(data.get(key, [])):
            a, b = item["__value__"] if isinstance(item, dict) else item
            ra = _record(a, f"{key}{n}a")
            rb = _record(b, f"{key}{n}b")
            out.append((ra, rb, label))
    return out


def _record(d: dict[str, str], default_id: str) -> Record:
    return Record(
        id=str(d.get("id") or default_id),
        name=d.get("name") or "",
        address=d.get("address") or "",
        country=(d.get("country") or "").upper(),
        city=d.get("city") or "",
        postal_code=d.get("postal_code") or "",
    )


def split(pairs: Sequence[Pair], seed: int) -> tuple[list[Pair], list[Pair]]:
    """(fit, held out), a fixed-seed shuffle."""
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)  # noqa: S311 - reproducible split, not crypto
    n_hold = int(len(pairs) * HOLDOUT_SHARE)
    hold = sorted(order[:n_hold])
    fit = sorted(order[n_hold:])
    return [pairs[i] for i in fit], [pairs[i] for i in hold]


def pair_features(pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, same_country) for pairs."""
    cache: dict[Record, NormRecord] = {}

    def norm(r: Record) -> NormRecord:
        n = cache.get(r)
        if n is None:
            n = cache[r] = normalise(r)
        return n

    na = [norm(a) for a, _, _ in pairs]
    nb = [norm(b) for _, b, _ in pairs]
    x = features_pairs(
        [fields(n) for n in na],
        [fields(n) for n in nb],
        geo_array([latlng(n) for n in na]),
        geo_array([latlng(n) for n in nb]),
    )
    same = np.array([a.country == b.country for a, b in zip(na, nb, strict=True)], dtype=bool)
    y = np.array([p[2] for p in pairs], dtype=np.float64)
    return x, y, same


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton/IRLS; the intercept is not penalised."""
    n, k = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    sw = np.ones(n) if sample_weight is None else sample_weight
    w = np.zeros(k + 1)
    reg = np.full(k + 1, l2)
    reg[-1] = 0.0
    for _ in range(100):
        z = np.clip(xa @ w, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        g = xa.T @ (sw * (p - y)) + reg * w
        h = (xa * (sw * p * (1 - p))[:, None]).T @ xa + np.diag(reg) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(h, g)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w[:-1], float(w[-1])


def platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Recalibration p = sigmoid(a * logit + b) fitted on (logits, y)."""
    coef, intercept = fit_logistic(logits[:, None], y, l2=1e-6)
    return float(coef[0]), intercept


def roc_auc(scores: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC (Mann-Whitney, ties count half)."""
    pos = scores[y == 1]
    neg = scores[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sorted_v = allv[order]
    i = 0
    while i < len(sorted_v):
        j = i
        while j + 1 < len(sorted_v) and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def pair_probabilities(model: Model, x: np.ndarray, same_country: np.ndarray) -> np.ndarray:
    p = model.predict(x)
    return np.where(same_country, p, 0.0)


def precision_recall(pred: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, int(pred.sum())


def report(name: str, model: Model, pairs: Sequence[Pair]) -> dict[str, float]:
    from covenant.matching.engine import MATCH_THRESHOLD, REVIEW_THRESHOLD

    x, y, same = pair_features(pairs)
    p = pair_probabilities(model, x, same)
    conflict = x[:, FEATURES.index("unit_conflict")] > 0
    auto = (p >= MATCH_THRESHOLD) & ~conflict
    flagged = p >= REVIEW_THRESHOLD
    auc = roc_auc(p, y)
    pm, rm, nm = precision_recall(auto, y)
    pr, rr, nr = precision_recall(flagged, y)
    print(
        f"{name}: pairs={len(pairs)} matches={int(y.sum())} AUC={auc:.4f} | "
        f"match (p>={MATCH_THRESHOLD}): precision={pm:.4f} recall={rm:.4f} n={nm} | "
        f"match+review (p>={REVIEW_THRESHOLD}): precision={pr:.4f} recall={rr:.4f} n={nr}"
    )
    return {"auc": auc, "precision_match": pm, "recall_match": rm, "recall_review": rr}


def fit_model(train: str | Path, seed: int, synthetic: bool = True) -> Model:
    """Fit on the fitting part of `train` (and synthetic pairs), deterministic for a seed."""
    fit_pairs, _ = split(load_pairs(train), seed)
    x, y, _ = pair_features(fit_pairs)
    sw = np.ones(len(y))
    if synthetic:
        from covenant.matching.calibration import synthetic_pairs

        syn = synthetic_pairs(seed)
        if syn:
            xs, ys, _ = pair_features(syn)
            x = np.vstack([x, xs])
            y = np.concatenate([y, ys])
            sw = np.concatenate([sw, np.full(len(ys), SYNTHETIC_WEIGHT)])
    coef, intercept = fit_logistic(x, y, sample_weight=sw)
    model = Model(coef=coef, intercept=intercept)
    if synthetic:
        from covenant.matching.calibration import synthetic_pairs

        # Platt recalibration on registry-like pairs of another seed, so that the score
        # is a probability at the base rate of registry candidates
        cal = synthetic_pairs(seed + 100)
        if cal:
            xc, yc, _ = pair_features(cal)
            a, b = platt(model.logit(xc), yc)
            model = Model(coef=coef, intercept=intercept, calib_a=a, calib_b=b)
    return model


def fit_and_save(
    *, train: str | Path, output: str | Path | None, seed: int, synthetic: bool = True
) -> Model:
    model = fit_model(train, seed, synthetic)
    model.save(output or DEFAULT_MODEL_PATH)
    _, hold = split(load_pairs(train), seed)
    report("held-out 20% of train", model, hold)
    for path in DEFAULT_PAIRS[1:]:
        if Path(path).exists():
            report(Path(path).name, model, load_pairs(path))
    print(f"  calibration a={model.calib_a:.4f} b={model.calib_b:.4f}")
    for name, coef in zip(FEATURES, model.coef, strict=True):
        print(f"  {name:20s} {coef:+.3f}")
    print(f"  {'intercept':20s} {model.intercept:+.3f}")
    return model


def synthetic_report(seed: int, registry_size: int = 20_000, rows: int = 5_000) -> dict[str, float]:
    """End to end on registry-like synthetic data (a seed the fit did not use): precision
    of `match` decisions, review share, share of rows that are in the registry and found."""
    try:
        from covenant.matching.synthetic import generate_registry, generate_upload_rows
    except ImportError:
        print("synthetic: covenant.matching.synthetic not available")
        return {}
    from covenant.matching.engine import Matcher

    registry = generate_registry(registry_size, seed=seed)
    upload = generate_upload_rows(registry, rows, seed=seed + 1)
    matcher = Matcher()
    matcher.add_many(registry)
    results = matcher.match_many([u.record for u in upload], add_new=False)
    entity = {u.record.id: u.entity for u in upload}
    tp = fp = review = found = existing = 0
    for u, r in zip(upload, results, strict=True):
        if r.decision == "review":
            review += 1
        if u.true_id is not None:
            existing += 1
            found += r.decision == "match" and r.facility_id == u.true_id
        if r.decision == "match":
            ok = r.facility_id == u.true_id or (
                r.facility_id in entity and entity[r.facility_id] == u.entity
            )
            tp += ok
            fp += not ok
    out = {
        "precision_match": tp / max(1, tp + fp),
        "review_share": review / len(upload),
        "auto_recall": found / max(1, existing),
    }
    print(
        f"synthetic registry={registry_size} rows={rows}: precision@match="
        f"{out['precision_match']:.4f} review share={out['review_share']:.4f} "
        f"existing rows matched automatically={out['auto_recall']:.4f}"
    )
    return out


def evaluate(files: Sequence[str | Path], seed: int, synthetic: bool = True) -> None:
    model = Model.load()
    if synthetic:
        synthetic_report(seed + 7)
    for path in files:
        pairs = load_pairs(path)
        if Path(path).resolve() == Path(DEFAULT_TRAIN).resolve():
            _, pairs = split(pairs, seed)
            report(f"{Path(path).name} (held-out 20%)", model, pairs)
        else:
            report(Path(path).name, model, pairs)
