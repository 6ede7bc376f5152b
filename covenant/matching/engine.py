"""The matching engine: an index of registry facilities that can be updated row by row,
candidate generation (`covenant.matching.blocking`), scoring (`covenant.matching.scorer`)
and the decision.

Memory layout (so that 1,000,000 facilities fit in well under 2 GB and a forked worker
shares almost everything copy-on-write): the normalised text of all records is one ASCII
string with an offset array, postings are sorted numpy arrays (64-bit key hash ->
record positions, CSR style) plus a small dict for records added since the last
compaction. Nothing per record is a Python object except its id.

Decisions (`Matcher.match`):

* ``match`` when the probability that the row is the best candidate, given that at most
  one candidate can be (`exclusive`), is >= `MATCH_THRESHOLD`: two namesakes that both
  resemble the row go to review, not to whichever scored a little higher;
* ``review`` when the best candidate's (pairwise) probability is >= `REVIEW_THRESHOLD`,
  or when a guard fires: a candidate of the
  same group (name nearly the same) with a different unit/plot/section number ("Unit 1"
  vs "Unit 2") is never matched automatically;
* ``new`` otherwise. A facility in another country is never a candidate.

The thresholds were chosen on held-out real pairs and registry-like synthetic data (see
docs/decisions and `python -m covenant.matching evaluate`): at `MATCH_THRESHOLD` the
precision on held-out data is >= 0.99; `REVIEW_THRESHOLD` keeps the review share small.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import math
import multiprocessing
import pickle
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from covenant.matching.blocking import (
    MAX_BATCH_CANDIDATES,
    MAX_CANDIDATES,
    MAX_POOL,
    MAX_POSTINGS,
    MIN_RANK_SHARE,
    blocking_keys,
    key_weight,
)
from covenant.matching.normalise import NormRecord, normalise
from covenant.matching.records import Candidate, Decision, MatchResult, Record
from covenant.matching.scorer import (
    F_NAME_TS,
    F_UNIT_CONFLICT,
    SEP,
    Model,
    default_model,
    features_pairs,
    fields,
    geo_array,
    latlng,
    reasons,
)

MATCH_THRESHOLD = 0.7
"""Probability from which the best candidate is matched automatically."""

REVIEW_THRESHOLD = 0.6
"""Probability from which the best candidate goes to review (below: a new facility)."""

GUARD_NAME_SIMILARITY = 0.9
"""Name similarity (token set ratio of the core names) from which a unit/plot/section
conflict ("Unit 1" vs "Unit 2") sends the row to review rather than to `new`."""

DENSE_SHARE = 1024
"""Posting lists of at least 1/DENSE_SHARE of the records also get a bitmap."""

MAX_RESULT_CANDIDATES = 5

REASONS_FROM = 0.02
"""Candidates below this probability get no reasons (they are shown as unlikely)."""


_WEIGHTS = np.array([0] + [key_weight(n) for n in range(1, MAX_POSTINGS + 1)], dtype=np.int64)


def key_hash(country: str, key: str) -> int:
    """64-bit hash of a (country, key) posting list (two CRC32s, forward and reversed)."""
    b = (country + SEP + key).encode()
    return (zlib.crc32(b) << 32) | zlib.crc32(b[::-1])


def record_hashes(norm: NormRecord) -> list[int]:
    country = norm.country
    return [key_hash(country, k) for k in blocking_keys(norm)]


_Scored = tuple[str, float, bool, float, tuple[str, ...]]
"""A scored candidate before the decision: (facility id, probability, unit conflict,
name similarity, reasons)."""

Query = tuple[list[str], tuple[float, float] | None]
"""A row to score: its packed fields (`scorer.fields`) and its coordinates."""

Cand = tuple[str, list[str], tuple[float, float] | None]
"""A candidate to score: (id, packed fields, coordinates)."""


def score_candidates(
    model: Model, queries: Sequence[Query], blocks: Sequence[Sequence[Cand]]
) -> list[list[_Scored]]:
    """Score each row's candidates (`blocks[r]`, in candidate-rule order) in one vectorised
    pass; per row the best MAX_RESULT_CANDIDATES by probability (ties keep the rule's
    order), with reasons. Shared by `Matcher` and the Spark engine (`covenant.matching.spark`),
    so both score a row the same way."""
    qs: list[list[str]] = []
    cs: list[list[str]] = []
    q_geo: list[tuple[float, float] | None] = []
    c_geo: list[tuple[float, float] | None] = []
    owner: list[int] = []
    cids: list[str] = []
    for r, ((qf, qg), cands) in enumerate(zip(queries, blocks, strict=True)):
        for cid, cf, cg in cands:
            qs.append(qf)
            cs.append(cf)
            q_geo.append(qg)
            c_geo.append(cg)
            owner.append(r)
            cids.append(cid)
    out: list[list[_Scored]] = [[] for _ in queries]
    if not qs:
        return out
    x = features_pairs(qs, cs, geo_array(q_geo), geo_array(c_geo))
    probs = model.predict(x).tolist()
    start = 0
    n = len(owner)
    while start < n:
        r = owner[start]
        stop = start
        while stop < n and owner[stop] == r:
            stop += 1
        order = sorted(range(start, stop), key=lambda j: -probs[j])[:MAX_RESULT_CANDIDATES]
        out[r] = [
            (
                cids[j],
                probs[j],
                bool(x[j, F_UNIT_CONFLICT]),
                float(x[j, F_NAME_TS]),
                # a unit conflict can send an unlikely candidate to review: say why
                reasons(qs[j], cs[j], x[j])
                if probs[j] >= REASONS_FROM or x[j, F_UNIT_CONFLICT]
                else (),
            )
            for j in order
        ]
        start = stop
    return out


def decide(
    row_id: str,
    scored: Sequence[_Scored],
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
) -> MatchResult:
    """The decision for one row from its scored candidates (see the module docstring)."""
    if not scored:
        return MatchResult(row_id=row_id, decision="new", facility_id=None, score=0.0)
    scored = sorted(scored, key=lambda s: -s[1])[:MAX_RESULT_CANDIDATES]
    best = scored[0]
    excl = exclusive([s[1] for s in scored])
    decision: Decision
    pick = 0
    if excl[0] >= match_threshold and not best[2]:
        decision = "match"
    elif best[1] >= review_threshold:
        decision = "review"
    else:
        decision = "new"
        pick = next((i for i, s in enumerate(scored) if s[2] and s[3] >= GUARD_NAME_SIMILARITY), -1)
        if pick >= 0:
            decision, best = "review", scored[pick]
    cands = tuple(Candidate(id=s[0], score=round(s[1], 6), reasons=s[4]) for s in scored)
    if decision == "new":
        return MatchResult(row_id, "new", None, 0.0, cands)
    return MatchResult(row_id, decision, best[0], round(excl[pick], 6), cands)


def exclusive(probs: Sequence[float]) -> list[float]:
    """The probability that the row is candidate i, from the pairwise probabilities p of
    its candidates, given that at most one of them can be the same facility:
    ``o_i / (1 + sum(o))`` with the odds ``o = p / (1 - p)``. One candidate at 0.72 stays
    0.72; two namesakes at 0.72 and 0.6 are 0.51 and 0.29 each: an automatic match needs
    the row to point at one facility, not only to resemble it."""
    odds = [min(p, 1.0 - 1e-9) / (1.0 - min(p, 1.0 - 1e-9)) for p in probs]
    total = 1.0 + sum(odds)
    return [o / total for o in odds]


def decide_rows(
    scored: Iterable[tuple[str, Sequence[_Scored], Sequence[tuple[int, _Scored]]]],
    match_threshold: float = MATCH_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
) -> Iterator[MatchResult]:
    """Decisions for a batch, in input order (a generator, so a caller can stream). The
    i-th item is (row id, row i's scored registry candidates, [(j, scored) for its scored
    earlier rows j < i of the batch]); an earlier row counts only when it was itself
    decided ``new`` (its facility id is its row id)."""
    new = bytearray()
    for row_id, reg, earlier in scored:
        combined = list(reg)
        for j, s in earlier:
            if new[j]:
                combined.append(s)
        result = decide(row_id, combined, match_threshold, review_threshold)
        new.append(result.decision == "new")
        yield result


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
        # bitmaps of the longest posting lists (see `_build_dense`)
        self._dense_of: dict[int, int] = {}
        self._dense = np.zeros((0, 0), dtype=np.uint8)
        # ordering by id (ties of the blocking rule): rank at the last compaction, and
        # for records added since, an odd number between their neighbours
        self._sortkey = np.zeros(0, dtype=np.int64)
        self._sorted_ids: list[str] = []
        self._delta_sk: list[int] = []

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
        with _no_gc():
            if not self._ids:
                self._bulk_build(records, workers)
                return
            for norm, hashes in _normalise_all(records, workers):
                self._add_norm(norm, hashes)
            self.compact()

    def _bulk_build(self, records: list[Record], workers: int) -> None:
        """Fill an empty index: rows are normalised in chunks (streamed from the worker
        processes, so only one chunk of normalised records exists at a time) and their
        postings collected in two flat arrays that are sorted once, instead of a dict of
        lists per key. The result is the same index as adding the records one by one."""
        hs = array("Q")
        ps = array("i")
        for rid, country, packed, lat, lng, hashes in _iter_compact(records, workers):
            if rid in self._index_of:
                self.remove(rid)
            i = len(self._ids)
            self._ids.append(rid)
            self._index_of[rid] = i
            self._countries.append(sys.intern(country))
            self._recent.append(packed)
            self._lat.append(lat)
            self._lng.append(lng)
            self._alive.append(1)
            hs.frombytes(hashes)
            ps.extend([i] * (len(hashes) // 8))
        if len(hs):
            self._merge_postings(
                np.frombuffer(hs, dtype=np.uint64).copy(), np.frombuffer(ps, dtype=np.int32).copy()
            )
        del hs, ps
        self.compact()

    def remove(self, record_id: str) -> None:
        """Remove a facility; KeyError if it is not in the index."""
        i = self._index_of.pop(record_id)
        self._alive[i] = 0
        self._n_removed += 1

    def _add_norm(self, norm: NormRecord, hashes: Sequence[int]) -> None:
        if norm.id in self._index_of:
            self.remove(norm.id)
        self._append(norm, hashes)
        self._delta_sk.append(2 * bisect.bisect_left(self._sorted_ids, norm.id) - 1)

    def _append(self, norm: NormRecord, hashes: Sequence[int]) -> None:
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
            self._merge_postings(hs, ps)
            self._delta = {}
        self._delta_records = 0
        if len(self._sortkey) != len(self._ids):
            ids = self._ids
            by_id = sorted(range(len(ids)), key=ids.__getitem__)
            sortkey = np.empty(len(ids), dtype=np.int64)
            sortkey[np.array(by_id, dtype=np.int64)] = 2 * np.arange(len(ids), dtype=np.int64)
            self._sortkey = sortkey
            self._sorted_ids = [ids[i] for i in by_id]
            self._delta_sk = []

    def _merge_postings(self, hs: np.ndarray, ps: np.ndarray) -> None:
        """Merge postings (key hash, record position) into the sorted CSR arrays."""
        if len(self._bpost):
            old_h = np.repeat(self._bkeys, np.diff(self._boff))
            hs = np.concatenate([old_h, hs])
            ps = np.concatenate([self._bpost, ps])
            del old_h
        order = np.lexsort((ps, hs))
        all_h = hs[order]
        self._bpost = ps[order]
        del order, hs, ps
        first = np.flatnonzero(np.concatenate([[True], all_h[1:] != all_h[:-1]]))
        self._bkeys = all_h[first]
        self._boff = np.concatenate([first, [len(all_h)]]).astype(np.int64)
        self._build_dense()

    def _build_dense(self) -> None:
        """Bitmaps (one bit per record) of the posting lists of at least 1/DENSE_SHARE of
        the records: the too-common keys whose membership test (`_common_bonus`) would
        otherwise be a binary search in a long list. At most DENSE_SHARE / 32 times the
        memory of those lists (a bit per record against 32 bits per posting)."""
        n = len(self._ids)
        lens = np.diff(self._boff)
        long = np.flatnonzero(lens >= max(MAX_POSTINGS + 1, n // DENSE_SHARE))
        dense = np.zeros((len(long), (n + 7) // 8), dtype=np.uint8)
        bits = np.zeros(n, dtype=bool)
        for row, k in enumerate(long.tolist()):
            seg = self._bpost[self._boff[k] : self._boff[k + 1]]
            bits[seg] = True
            dense[row] = np.packbits(bits, bitorder="little")
            bits[seg] = False
        self._dense = dense
        self._dense_of = {k: row for row, k in enumerate(long.tolist())}

    # --- candidates --------------------------------------------------------------------

    def _sortkeys(self) -> np.ndarray:
        """Per record, an integer that orders records by id: exact for the records present
        at the last compaction (`compact`, done by `add_many`, `save` and automatically);
        a record added since sorts between its compacted neighbours, and records added
        since between the same two neighbours sort in insertion order."""
        if len(self._sortkey) < len(self._ids):
            extra = np.array(self._delta_sk, dtype=np.int64)
            return np.concatenate([self._sortkey, extra])
        return self._sortkey

    def _rank_block(
        self,
        hashes: Sequence[Sequence[int]],
        limit: int = MAX_CANDIDATES,
        before: Sequence[int] | None = None,
    ) -> list[list[tuple[int, int]]]:
        """For each row (its key hashes), [(position, rank)] of its candidates, best first
        (the rule of `covenant.matching.blocking`). With `before`, only records at
        positions < before[row] are kept (posting sizes still count all records)."""
        b = len(hashes)
        out: list[list[tuple[int, int]]] = [[] for _ in range(b)]
        counts = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=b)
        total = int(counts.sum())
        if total == 0 or len(self._ids) == 0:
            return out
        qh = np.fromiter((h for hs in hashes for h in hs), dtype=np.uint64, count=total)
        qrow = np.repeat(np.arange(b, dtype=np.int64), counts)
        bkeys = self._bkeys
        if len(bkeys):
            pos = np.minimum(np.searchsorted(bkeys, qh), len(bkeys) - 1)
            hit = bkeys[pos] == qh
            starts = self._boff[pos]
            lens = np.where(hit, self._boff[pos + 1] - starts, 0)
        else:
            pos = np.zeros(total, dtype=np.int64)
            starts = np.zeros(total, dtype=np.int64)
            lens = np.zeros(total, dtype=np.int64)
        delta = self._delta
        dl = (
            np.fromiter((len(delta.get(h, ())) for h in qh.tolist()), dtype=np.int64, count=total)
            if delta
            else None
        )
        n_raw = lens + dl if dl is not None else lens
        removed = self._n_removed
        sel = np.flatnonzero((n_raw > 0) & (n_raw - removed <= MAX_POSTINGS))
        if len(sel) == 0:
            return out
        common = np.flatnonzero(n_raw - removed > MAX_POSTINGS)
        ln = lens[sel]
        tot = int(ln.sum())
        lid = np.repeat(np.arange(len(sel), dtype=np.int64), ln)
        first = np.cumsum(ln) - ln
        recs = self._bpost[np.repeat(starts[sel] - first, ln) + np.arange(tot)].astype(np.int64)
        if dl is not None:
            extra_r: list[int] = []
            extra_l: list[int] = []
            qlist = qh.tolist()
            for li, qi in enumerate(sel.tolist()):
                d = delta.get(qlist[qi])
                if d:
                    extra_r.extend(d)
                    extra_l.extend([li] * len(d))
            if extra_r:
                recs = np.concatenate([recs, np.array(extra_r, dtype=np.int64)])
                lid = np.concatenate([lid, np.array(extra_l, dtype=np.int64)])
        if removed:
            alive = np.frombuffer(self._alive, dtype=np.uint8)
            keep = alive[recs] == 1
            recs, lid = recs[keep], lid[keep]
        n = np.bincount(lid, minlength=len(sel))
        if removed:
            common = np.concatenate([common, sel[n > MAX_POSTINGS]])
        wl = np.where(n <= MAX_POSTINGS, _WEIGHTS[np.minimum(n, MAX_POSTINGS)], 0)
        w = wl[lid]
        rows = qrow[sel][lid]
        keep = w > 0
        if before is not None:
            keep &= recs < np.asarray(before, dtype=np.int64)[rows]
        recs, rows, w = recs[keep], rows[keep], w[keep]
        if len(recs) == 0:
            return out
        pair = (rows << 32) | recs
        u, inv = np.unique(pair, return_inverse=True)
        rank = np.bincount(inv, weights=w).astype(np.int64)
        urow = u >> 32
        urec = u & 0xFFFFFFFF
        sortkeys = self._sortkeys()
        order = _order(urow, rank, sortkeys[urec])
        urow, urec, rank = urow[order], urec[order], rank[order]
        group_start = np.searchsorted(urow, urow, side="left")
        if len(common):
            # the pool: the best MAX_POOL by the usable keys, re-ranked by the common keys
            pool = (np.arange(len(urow)) - group_start) < MAX_POOL
            urow, urec, rank = urow[pool], urec[pool], rank[pool]
            # exact shortcut: a candidate whose base rank plus the row's number of common
            # keys stays below the base rank of the row's limit-th cannot reach the top
            firsts, counts = np.unique(urow, return_index=True, return_counts=True)[1:]
            at_limit = np.repeat(rank[firsts + np.minimum(counts, limit) - 1], counts)
            n_common = np.bincount(qrow[common], minlength=b)
            reach = rank + n_common[urow] >= at_limit
            urow, urec, rank = urow[reach], urec[reach], rank[reach]
            rank = rank + self._common_bonus(urow, urec, qrow[common], pos[common], starts[common],
                                             lens[common], qh[common])  # fmt: skip
            order = _order(urow, rank, sortkeys[urec])
            urow, urec, rank = urow[order], urec[order], rank[order]
            group_start = np.searchsorted(urow, urow, side="left")
        num, den = MIN_RANK_SHARE
        keep = ((np.arange(len(urow)) - group_start) < limit) & (
            den * rank >= num * rank[group_start]
        )
        for r, i, k in zip(
            urow[keep].tolist(), urec[keep].tolist(), rank[keep].tolist(), strict=True
        ):
            out[r].append((i, k))
        return out

    def _common_bonus(
        self,
        urow: np.ndarray,
        urec: np.ndarray,
        key_rows: np.ndarray,
        key_pos: np.ndarray,
        key_starts: np.ndarray,
        key_lens: np.ndarray,
        key_hashes: np.ndarray,
    ) -> np.ndarray:
        """Per pooled candidate (urow[i], urec[i], grouped by row), the number of the row's
        too-common keys (row key_rows[k], compacted postings at key_starts[k] of length
        key_lens[k], hash key_hashes[k], place key_pos[k] among the sorted keys) that the
        candidate has too. Posting lists are sorted by position, so each is a binary search
        of the row's candidates, or a look-up in the key's bitmap when it has one."""
        bonus = np.zeros(len(urec), dtype=np.int64)
        lo = np.searchsorted(urow, key_rows, side="left")
        hi = np.searchsorted(urow, key_rows, side="right")
        # one binary search per distinct key of the block: the candidates of all its rows
        by_key = np.argsort(key_hashes, kind="stable")
        lo, hi, key_hashes = lo[by_key], hi[by_key], key_hashes[by_key]
        key_starts, key_lens = key_starts[by_key], key_lens[by_key]
        key_pos = key_pos[by_key]
        sizes = hi - lo
        total = int(sizes.sum())
        if total == 0:
            return bonus
        first = np.cumsum(sizes) - sizes
        where = np.repeat(lo - first, sizes) + np.arange(total)  # candidate slots, by key
        cand_all = urec[where]
        # keys with a bitmap: all their candidates in one look-up
        dense, dense_of = self._dense, self._dense_of
        pairs = zip(key_pos.tolist(), key_lens.tolist(), strict=True)
        bitmap = np.fromiter(
            (dense_of.get(p, -1) if n else -1 for p, n in pairs), dtype=np.int64, count=len(key_pos)
        )
        slot_bitmap = np.repeat(bitmap, sizes)
        on = (slot_bitmap >= 0) & (cand_all < dense.shape[1] * 8)
        if on.any():
            at = cand_all[on]
            bits = (dense[slot_bitmap[on], at >> 3] >> (at & 7)) & 1
            bonus += np.bincount(where[on], weights=bits, minlength=len(urec)).astype(np.int64)
        # the others (and records added since the last compaction): a binary search each
        new_key = np.flatnonzero(np.concatenate(([True], key_hashes[1:] != key_hashes[:-1])))
        bounds = np.append(first[new_key], total).tolist()
        bpost, delta = self._bpost, self._delta
        for g, k in enumerate(new_key.tolist()):
            a, b = bounds[g], bounds[g + 1]
            if a == b:
                continue
            length = int(key_lens[k])
            searched = length and bitmap[k] < 0
            extra = delta.get(int(key_hashes[k])) if delta else None
            if not searched and not extra:
                continue
            slots = where[a:b]
            cand = cand_all[a:b]
            if searched:
                start = int(key_starts[k])
                seg = bpost[start : start + length]
                j = np.minimum(np.searchsorted(seg, cand), length - 1)
                hit = seg[j] == cand
            else:
                hit = np.zeros(b - a, dtype=bool)
            if extra:
                hit |= np.isin(cand, np.asarray(extra, dtype=np.int64))
            bonus[slots] += hit
        return bonus

    def _ranked(self, hashes: Sequence[int], limit: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
        return self._rank_block([hashes], limit)[0]

    def candidates(self, record: Record) -> list[str]:
        """Ids of the candidate facilities for `record`, ranked by the blocking rule."""
        norm = normalise(record)
        return [self._ids[i] for i, _ in self._ranked(record_hashes(norm))]

    # --- scoring and decision ----------------------------------------------------------

    def _score_block(
        self,
        norms: Sequence[NormRecord],
        ranked: Sequence[Sequence[tuple[int, int]]],
        name_of: Any = None,
    ) -> list[list[_Scored]]:
        """Score each row's ranked candidates (positions in this index); per row the best
        MAX_RESULT_CANDIDATES by probability, with reasons (`score_candidates`). Each is
        named by its id, or by `name_of(position)`."""
        queries = [(fields(norm), latlng(norm)) for norm in norms]
        blocks = self._candidate_fields(norms, ranked, name_of or self._ids.__getitem__)
        return score_candidates(self.model, queries, blocks)

    def _candidate_fields(
        self,
        norms: Sequence[NormRecord],
        ranked: Sequence[Sequence[tuple[int, int]]],
        name_of: Any,
    ) -> list[list[Cand]]:
        """Per row, its ranked candidates of the same country as (name_of(position), packed
        fields, coordinates) — `_packed` and `_geo` inlined, this runs for every candidate."""
        countries = self._countries
        offsets = memoryview(self._offsets)  # type: ignore[arg-type]  # Python ints, fast
        n_packed = len(self._offsets) - 1
        blob, recent = self._blob, self._recent
        lat, lng = self._lat, self._lng
        isnan = math.isnan
        blocks: list[list[Cand]] = []
        for norm, cands in zip(norms, ranked, strict=True):
            country = norm.country
            block: list[Cand] = []
            for i, _ in cands:
                if countries[i] != country:
                    continue
                packed = blob[offsets[i] : offsets[i + 1]] if i < n_packed else recent[i - n_packed]
                la = lat[i]
                block.append((name_of(i), packed.split(SEP), None if isnan(la) else (la, lng[i])))
            blocks.append(block)
        return blocks

    def _score_positions(
        self,
        norms: Sequence[NormRecord],
        ranked: Sequence[Sequence[tuple[int, int]]],
    ) -> list[list[tuple[int, _Scored]]]:
        """As `_score_block`, with each scored candidate's position in this index (the rows
        of one batch, whose ids may repeat)."""
        queries = [(fields(norm), latlng(norm)) for norm in norms]
        blocks = self._candidate_fields(norms, ranked, int)
        ids = self._ids
        out: list[list[tuple[int, _Scored]]] = []
        for row in score_candidates(self.model, queries, blocks):
            pairs: list[tuple[int, _Scored]] = []
            for s in row:
                j = int(s[0])
                pairs.append((j, (ids[j], s[1], s[2], s[3], s[4])))
            out.append(pairs)
        return out

    def _decide(self, row_id: str, scored: Sequence[_Scored]) -> MatchResult:
        return decide(row_id, scored, self.match_threshold, self.review_threshold)

    def match(self, record: Record) -> MatchResult:
        """Decide whether `record` is a facility of the index (the index is not changed)."""
        norm = normalise(record)
        hashes = record_hashes(norm)
        scored = self._score_block([norm], self._rank_block([hashes]))[0]
        return self._decide(record.id, scored)

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
        n = len(records)
        parallel = workers > 1 and n >= 4 * BLOCK
        step = max(BLOCK, -(-n // (workers * 8)))
        chunks = [(s, min(n, s + step)) for s in range(0, n, step)]
        ctx = multiprocessing.get_context("fork")
        global _JOB
        with _no_gc():  # see `_no_gc`
            try:
                # pass 1: normalise the rows and score them against the index
                _JOB = (self, records)
                if parallel:
                    with ctx.Pool(workers) as pool:
                        parts = pool.map(_registry_chunk, chunks, chunksize=1)
                else:
                    parts = [_registry_chunk((0, n))]
                prepared = [x for part in parts for x in part[0]]
                ids = self._ids
                registry = [
                    [(ids[int(s[0])], *s[1:]) for s in row]  # positions, see `_registry_chunk`
                    for part in parts
                    for row in part[1]
                ]
                del parts
                if not self_match:
                    results = self._decide_all(records, ((r, []) for r in registry))
                else:
                    # pass 2: the earlier rows of the batch, decided here meanwhile
                    batch = Matcher(self.model, self.match_threshold, self.review_threshold)
                    for norm, hashes in prepared:
                        batch._append(norm, hashes)
                    batch.compact()
                    _JOB = (batch, prepared)
                    if parallel:
                        with ctx.Pool(workers) as pool:
                            parts_b = pool.imap(_batch_chunk, chunks, chunksize=1)
                            earlier = (x for part in parts_b for x in part)
                            results = self._decide_all(records, zip(registry, earlier, strict=True))
                    else:
                        results = self._decide_all(
                            records, zip(registry, _batch_chunk((0, n)), strict=True)
                        )
            finally:
                _JOB = None
            if add_new:
                for (norm, hashes), r in zip(prepared, results, strict=True):
                    if r.decision == "new":
                        self._add_norm(norm, hashes)
                self._maybe_compact()
            return results

    def _decide_all(
        self,
        records: Sequence[Record],
        scored: Iterable[tuple[list[_Scored], list[tuple[int, _Scored]]]],
    ) -> list[MatchResult]:
        return list(
            decide_rows(
                ((r.id, reg, earlier) for r, (reg, earlier) in zip(records, scored, strict=True)),
                self.match_threshold,
                self.review_threshold,
            )
        )

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
            "sortkey": self._sortkey,
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
        m._sortkey = state["sortkey"]
        m._build_dense()
        order = np.argsort(m._sortkey, kind="stable")
        m._sorted_ids = [m._ids[i] for i in order.tolist()]
        return m


# --- batch helpers (module level so that forked workers can reach them) ----------------


def _order(rows: np.ndarray, rank: np.ndarray, sortkey: np.ndarray) -> np.ndarray:
    """The permutation that orders candidates by row, rank descending, then sort key (id
    order): one argsort of the three packed into an int64 when they fit (they do for
    registries of hundreds of millions), else a lexsort."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    top = int(rank.max())
    rank_bits = max(1, top.bit_length())
    key_bits = max(1, int(sortkey.max()).bit_length())
    row_bits = max(1, int(rows[-1]).bit_length())  # rows are sorted
    if rank_bits + key_bits + row_bits > 62 or int(sortkey.min()) < 0:
        return np.lexsort((sortkey, -rank, rows))
    packed = (rows << (rank_bits + key_bits)) | ((top - rank) << key_bits) | sortkey
    return np.argsort(packed, kind="stable")


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector off for a batch (and in the workers forked during it).

    Batch matching allocates millions of short-lived lists and tuples, and each collection
    of the oldest generation walks the whole index: at 1,000,000 facilities the collector
    took a quarter of the batch time. The engine creates no reference cycles (all is freed
    by reference counting); the previous state is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_JOB: tuple[Matcher, Any] | None = None
"""What the forked workers of `Matcher.match_many` work on: (index, the rows) in pass 1,
(the batch's index, the prepared rows) in pass 2."""


BLOCK = 256
"""Rows ranked and scored together (vectorised) in batch matching."""


def _registry_chunk(
    bounds: tuple[int, int],
) -> tuple[list[tuple[NormRecord, list[int]]], list[list[_Scored]]]:
    """Pass 1 of `Matcher.match_many` for rows[bounds]: the rows normalised, and their
    scored candidates of the index."""
    assert _JOB is not None
    matcher, records = _JOB
    prepared = [_prepare(r) for r in records[bounds[0] : bounds[1]]]
    scored: list[list[_Scored]] = []
    for start in range(0, len(prepared), BLOCK):
        block = prepared[start : start + BLOCK]
        norms = [p[0] for p in block]
        ranked = matcher._rank_block([p[1] for p in block])
        # named by position: a worker that touched the id strings would copy their pages
        scored.extend(matcher._score_block(norms, ranked, name_of=int))
    return prepared, scored


def _batch_chunk(bounds: tuple[int, int]) -> list[list[tuple[int, _Scored]]]:
    """Pass 2 for rows[bounds]: their scored candidates among the earlier rows."""
    assert _JOB is not None
    batch, prepared = _JOB
    out: list[list[tuple[int, _Scored]]] = []
    for start in range(bounds[0], bounds[1], BLOCK):
        stop = min(bounds[1], start + BLOCK)
        norms = [prepared[i][0] for i in range(start, stop)]
        hashes = [prepared[i][1] for i in range(start, stop)]
        ranked = batch._rank_block(hashes, MAX_BATCH_CANDIDATES, before=range(start, stop))
        out.extend(batch._score_positions(norms, ranked))
    return out


def _prepare(record: Record) -> tuple[NormRecord, list[int]]:
    norm = normalise(record)
    return norm, record_hashes(norm)


_NORM_INPUT: list[Record] = []


def _prepare_chunk(bounds: tuple[int, int]) -> list[tuple[NormRecord, list[int]]]:
    return [_prepare(r) for r in _NORM_INPUT[bounds[0] : bounds[1]]]


_Compact = tuple[str, str, str, float, float, bytes]
"""A normalised record as the bulk build needs it: id, country, packed fields, lat, lng
(NaN when unknown) and its posting hashes as uint64 bytes."""


def _compact(record: Record) -> _Compact:
    norm = normalise(record)
    has_geo = norm.lat is not None and norm.lng is not None
    return (
        norm.id,
        norm.country,
        SEP.join(fields(norm)),
        norm.lat if has_geo and norm.lat is not None else math.nan,
        norm.lng if norm.lng is not None else math.nan,
        array("Q", record_hashes(norm)).tobytes(),
    )


def _compact_chunk(bounds: tuple[int, int]) -> list[_Compact]:
    return [_compact(r) for r in _NORM_INPUT[bounds[0] : bounds[1]]]


def _iter_compact(records: list[Record], workers: int) -> Iterator[_Compact]:
    """The records normalised, in input order, streamed chunk by chunk from `workers`
    forked processes (in this process when workers <= 1 or few records)."""
    n = len(records)
    if workers <= 1 or n < 20_000:
        for r in records:
            yield _compact(r)
        return
    global _NORM_INPUT
    _NORM_INPUT = records
    try:
        step = max(5000, n // (workers * 16))
        chunks = [(s, min(n, s + step)) for s in range(0, n, step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_compact_chunk, chunks, chunksize=1):
                yield from part
    finally:
        _NORM_INPUT = []


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
