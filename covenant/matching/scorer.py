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
from rapidfuzz.distance import JaroWinkler

from covenant.matching.normalise import UNIT_KINDS, NormRecord

FIELDS = ("name", "key_name", "compact", "legal", "units", "address", "numbers", "city", "postcode")
NAME, KEY_NAME, COMPACT, LEGAL, UNITS, ADDRESS, NUMBERS, CITY, POSTCODE = range(len(FIELDS))
SEP = "\x1f"

FEATURES = (
    "name_token_set",
    "name_ratio",
    "key_token_set",
    "key_jaro_winkler",
    "key_partial",
    "key_equal",
    "address_token_set",
    "address_token_sort",
    "address_missing",
    "numbers_overlap",
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

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "model.json"

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


def _cdist(query: str, choices: list[str], scorer: Any) -> np.ndarray:
    result: np.ndarray = process.cdist([query], choices, scorer=scorer, dtype=np.float32)[0]
    return result


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


def features(
    q: Packed, q_geo: LatLng, cands: Sequence[Packed], geos: Sequence[LatLng]
) -> np.ndarray:
    """Feature matrix (len(cands) x len(FEATURES)) of row `q` against `cands`."""
    k = len(cands)
    x = np.zeros((k, len(FEATURES)), dtype=np.float64)
    if k == 0:
        return x
    names = [c[NAME] for c in cands]
    keys = [c[KEY_NAME] for c in cands]
    compacts = [c[COMPACT] for c in cands]
    addrs = [c[ADDRESS] for c in cands]
    x[:, 0] = _cdist(q[NAME], names, fuzz.token_set_ratio) / 100.0
    x[:, 1] = _cdist(q[NAME], names, fuzz.ratio) / 100.0
    x[:, 2] = _cdist(q[KEY_NAME], keys, fuzz.token_set_ratio) / 100.0
    x[:, 3] = _cdist(q[COMPACT], compacts, JaroWinkler.normalized_similarity)
    x[:, 4] = _cdist(q[COMPACT], compacts, fuzz.partial_ratio) / 100.0
    x[:, 5] = [1.0 if q[COMPACT] == c else 0.0 for c in compacts]
    q_addr = q[ADDRESS]
    if q_addr:
        x[:, 6] = _cdist(q_addr, addrs, fuzz.token_set_ratio) / 100.0
        x[:, 7] = _cdist(q_addr, addrs, fuzz.token_sort_ratio) / 100.0
    q_nums = set(q[NUMBERS].split())
    q_post, q_city, q_units, q_legal = q[POSTCODE], q[CITY], q[UNITS], q[LEGAL]
    for i, c in enumerate(cands):
        if not q_addr or not c[ADDRESS]:
            x[i, 6] = 0.0
            x[i, 7] = 0.0
            x[i, 8] = 1.0
        if q_nums and c[NUMBERS]:
            c_nums = set(c[NUMBERS].split())
            inter = len(q_nums & c_nums)
            x[i, 9] = inter / len(q_nums | c_nums)
            x[i, 10] = 1.0 if inter == 0 else 0.0
        if q_post and c[POSTCODE]:
            if q_post == c[POSTCODE]:
                x[i, 11] = 1.0
            else:
                x[i, 12] = 1.0
        if q_city and c[CITY]:
            if q_city == c[CITY] or q_city in c[ADDRESS] or c[CITY] in q_addr:
                x[i, 13] = 1.0
            else:
                x[i, 14] = 1.0
        if q_units or c[UNITS]:
            rel = unit_relation(q_units, c[UNITS])
            if rel == 3:
                x[i, 15] = 1.0
            elif rel == 2:
                x[i, 16] = 1.0
            elif rel == 1:
                x[i, 17] = 1.0
        if q_legal and c[LEGAL] and set(q_legal.split()).isdisjoint(c[LEGAL].split()):
            x[i, 18] = 1.0
        g = geos[i]
        if q_geo is not None and g is not None:
            d = distance_km(q_geo, g)
            if d < 0.5:
                x[i, 19] = 1.0
            elif d > 5.0:
                x[i, 20] = 1.0
    x[:, 21] = x[:, 0] * np.where(x[:, 8] > 0, 0.5, x[:, 6])
    return x


@dataclass(frozen=True, slots=True)
class Model:
    """Logistic regression: p = sigmoid(a * (w . x + b) + c), where (a, c) is a Platt
    recalibration to registry-like data (1, 0 when not recalibrated)."""

    coef: np.ndarray
    intercept: float
    calib_a: float = 1.0
    calib_b: float = 0.0

    def logit(self, x: np.ndarray) -> np.ndarray:
        return self.calib_a * (x @ self.coef + self.intercept) + self.calib_b

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
    f = dict(zip(FEATURES, x, strict=True))
    if f["key_equal"] and q[NAME] == c[NAME]:
        out.append("same name without legal form")
    elif f["key_equal"]:
        out.append("same distinctive name")
    elif f["name_token_set"] >= 0.9:
        out.append("name nearly the same")
    elif f["name_token_set"] >= 0.7:
        out.append("name similar")
    else:
        out.append("name differs")
    if f["address_missing"]:
        out.append("address missing")
    elif f["address_token_set"] >= 0.9:
        out.append("same address")
    elif f["address_token_set"] >= 0.7:
        out.append("address similar")
    else:
        out.append("address differs")
    if f["numbers_conflict"]:
        out.append("street numbers differ")
    if f["postcode_equal"]:
        out.append("same postcode")
    elif f["postcode_differs"]:
        out.append(f"postcode {q[POSTCODE]} vs {c[POSTCODE]}")
    if f["city_differs"]:
        out.append("city differs")
    if f["unit_conflict"]:
        out.append(f"{_pretty_units(q[UNITS])} vs {_pretty_units(c[UNITS])}")
    elif f["unit_one_side"]:
        out.append(f"{_pretty_units(q[UNITS] or c[UNITS])} on one side only")
    if f["legal_conflict"]:
        out.append(f"legal form {q[LEGAL]} vs {c[LEGAL]}")
    if f["geo_near"]:
        out.append("within 500 m")
    elif f["geo_far"]:
        out.append("more than 5 km apart")
    return tuple(out)


def _pretty_units(text: str) -> str:
    parts = []
    for kind, num in _units(text).items():
        parts.append(f"{kind} {num}".strip())
    return ", ".join(parts) or "no unit"
