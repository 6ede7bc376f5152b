"""The matching engine: an index of registry facilities that can be updated row by row,
candidate generation (`covenant.matching.blocking`), scoring (`covenant.matching.scorer`)
and the decision.

Memory layout (so that 1,000,000 facilities fit in well under 2 GB and a forked worker
shares almost everything copy-on-write): the normalised text of all records is one ASCII
string with an offset array, postings are sorted numpy arrays (64-bit key hash ->
record positions, CSR style) plus a small dict for records added since the last
compaction. Nothing per record is a Python object except its id.

Decisions (`Matcher.match`):

* ``match`` when the best candidate's probability >= `MATCH_THRESHOLD`;
* ``review`` when it is >= `REVIEW_THRESHOLD`, or when a guard fires: a candidate of the
  same group (name nearly the same) with a different unit/plot/section number ("Unit 1"
  vs "Unit 2") is never matched automatically;
* ``new`` otherwise. A facility in another country is never a candidate.

The thresholds were chosen on held-out real pairs and registry-like synthetic data (see
docs/decisions and `python -m covenant.matching evaluate`): at `MATCH_THRESHOLD` the
precision on held-out data is >= 0.99; `REVIEW_THRESHOLD` keeps the review share small.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from covenant.matching.blocking import (
    MAX_BATCH_CANDIDATES,
    MAX_CANDIDATES,
    MAX_POSTINGS,
    blocking_keys,
    key_weight,
)
from covenant.matching.normalise import NormRecord, normalise
from covenant.matching.records import Candidate, Decision, MatchResult, Record
from covenant.matching.scorer import (
    FEATURES,
    SEP,
    Model,
    default_model,
    fields,
    latlng,
    reasons,
)

MATCH_THRESHOLD = 0.9
"""Probability from which the best candidate is matched automatically."""

REVIEW_THRESHOLD = 0.5
"""Probability from which the best candidate goes to review (below: a new facility)."""

GUARD_NAME_SIMILARITY = 0.9
"""Name similarity (token set ratio of the core names) from which a unit/plot/section
conflict ("Unit 1" vs "Unit 2") sends the row to review rather than to `new`."""

MAX_RESULT_CANDIDATES = 5

_I_NAME_TS = FEATURES.index("name_token_set")
_I_UNIT_CONFLICT = FEATURES.index("unit_conflict")

_WEIGHTS = np.array([0] + [key_weight(n) for n in range(1, MAX_POSTINGS + 1)], dtype=np.int64)


def key_hash(country: str, key: str) -> int:
    """64-bit hash of a (country, key) posting list (two CRC32s, forward and reversed)."""
    b = (country + SEP + key).encode()
    return (zlib.crc32(b) << 32) | zlib.crc32(b[::-1])


def record_hashes(norm: NormRecord) -> list[int]:
    country = norm.country
    return [key_hash(country, k) for k in blocking_keys(norm)]


@dataclass(slots=True)
class _Scored:
    """One scored candidate before the decision: `ref` is the facility id."""

    ref: str
    prob: float
    rank: int
    conflict: bool
    name_sim: float
    reasons: tuple[str, ...]


class Matcher:
    """An updatable index of facilities and the decision rule for new rows."""

    def __init__(
        self,
        model: Model | None = None,
        match_threshold: float = MATCH_THRESHOLD,
        review_threshold: float = REVIEW_THRESHOLD,
    ) -> None:
        self.model = model if model is not None else default_model()
        self.match_threshold = match_threshold
        self.review_threshold = review_threshold
        self._ids: list[str] = []
        self._index_of: dict[str, int] = {}
        self._countries: list[str] = []
        # text: packed fields of records [0, _n_packed) in _blob, the rest in _recent
        self._blob = ""
        self._offsets = np.zeros(1, dtype=np.int64)
        self._recent: list[str] = []
        self._lat = array("d")
        self._lng = array("d")
        self._alive = bytearray()
        self._n_removed = 0
        # postings: sorted unique key hashes, CSR offsets, record positions; plus delta
        self._bkeys = np.zeros(0, dtype=np.uint64)
        self._boff = np.zeros(1, dtype=np.int64)
        self._bpost = np.zeros(0, dtype=np.int32)
        self._delta: dict[int, list[int]] = {}
        self._delta_records = 0

    # --- size and access ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids) - self._n_removed

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._index_of

    def _packed(self, i: int) -> str:
        n_packed = len(self._offsets) - 1
        if i < n_packed:
            return self._blob[self._offsets[i] : self._offsets[i + 1]]
        return self._recent[i - n_packed]

    def _geo(self, i: int) -> tuple[float, float] | None:
        lat = self._lat[i]
        if math.isnan(lat):
            return None
        return (lat, self._lng[i])

    # --- updates -----------------------------------------------------------------------

    def add(self, record: Record) -> None:
        """Add (or replace) one facility; it is a candidate for the next row at once."""
        norm = normalise(record)
        self._add_norm(norm, record_hashes(norm))
        self._maybe_compact()

    def add_many(self, records: Iterable[Record], *, workers: int = 1) -> None:
        """Add many facilities (bulk build: normalises, then rebuilds the arrays once)."""
        records = list(records)
        for norm, hashes in _normalise_all(records, workers):
            self._add_norm(norm, hashes)
        self.compact()

    def remove(self, record_id: str) -> None:
        """Remove a facility; KeyError if it is not in the index."""
        i = self._index_of.pop(record_id)
        self._alive[i] = 0
        self._n_removed += 1

    def _add_norm(self, norm: NormRecord, hashes: Sequence[int]) -> None:
        if norm.id in self._index_of:
            self.remove(norm.id)
        i = len(self._ids)
        self._ids.append(norm.id)
        self._index_of[norm.id] = i
        self._countries.append(sys.intern(norm.country))
        self._recent.append(SEP.join(fields(norm)))
        self._lat.append(norm.lat if norm.lat is not None and norm.lng is not None else math.nan)
        self._lng.append(norm.lng if norm.lng is not None else math.nan)
        self._alive.append(1)
        delta = self._delta
        for h in hashes:
            lst = delta.get(h)
            if lst is None:
                delta[h] = [i]
            else:
                lst.append(i)
        self._delta_records += 1

    def _maybe_compact(self) -> None:
        if self._delta_records > max(50_000, (len(self._offsets) - 1) // 10):
            self.compact()

    def compact(self) -> None:
        """Fold records added since the last compaction into the packed arrays."""
        if self._recent:
            parts = self._recent
            lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
            new_off = self._offsets[-1] + np.cumsum(lengths)
            self._blob = self._blob + "".join(parts)
            self._offsets = np.concatenate([self._offsets, new_off])
            self._recent = []
        if self._delta:
            total = sum(len(v) for v in self._delta.values())
            hs = np.empty(total, dtype=np.uint64)
            ps = np.empty(total, dtype=np.int32)
            pos = 0
            for h, lst in self._delta.items():
                n = len(lst)
                hs[pos : pos + n] = h
                ps[pos : pos + n] = lst
                pos += n
            old_h = np.repeat(self._bkeys, np.diff(self._boff))
            all_h = np.concatenate([old_h, hs])
            all_p = np.concatenate([self._bpost, ps])
            order = np.lexsort((all_p, all_h))
            all_h = all_h[order]
            self._bpost = all_p[order]
            starts = np.flatnonzero(np.concatenate([[True], all_h[1:] != all_h[:-1]]))
            self._bkeys = all_h[starts]
            self._boff = np.concatenate([starts, [len(all_h)]]).astype(np.int64)
            self._delta = {}
        self._delta_records = 0

    # --- candidates --------------------------------------------------------------------

    def _ranked(self, hashes: Sequence[int], limit: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
        """[(position, rank)] of the candidates, best first (see `blocking`)."""
        if not hashes:
            return []
        lists: list[np.ndarray] = []
        weights: list[int] = []
        bkeys = self._bkeys
        hit_pos: list[int] = []
        if len(bkeys):
            q = np.array(hashes, dtype=np.uint64)
            pos = np.searchsorted(bkeys, q)
            pos[pos >= len(bkeys)] = 0
            hit = bkeys[pos] == q
            hit_pos = [int(p) if h else -1 for p, h in zip(pos.tolist(), hit.tolist(), strict=True)]
        else:
            hit_pos = [-1] * len(hashes)
        removed = self._n_removed
        alive = np.frombuffer(self._alive, dtype=np.uint8) if removed else None
        boff, bpost, delta = self._boff, self._bpost, self._delta
        for h, p in zip(hashes, hit_pos, strict=True):
            base = bpost[boff[p] : boff[p + 1]] if p >= 0 else None
            extra = delta.get(h)
            n = (len(base) if base is not None else 0) + (len(extra) if extra else 0)
            if n == 0 or n - removed > MAX_POSTINGS:
                continue
            if base is None:
                arr = np.array(extra, dtype=np.int32)
            elif extra:
                arr = np.concatenate([base, np.array(extra, dtype=np.int32)])
            else:
                arr = base
            if alive is not None:
                arr = arr[alive[arr] == 1]
                n = len(arr)
                if n == 0 or n > MAX_POSTINGS:
                    continue
            lists.append(arr)
            weights.append(int(_WEIGHTS[n]))
        if not lists:
            return []
        if len(lists) == 1:
            idx = lists[0]
            ranks = np.full(len(idx), weights[0], dtype=np.int64)
        else:
            allidx = np.concatenate(lists)
            w = np.repeat(np.array(weights, dtype=np.int64), [len(a) for a in lists])
            idx, inv = np.unique(allidx, return_inverse=True)
            ranks = np.bincount(inv, weights=w).astype(np.int64)
        return self._top(idx, ranks, limit)

    def _top(self, idx: np.ndarray, ranks: np.ndarray, limit: int) -> list[tuple[int, int]]:
        ids = self._ids
        if len(idx) > limit:
            kth = np.partition(ranks, len(ranks) - limit)[len(ranks) - limit]
            above = idx[ranks > kth]
            ties = idx[ranks == kth].tolist()
            need = limit - len(above)
            if len(ties) > need:
                ties = sorted(ties, key=ids.__getitem__)[:need]
            keep = np.concatenate([above, np.array(ties, dtype=idx.dtype)])
            sel = np.isin(idx, keep)
            idx, ranks = idx[sel], ranks[sel]
        pairs = list(zip(idx.tolist(), ranks.tolist(), strict=True))
        pairs.sort(key=lambda p: (-p[1], ids[p[0]]))
        return pairs

    def candidates(self, record: Record) -> list[str]:
        """Ids of the candidate facilities for `record`, ranked by the blocking rule."""
        norm = normalise(record)
        return [self._ids[i] for i, _ in self._ranked(record_hashes(norm))]

    # --- scoring and decision ----------------------------------------------------------

    def _score_registry(self, norm: NormRecord, hashes: Sequence[int]) -> list[_Scored]:
        ranked = self._ranked(hashes)
        country = norm.country
        ranked = [(i, r) for i, r in ranked if self._countries[i] == country]
        if not ranked:
            return []
        packed = [self._packed(i).split(SEP) for i, _ in ranked]
        geos = [self._geo(i) for i, _ in ranked]
        refs = [self._ids[i] for i, _ in ranked]
        return self._score(fields(norm), latlng(norm), refs, [r for _, r in ranked], packed, geos)

    def _score(
        self,
        q: list[str],
        q_geo: tuple[float, float] | None,
        refs: list[str],
        ranks: list[int],
        packed: list[list[str]],
        geos: Sequence[tuple[float, float] | None],
    ) -> list[_Scored]:
        from covenant.matching.scorer import features

        x = features(q, q_geo, packed, geos)
        probs = self.model.predict(x).tolist()
        order = sorted(range(len(refs)), key=lambda i: -probs[i])
        out = []
        for n, i in enumerate(order):
            why = reasons(q, packed[i], x[i]) if n < MAX_RESULT_CANDIDATES else ()
            out.append(
                _Scored(
                    ref=refs[i],
                    prob=probs[i],
                    rank=ranks[i],
                    conflict=bool(x[i, _I_UNIT_CONFLICT]),
                    name_sim=float(x[i, _I_NAME_TS]),
                    reasons=why,
                )
            )
        return out

    def _decide(self, row_id: str, scored: list[_Scored]) -> MatchResult:
        if not scored:
            return MatchResult(row_id=row_id, decision="new", facility_id=None, score=0.0)
        scored = sorted(scored, key=lambda s: -s.prob)
        best = scored[0]
        decision: Decision
        if best.prob >= self.match_threshold and not best.conflict:
            decision = "match"
        elif best.prob >= self.review_threshold:
            decision = "review"
        else:
            decision = "new"
            sibling = next(
                (s for s in scored if s.conflict and s.name_sim >= GUARD_NAME_SIMILARITY), None
            )
            if sibling is not None:
                decision, best = "review", sibling
        cands = tuple(
            Candidate(id=s.ref, score=round(s.prob, 6), reasons=s.reasons)
            for s in scored[:MAX_RESULT_CANDIDATES]
        )
        if decision == "new":
            return MatchResult(row_id, "new", None, 0.0, cands)
        return MatchResult(row_id, decision, best.ref, round(best.prob, 6), cands)

    def match(self, record: Record) -> MatchResult:
        """Decide whether `record` is a facility of the index (the index is not changed)."""
        norm = normalise(record)
        return self._decide(record.id, self._score_registry(norm, record_hashes(norm)))

    def match_many(
        self,
        records: Sequence[Record],
        *,
        self_match: bool = True,
        add_new: bool = True,
        workers: int = 1,
    ) -> list[MatchResult]:
        """Match a batch, in input order.

        Every row is matched against the index as it was before the batch; with
        `self_match` also against the earlier rows of the batch that were decided ``new``
        (their facility id is their row id). Rows decided ``new`` are added to the index
        when `add_new`. The result does not depend on `workers` (processes forked after
        the index is built; they share it copy-on-write)."""
        records = list(records)
        prepared = _normalise_all(records, workers)
        batch = _BatchIndex(prepared) if self_match else None
        global _JOB
        _JOB = (self, prepared, batch)
        try:
            n = len(records)
            if workers > 1 and n >= 2000:
                step = max(500, n // (workers * 8))
                chunks = [(s, min(n, s + step)) for s in range(0, n, step)]
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(workers) as pool:
                    parts = pool.map(_score_chunk, chunks, chunksize=1)
                scored = [item for part in parts for item in part]
            else:
                scored = _score_chunk((0, n))
        finally:
            _JOB = None
        results: list[MatchResult] = []
        decisions: list[str] = []
        for i, (reg, earlier) in enumerate(scored):
            combined = list(reg)
            for j, s in earlier:
                if decisions[j] == "new":
                    combined.append(s)
            result = self._decide(records[i].id, combined)
            results.append(result)
            decisions.append(result.decision)
        if add_new:
            for (norm, hashes), d in zip(prepared, decisions, strict=True):
                if d == "new":
                    self._add_norm(norm, hashes)
            self._maybe_compact()
        return results

    # --- persistence -------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index (compacted) to `path`."""
        self.compact()
        state = {
            "version": 1,
            "model": self.model.to_json(),
            "thresholds": (self.match_threshold, self.review_threshold),
            "ids": self._ids,
            "countries": self._countries,
            "blob": self._blob,
            "offsets": self._offsets,
            "lat": self._lat,
            "lng": self._lng,
            "alive": bytes(self._alive),
            "n_removed": self._n_removed,
            "bkeys": self._bkeys,
            "boff": self._boff,
            "bpost": self._bpost,
        }
        with open(path, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> Matcher:
        """Read an index written by `save` (a trusted local file)."""
        with open(path, "rb") as f:
            state: dict[str, Any] = pickle.load(f)  # noqa: S301 - our own index file
        match_t, review_t = state["thresholds"]
        m = cls(Model.from_json(state["model"]), match_t, review_t)
        m._ids = state["ids"]
        m._countries = [sys.intern(c) for c in state["countries"]]
        m._index_of = {rid: i for i, rid in enumerate(m._ids)}
        m._alive = bytearray(state["alive"])
        for i, a in enumerate(m._alive):
            if not a:
                m._index_of.pop(m._ids[i], None)
        m._blob = state["blob"]
        m._offsets = state["offsets"]
        m._lat = state["lat"]
        m._lng = state["lng"]
        m._n_removed = state["n_removed"]
        m._bkeys = state["bkeys"]
        m._boff = state["boff"]
        m._bpost = state["bpost"]
        return m


# --- batch helpers (module level so that forked workers can reach them) ----------------

_JOB: tuple[Matcher, list[tuple[NormRecord, list[int]]], _BatchIndex | None] | None = None


class _BatchIndex:
    """Postings of the rows of one batch (for matching rows against earlier rows)."""

    def __init__(self, prepared: list[tuple[NormRecord, list[int]]]) -> None:
        self.lists: dict[int, list[int]] = {}
        for i, (_, hashes) in enumerate(prepared):
            for h in hashes:
                self.lists.setdefault(h, []).append(i)

    def earlier(self, i: int, hashes: Sequence[int], ids: Sequence[str]) -> list[tuple[int, int]]:
        totals: dict[int, int] = {}
        for h in hashes:
            lst = self.lists.get(h)
            if lst is None or len(lst) > MAX_POSTINGS or lst[0] >= i:
                continue
            w = int(_WEIGHTS[len(lst)])
            for j in lst:
                if j >= i:
                    break
                totals[j] = totals.get(j, 0) + w
        ordered = sorted(totals.items(), key=lambda t: (-t[1], ids[t[0]]))
        return ordered[:MAX_BATCH_CANDIDATES]


def _score_chunk(bounds: tuple[int, int]) -> list[tuple[list[_Scored], list[tuple[int, _Scored]]]]:
    assert _JOB is not None
    matcher, prepared, batch = _JOB
    start, stop = bounds
    out: list[tuple[list[_Scored], list[tuple[int, _Scored]]]] = []
    row_ids = [norm.id for norm, _ in prepared] if batch is not None else []
    for i in range(start, stop):
        norm, hashes = prepared[i]
        reg = matcher._score_registry(norm, hashes)
        earlier: list[tuple[int, _Scored]] = []
        if batch is not None:
            ranked = batch.earlier(i, hashes, row_ids)
            ranked = [(j, r) for j, r in ranked if prepared[j][0].country == norm.country]
            if ranked:
                packed = [fields(prepared[j][0]) for j, _ in ranked]
                geos = [latlng(prepared[j][0]) for j, _ in ranked]
                scored = matcher._score(
                    fields(norm),
                    latlng(norm),
                    [row_ids[j] for j, _ in ranked],
                    [r for _, r in ranked],
                    packed,
                    geos,
                )
                by_ref = {row_ids[j]: j for j, _ in ranked}
                earlier = [(by_ref[s.ref], s) for s in scored]
        out.append((reg, earlier))
    return out


def _prepare(record: Record) -> tuple[NormRecord, list[int]]:
    norm = normalise(record)
    return norm, record_hashes(norm)


_NORM_INPUT: list[Record] = []


def _prepare_chunk(bounds: tuple[int, int]) -> list[tuple[NormRecord, list[int]]]:
    return [_prepare(r) for r in _NORM_INPUT[bounds[0] : bounds[1]]]


def _normalise_all(records: list[Record], workers: int) -> list[tuple[NormRecord, list[int]]]:
    n = len(records)
    if workers <= 1 or n < 20_000:
        return [_prepare(r) for r in records]
    global _NORM_INPUT
    _NORM_INPUT = records
    try:
        step = max(5000, n // (workers * 8))
        chunks = [(s, min(n, s + step)) for s in range(0, n, step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_prepare_chunk, chunks, chunksize=1)
    finally:
        _NORM_INPUT = []
    return [item for part in parts for item in part]
