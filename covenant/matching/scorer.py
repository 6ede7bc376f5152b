"""Pairwise scoring: features of a (row, candidate) pair and a logistic-regression model
that turns them into a calibrated probability that both are the same facility.

Records are compared in their packed form (`pack`): a tuple of the normalised text fields
in `FIELDS` order, so the index can keep them as one string per record. The features are
computed for one row against many candidates at once with rapidfuzz's C++ `cdist`.

The model (`data/model.json`) is fitted by `covenant.matching.fit` on real labelled pairs
and registry-like synthetic pairs; see `python -m covenant.matching fit`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, JaroWinkler

from covenant.matching.normalise import UNIT_KINDS, NormRecord

FIELDS = ("name", "key_name", "compact", "legal", "units", "address", "numbers", "city", "postcode")
NAME, KEY_NAME, COMPACT, LEGAL, UNITS, ADDRESS, NUMBERS, CITY, POSTCODE = range(len(FIELDS))
SEP = "\x1f"

FEATURES = (
    "name_token_set",
    "name_ratio",
    "key_jaro_winkler",
    "key_equal",
    "address_token_set",
    "address_ratio",
    "address_missing",
    "numbers_dice",
    "numbers_conflict",
    "postcode_equal",
    "postcode_differs",
    "city_equal",
    "city_differs",
    "unit_conflict",
    "unit_agree",
    "unit_one_side",
    "legal_conflict",
    "geo_near",
    "geo_far",
    "name_x_address",
)
(
    F_NAME_TS,
    F_NAME_RATIO,
    F_KEY_JW,
    F_KEY_EQUAL,
    F_ADDR_TS,
    F_ADDR_RATIO,
    F_ADDR_MISSING,
    F_NUM_DICE,
    F_NUM_CONFLICT,
    F_POST_EQ,
    F_POST_NE,
    F_CITY_EQ,
    F_CITY_NE,
    F_UNIT_CONFLICT,
    F_UNIT_AGREE,
    F_UNIT_ONE,
    F_LEGAL_CONFLICT,
    F_GEO_NEAR,
    F_GEO_FAR,
    F_NAME_X_ADDR,
) = range(len(FEATURES))

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "model.json"

GLUED_MIN = 12
"""A one-word name at least this long is also compared with the other name written without
spaces ("sonmezinternational" against "sonmez international")."""

Packed = Sequence[str]
LatLng = tuple[float, float] | None


def pack(norm: NormRecord) -> str:
    """The text fields of a normalised record as one string (the index stores this)."""
    return SEP.join(getattr(norm, f) for f in FIELDS)


def unpack(packed: str) -> list[str]:
    return packed.split(SEP)


def fields(norm: NormRecord) -> list[str]:
    return [getattr(norm, f) for f in FIELDS]


def latlng(norm: NormRecord) -> LatLng:
    if norm.lat is None or norm.lng is None:
        return None
    return (norm.lat, norm.lng)


_UNIT_TAG = re.compile(
    r"^(" + "|".join(sorted(set(UNIT_KINDS.values()), key=len, reverse=True)) + r")(.+)$"
)


def _units(text: str) -> dict[str, str]:
    """unit tags ("unit2 phase1") -> {kind: numbers}."""
    out: dict[str, list[str]] = {}
    for tag in text.split():
        m = _UNIT_TAG.match(tag)
        kind, num = (m.group(1), m.group(2)) if m else (tag, "")
        out.setdefault(kind, []).append(num)
    return {k: ",".join(sorted(v)) for k, v in out.items()}


def unit_relation(a: str, b: str) -> int:
    """0 no units on either side, 1 one side only, 2 agree, 3 conflict (a shared kind with
    different numbers, e.g. unit1 vs unit2)."""
    if not a and not b:
        return 0
    if not a or not b:
        return 1
    ua, ub = _units(a), _units(b)
    shared = ua.keys() & ub.keys()
    if any(ua[k] != ub[k] for k in shared):
        return 3
    if shared:
        return 2
    return 1


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1 = math.radians(a[0]), math.radians(a[1])
    lat2, lng2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _pdist(a: list[str], b: list[str], scorer: Any, **kw: Any) -> np.ndarray:
    result: np.ndarray = process.cpdist(a, b, scorer=scorer, dtype=np.float32, **kw)
    return result.astype(np.float64)


def features_pairs(
    qs: Sequence[Packed], cs: Sequence[Packed], q_geo: np.ndarray, c_geo: np.ndarray
) -> np.ndarray:
    """Feature matrix (len(qs) x len(FEATURES)) of the pairs (qs[i], cs[i]).

    `q_geo` and `c_geo` are (n, 2) arrays of lat/lng, NaN when unknown. String similarity
    runs in rapidfuzz's C++ `cpdist` over all pairs at once; the rest is numpy or a loop
    over the few pairs that have unit numbers."""
    n = len(qs)
    x = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return x
    qn = [q[NAME] for q in qs]
    cn = [c[NAME] for c in cs]
    qk = [q[COMPACT] for q in qs]
    ck = [c[COMPACT] for c in cs]
    qa = [q[ADDRESS] for q in qs]
    ca = [c[ADDRESS] for c in cs]
    x[:, F_NAME_TS] = _pdist(qn, cn, fuzz.token_set_ratio) / 100.0
    x[:, F_NAME_RATIO] = _pdist(qn, cn, fuzz.ratio) / 100.0
    # one name is a single long word: also compare it with the other written without spaces
    # (a name whose letters were spaced apart is joined by `normalise`, "crystalmartin…")
    glued = [
        i
        for i, (a, b) in enumerate(zip(qn, cn, strict=True))
        if (" " in a) != (" " in b) and len(a if " " not in a else b) >= GLUED_MIN
    ]
    if glued:
        ga = [qn[i].replace(" ", "") for i in glued]
        gb = [cn[i].replace(" ", "") for i in glued]
        joined = _pdist(ga, gb, fuzz.ratio) / 100.0
        x[glued, F_NAME_TS] = np.maximum(x[glued, F_NAME_TS], joined)
        x[glued, F_NAME_RATIO] = np.maximum(x[glued, F_NAME_RATIO], joined)
    x[:, F_KEY_JW] = _pdist(qk, ck, JaroWinkler.normalized_similarity)
    x[:, F_KEY_EQUAL] = [a == b for a, b in zip(qk, ck, strict=True)]
    missing = np.array([not a or not b for a, b in zip(qa, ca, strict=True)])
    x[:, F_ADDR_TS] = np.where(missing, 0.0, _pdist(qa, ca, fuzz.token_set_ratio) / 100.0)
    x[:, F_ADDR_RATIO] = np.where(missing, 0.0, _pdist(qa, ca, fuzz.ratio) / 100.0)
    x[:, F_ADDR_MISSING] = missing
    qnum = [q[NUMBERS] for q in qs]
    cnum = [c[NUMBERS] for c in cs]
    both = np.array([bool(a and b) for a, b in zip(qnum, cnum, strict=True)])
    dice = _pdist(qnum, cnum, Indel.normalized_similarity, processor=str.split)
    x[:, F_NUM_DICE] = np.where(both, dice, 0.0)
    x[:, F_NUM_CONFLICT] = both & (dice == 0.0)
    for i in range(n):
        q, c = qs[i], cs[i]
        qp, cp = q[POSTCODE], c[POSTCODE]
        if qp and cp:
            x[i, F_POST_EQ if qp == cp else F_POST_NE] = 1.0
        qc, cc = q[CITY], c[CITY]
        if qc and cc:
            same = qc == cc or qc in c[ADDRESS] or cc in q[ADDRESS]
            x[i, F_CITY_EQ if same else F_CITY_NE] = 1.0
        qu, cu = q[UNITS], c[UNITS]
        if qu or cu:
            rel = unit_relation(qu, cu)
            if rel:
                x[i, (0, F_UNIT_ONE, F_UNIT_AGREE, F_UNIT_CONFLICT)[rel]] = 1.0
        ql, cl = q[LEGAL], c[LEGAL]
        if ql and cl and ql != cl and set(ql.split()).isdisjoint(cl.split()):
            x[i, F_LEGAL_CONFLICT] = 1.0
    d = _haversine(q_geo, c_geo)
    x[:, F_GEO_NEAR] = d < 0.5
    x[:, F_GEO_FAR] = d > 5.0
    x[:, F_NAME_X_ADDR] = x[:, F_NAME_TS] * np.where(missing, 0.5, x[:, F_ADDR_TS])
    return x


def _haversine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distances in km; NaN where a coordinate is unknown (comparisons with NaN are False)."""
    lat1, lng1 = np.radians(a[:, 0]), np.radians(a[:, 1])
    lat2, lng2 = np.radians(b[:, 0]), np.radians(b[:, 1])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    with np.errstate(invalid="ignore"):
        result: np.ndarray = 12742.0 * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return result


def geo_array(geos: Sequence[LatLng]) -> np.ndarray:
    out = np.full((len(geos), 2), np.nan)
    for i, g in enumerate(geos):
        if g is not None:
            out[i] = g
    return out


def features(
    q: Packed, q_geo: LatLng, cands: Sequence[Packed], geos: Sequence[LatLng]
) -> np.ndarray:
    """Feature matrix (len(cands) x len(FEATURES)) of row `q` against `cands`."""
    k = len(cands)
    return features_pairs([q] * k, cands, geo_array([q_geo] * k), geo_array(geos))


@dataclass(frozen=True, slots=True)
class Model:
    """Logistic regression: p = sigmoid(a * (w . x + b) + c), where (a, c) is a Platt
    recalibration to registry-like data (1, 0 when not recalibrated)."""

    coef: np.ndarray
    intercept: float
    calib_a: float = 1.0
    calib_b: float = 0.0

    def logit(self, x: np.ndarray) -> np.ndarray:
        # a row's logit must not depend on the other rows of the batch: a matrix-vector
        # product (BLAS) rounds identical rows differently at different positions, and two
        # sibling candidates with the same features would then swap places between runs and
        # engines; an elementwise product summed per row is the same wherever the row is.
        return self.calib_a * ((x * self.coef).sum(axis=1) + self.intercept) + self.calib_b

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.logit(x), -30.0, 30.0)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "coef": [round(float(c), 6) for c in self.coef],
            "intercept": round(float(self.intercept), 6),
            "calibration": [round(self.calib_a, 6), round(self.calib_b, 6)],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Model:
        names = data["features"]
        if list(names) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("model.json was fitted on other features; run `fit` again")
        calib: list[float] = data.get("calibration", [1.0, 0.0])  # type: ignore[assignment]
        a, b = calib
        return cls(
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            calib_a=float(a),
            calib_b=float(b),
        )

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL_PATH) -> Model:
        with open(path, encoding="utf-8") as f:
            return cls.from_json(json.load(f))

    def save(self, path: str | Path = DEFAULT_MODEL_PATH) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=1)
            f.write("\n")


def default_model() -> Model:
    """The shipped model; a hand-set fallback when model.json is missing."""
    if DEFAULT_MODEL_PATH.exists():
        return Model.load(DEFAULT_MODEL_PATH)
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("name_token_set")] = 6.0
    coef[FEATURES.index("key_jaro_winkler")] = 4.0
    coef[FEATURES.index("address_token_set")] = 4.0
    coef[FEATURES.index("unit_conflict")] = -4.0
    return Model(coef=coef, intercept=-11.0)


def reasons(q: Packed, c: Packed, x: np.ndarray) -> tuple[str, ...]:
    """Short reasons a reviewer reads, from the pair's fields and its feature row `x`."""
    out: list[str] = []
    if x[F_KEY_EQUAL]:
        out.append(
            "same name without legal form" if q[NAME] == c[NAME] else "same distinctive name"
        )
    elif x[F_NAME_TS] >= 0.9:
        out.append("name nearly the same")
    elif x[F_NAME_TS] >= 0.7:
        out.append("name similar")
    else:
        out.append("name differs")
    if x[F_ADDR_MISSING]:
        out.append("address missing")
    elif x[F_ADDR_TS] >= 0.9:
        out.append("same address")
    elif x[F_ADDR_TS] >= 0.7:
        out.append("address similar")
    else:
        out.append("address differs")
    if x[F_NUM_CONFLICT]:
        out.append("street numbers differ")
    if x[F_POST_EQ]:
        out.append("same postcode")
    elif x[F_POST_NE]:
        out.append(f"postcode {q[POSTCODE]} vs {c[POSTCODE]}")
    if x[F_CITY_NE]:
        out.append("city differs")
    if x[F_UNIT_CONFLICT]:
        out.append(f"{_pretty_units(q[UNITS])} vs {_pretty_units(c[UNITS])}")
    elif x[F_UNIT_ONE]:
        out.append(f"{_pretty_units(q[UNITS] or c[UNITS])} on one side only")
    if x[F_LEGAL_CONFLICT]:
        out.append(f"legal form {q[LEGAL]} vs {c[LEGAL]}")
    if x[F_GEO_NEAR]:
        out.append("within 500 m")
    elif x[F_GEO_FAR]:
        out.append("more than 5 km apart")
    return tuple(out)


def _pretty_units(text: str) -> str:
    parts = []
    for kind, num in _units(text).items():
        parts.append(f"{kind} {num}".strip())
    return ", ".join(parts) or "no unit"
