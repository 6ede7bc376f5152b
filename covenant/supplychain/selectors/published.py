"""Reads of the published lists: which years are published, public search with typo
tolerance, facility detail, counts per year, country and facility type, and the rows of a
download. Nothing here knows about companies: a published list is a snapshot without them.

Search design
-------------
A published list never changes after it is published (publishing a year again replaces the
list by a new row with a new primary key), so each process keeps, per list, an in-memory
index built once from the list's ``search_text`` column (see ``search_tokens``):

- the rows in display order (country, name), as numpy arrays of primary key, country and
  facility type, so filters are vectorised comparisons;
- an inverted index: every distinct token with the positions (display ranks) of the rows that
  contain it, stored as one int32 array sliced by offsets (about 4 bytes per token occurrence:
  some 40 MB for 1,000,000 locations);
- the vocabulary sorted (prefix search by bisection) and grouped by length (typo search).

A query is tokenised like the stored text. Each query token matches the rows containing it,
or a token it is a prefix of (from 3 characters on), or — the typo tolerance — a vocabulary
token within an optimal-string-alignment distance of 1 (4 to 7 characters) or 2 (8 and more),
found with rapidfuzz over the vocabulary of similar length and cached per token. Tokens are
ANDed. Rows matched without any typo come first, then the rows that needed one; within each
group the display order holds. The database is asked only for the page's rows (primary keys).

The index is the same on SQLite and PostgreSQL (no extension, no schema change); its cost is
a build of a few seconds per million locations on the first search of a list in a process,
and memory. ``published_search_warm`` builds it ahead (for a preloading server).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from anyascii import anyascii
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from rapidfuzz import process
from rapidfuzz.distance import OSA

from covenant.agreements.models import Agreement
from covenant.supplychain.models import Facility, PublishedList, PublishedLocation

PAGE_SIZE = 50
MAX_QUERY_TOKENS = 8
MAX_QUERY_LENGTH = 200

# --- text -----------------------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9]+")


def _wide(ch: str) -> bool:
    # Scripts written without spaces between words: transliterate per character so that each
    # syllable is a token (宇恒服饰 -> "yu heng fu shi"), else the whole name is one token.
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
        or 0x0E00 <= o <= 0x0EFF  # Thai, Lao
        or 0x1000 <= o <= 0x109F  # Myanmar
        or 0x1780 <= o <= 0x17FF  # Khmer
    )


def search_tokens(text: str) -> list[str]:
    """The search tokens of a text, in order: transliterated to ASCII, lower case, split on
    everything that is not a letter or digit."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text)
    if any(_wide(ch) for ch in text):
        text = "".join(f" {ch} " if _wide(ch) else ch for ch in text)
    return _TOKEN.findall(anyascii(text).lower())


def published_search_text(*parts: str) -> str:
    """What a PublishedLocation stores in `search_text`: its distinct tokens, space-separated."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in search_tokens(part):
            seen.setdefault(token, None)
    return " ".join(seen)[:4000]


# --- lists ----------------------------------------------------------------------------------
def published_lists(agreement: Agreement) -> list[PublishedList]:
    """The agreement's published lists, latest year first."""
    return list(PublishedList.objects.filter(agreement=agreement).order_by("-year"))


def published_list_for(agreement: Agreement, year: int | None) -> PublishedList | None:
    """The list of `year`, or the latest list when `year` is None (None when there is none)."""
    qs = PublishedList.objects.filter(agreement=agreement)
    if year is not None:
        return qs.filter(year=year).first()
    return qs.order_by("-year").first()


def _key(published: PublishedList) -> tuple[int, str]:
    return published.pk, published.created_at.isoformat()


# --- the index ------------------------------------------------------------------------------
@dataclass
class SearchIndex:
    size: int
    pks: np.ndarray  # int64, display order
    countries: np.ndarray  # int16 codes into country_codes
    types: np.ndarray  # int16 codes into type_codes
    country_codes: dict[str, int]
    type_codes: dict[str, int]
    vocab: dict[str, int]  # token -> id
    offsets: np.ndarray  # int64, len(vocab) + 1
    postings: np.ndarray  # int32 positions, grouped by token id, ascending within a token
    sorted_tokens: list[str]
    sorted_ids: np.ndarray
    by_length: dict[int, tuple[list[str], list[int]]]
    _fuzzy_cache: OrderedDict[str, tuple[int, ...]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def positions(self, token_ids: list[int]) -> np.ndarray:
        if not token_ids:
            return np.empty(0, dtype=np.int32)
        if len(token_ids) == 1:
            t = token_ids[0]
            return self.postings[self.offsets[t] : self.offsets[t + 1]]
        mask = np.zeros(self.size, dtype=bool)
        for t in token_ids:
            mask[self.postings[self.offsets[t] : self.offsets[t + 1]]] = True
        return np.flatnonzero(mask).astype(np.int32)

    def prefixed(self, token: str) -> list[int]:
        """Ids of the vocabulary tokens that start with `token` (itself included)."""
        lo = bisect.bisect_left(self.sorted_tokens, token)
        hi = bisect.bisect_left(self.sorted_tokens, token + "\x7f")
        return [int(i) for i in self.sorted_ids[lo:hi]]

    def near(self, token: str) -> tuple[int, ...]:
        """Ids of the vocabulary tokens one or two edits away (a typo), cached."""
        with self._lock:
            hit = self._fuzzy_cache.get(token)
            if hit is not None:
                self._fuzzy_cache.move_to_end(token)
                return hit
        n = len(token)
        k = 0 if n < 4 or token.isdigit() else 1 if n < 8 else 2
        found: list[int] = []
        for length in range(n - k, n + k + 1):
            if k == 0 or length not in self.by_length:
                continue
            words, ids = self.by_length[length]
            for _word, _dist, i in process.extract(
                token, words, scorer=OSA.distance, score_cutoff=k, limit=None
            ):
                found.append(ids[i])
        result = tuple(found)
        with self._lock:
            self._fuzzy_cache[token] = result
            if len(self._fuzzy_cache) > 5000:
                self._fuzzy_cache.popitem(last=False)
        return result


def _build(published: PublishedList) -> SearchIndex:
    rows = (
        PublishedLocation.objects.filter(published_list=published)
        .order_by("country", "name", "pk")
        .values_list("pk", "search_text", "country", "facility_type")
    )
    pks: list[int] = []
    countries: list[int] = []
    types: list[int] = []
    country_codes: dict[str, int] = {}
    type_codes: dict[str, int] = {}
    vocab: dict[str, int] = {}
    token_ids: list[int] = []
    counts: list[int] = []
    for pk, text, country, ftype in rows.iterator(chunk_size=10000):
        pks.append(pk)
        countries.append(country_codes.setdefault(country, len(country_codes)))
        types.append(type_codes.setdefault(ftype, len(type_codes)))
        tokens = set(text.split())
        for token in tokens:
            tid = vocab.get(token)
            if tid is None:
                tid = vocab[token] = len(vocab)
            token_ids.append(tid)
        counts.append(len(tokens))
    size = len(pks)
    tids = np.asarray(token_ids, dtype=np.int32)
    positions = np.repeat(np.arange(size, dtype=np.int32), np.asarray(counts, dtype=np.int64))
    order = np.argsort(tids, kind="stable")
    postings = positions[order]
    per_token = np.bincount(tids, minlength=len(vocab)) if size else np.zeros(0, np.int64)
    offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(per_token, out=offsets[1:])
    tokens_by_id = [""] * len(vocab)
    for token, tid in vocab.items():
        tokens_by_id[tid] = token
    ordered = sorted(range(len(tokens_by_id)), key=tokens_by_id.__getitem__)
    by_length: dict[int, tuple[list[str], list[int]]] = {}
    for tid, token in enumerate(tokens_by_id):
        if token.isdigit():
            continue
        words, ids = by_length.setdefault(len(token), ([], []))
        words.append(token)
        ids.append(tid)
    return SearchIndex(
        size=size,
        pks=np.asarray(pks, dtype=np.int64),
        countries=np.asarray(countries, dtype=np.int16),
        types=np.asarray(types, dtype=np.int16),
        country_codes=country_codes,
        type_codes=type_codes,
        vocab=vocab,
        offsets=offsets,
        postings=postings,
        sorted_tokens=[tokens_by_id[i] for i in ordered],
        sorted_ids=np.asarray(ordered, dtype=np.int32),
        by_length=by_length,
    )


_indexes: OrderedDict[tuple[int, str], SearchIndex] = OrderedDict()
_building: dict[tuple[int, str], threading.Lock] = {}
_indexes_lock = threading.Lock()


def search_index(published: PublishedList) -> SearchIndex:
    """The in-memory index of a published list, built on first use in this process; at most
    settings.PUBLIC_SEARCH_CACHED_LISTS (default 4) lists are kept."""
    key = _key(published)
    with _indexes_lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
        lock = _building.setdefault(key, threading.Lock())
    with lock:  # one build per list at a time; others wait for it
        with _indexes_lock:
            index = _indexes.get(key)
        if index is None:
            index = _build(published)
            with _indexes_lock:
                _indexes[key] = index
                limit = int(getattr(settings, "PUBLIC_SEARCH_CACHED_LISTS", 4))
                while len(_indexes) > limit:
                    _indexes.popitem(last=False)
                _building.pop(key, None)
    return index


def search_index_reset() -> None:
    """Forget every in-memory index (tests)."""
    with _indexes_lock:
        _indexes.clear()


def published_search_warm(agreement: Agreement | None = None) -> int:
    """Build the index of the latest list of each agreement (or of one) ahead of the first
    search, e.g. in a server's preload. Returns the number of lists indexed."""
    agreements = [agreement] if agreement else list(Agreement.objects.all())
    n = 0
    for a in agreements:
        published = published_list_for(a, None)
        if published is not None:
            search_index(published)
            n += 1
    return n


# --- search ---------------------------------------------------------------------------------
@dataclass
class SearchResult:
    published: PublishedList
    count: int
    page: int
    pages: int
    page_size: int
    locations: list[PublishedLocation]
    typo_matches: int  # rows found only thanks to typo tolerance
    positions: np.ndarray | None = None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _match(index: SearchIndex, tokens: list[str]) -> tuple[np.ndarray, int]:
    strict_sets: list[np.ndarray] = []
    loose_sets: list[np.ndarray] = []
    any_typo = False
    for token in tokens:
        exact = index.prefixed(token) if len(token) >= 3 else []
        if len(token) < 3 and token in index.vocab:
            exact = [index.vocab[token]]
        typo = [t for t in index.near(token) if t not in set(exact)] if len(token) >= 4 else []
        strict = index.positions(exact)
        loose = index.positions(exact + typo) if typo else strict
        if typo:
            any_typo = True
        strict_sets.append(strict)
        loose_sets.append(loose)
    strict = _intersect(index.size, strict_sets)
    if not any_typo:
        return strict, 0
    loose = _intersect(index.size, loose_sets)
    if len(loose) == len(strict):
        return strict, 0
    mask = np.zeros(index.size, dtype=bool)
    mask[strict] = True
    extra = loose[~mask[loose]]
    return np.concatenate([strict, extra]), len(extra)


def _intersect(size: int, sets: list[np.ndarray]) -> np.ndarray:
    sets = sorted(sets, key=len)
    result = sets[0]
    for other in sets[1:]:
        if not len(result):
            break
        mask = np.zeros(size, dtype=bool)
        mask[other] = True
        result = result[mask[result]]
    return result


def published_search(
    published: PublishedList,
    *,
    q: str = "",
    country: str = "",
    facility_type: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """One page of a published list: rows whose name/address/city/province contain every
    word of `q` (typo-tolerant, see the module docstring), in `country` (ISO-2) and of
    `facility_type` (a taxonomy code) when given. `page` beyond the last gives the last."""
    index = search_index(published)
    tokens = search_tokens(q[:MAX_QUERY_LENGTH])[:MAX_QUERY_TOKENS]
    typo_matches = 0
    if tokens:
        positions, typo_matches = _match(index, tokens)
    else:
        positions = np.arange(index.size, dtype=np.int32)
    if country:
        code = index.country_codes.get(country.upper())
        positions = (
            positions[index.countries[positions] == code] if code is not None else positions[:0]
        )
    if facility_type:
        code = index.type_codes.get(facility_type)
        positions = positions[index.types[positions] == code] if code is not None else positions[:0]
    if typo_matches:
        typo_matches = min(typo_matches, len(positions))
    count = len(positions)
    pages = max(1, -(-count // page_size))
    page = min(max(1, page), pages)
    chosen = [int(pk) for pk in index.pks[positions[(page - 1) * page_size : page * page_size]]]
    found = PublishedLocation.objects.in_bulk(chosen)
    return SearchResult(
        published=published,
        count=count,
        page=page,
        pages=pages,
        page_size=page_size,
        locations=[found[pk] for pk in chosen if pk in found],
        typo_matches=typo_matches,
    )


# --- facility detail --------------------------------------------------------------------------
@dataclass
class PublishedFacility:
    public_id: str
    location: PublishedLocation  # as published in the latest list that has it
    years: list[int]


def published_facility(agreement: Agreement, facility: Facility) -> PublishedFacility | None:
    """A registry facility as the agreement published it: the latest published row of it (or
    of a facility merged into it) and the years it was on the list; None if never published."""
    ids = [facility.pk, *Facility.objects.filter(merged_into=facility).values_list("pk", flat=True)]
    rows = list(
        PublishedLocation.objects.filter(published_list__agreement=agreement, facility_id__in=ids)
        .select_related("published_list")
        .order_by("-published_list__year")
    )
    if not rows:
        return None
    # Latest year first; within a year the facility's own row before those merged into it.
    rows.sort(key=lambda r: (-r.published_list.year, r.facility_id != facility.pk, r.pk))
    return PublishedFacility(
        public_id=facility.public_id,
        location=rows[0],
        years=sorted({r.published_list.year for r in rows}, reverse=True),
    )


# --- counts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListCounts:
    year: int
    published_on: dt.date
    total: int
    by_country: list[tuple[str, int]]  # most first
    by_type: list[tuple[str, int]]


def list_counts(published: PublishedList) -> ListCounts:
    """Counts of one list per country and facility type (cached: a list never changes)."""
    pk, stamp = _key(published)
    key = f"published-counts:{pk}:{stamp}"
    cached: dict[str, Any] | None = cache.get(key)
    if cached is None:
        qs = PublishedLocation.objects.filter(published_list=published).order_by()
        cached = {
            "country": list(qs.values_list("country").annotate(n=Count("pk"))),
            "type": list(qs.values_list("facility_type").annotate(n=Count("pk"))),
        }
        cache.set(key, cached, None)
    by_country = sorted(((c, int(n)) for c, n in cached["country"]), key=lambda x: (-x[1], x[0]))
    by_type = sorted(((t, int(n)) for t, n in cached["type"]), key=lambda x: (-x[1], x[0]))
    return ListCounts(
        published.year, published.published_on, published.location_count, by_country, by_type
    )


def history(agreement: Agreement) -> list[ListCounts]:
    """Counts of every published list of the agreement, oldest first."""
    return [list_counts(p) for p in reversed(published_lists(agreement))]


# --- downloads --------------------------------------------------------------------------------
DOWNLOAD_COLUMNS = (
    "public_id",
    "name",
    "address",
    "city",
    "province",
    "country",
    "facility_type",
    "facility_type_label",
)
# Open Supply Hub's list upload: country, name, address required; sector and facility type
# optional (multi-values are "|"-separated, unknown columns kept as custom fields).
OSH_COLUMNS = ("country", "name", "address", "sector", "facility_type")


def download_rows(published: PublishedList) -> Iterator[dict[str, str]]:
    """Every location of a list in display order, as dicts of DOWNLOAD_COLUMNS."""
    from covenant.supplychain.importing.taxonomy import facility_type_label

    fields = ("public_id", "name", "address", "city", "province", "country", "facility_type")
    qs = (
        PublishedLocation.objects.filter(published_list=published)
        .order_by("country", "name", "pk")
        .values_list(*fields)
    )
    for values in qs.iterator(chunk_size=5000):
        row = dict(zip(fields, values, strict=True))
        row["facility_type_label"] = (
            facility_type_label(row["facility_type"]) if row["facility_type"] else ""
        )
        yield row


def osh_rows(published: PublishedList) -> Iterator[dict[str, str]]:
    """The list in Open Supply Hub's upload format: the address carries city and province
    (OSH geocodes one address line), the sector is the agreement's, the facility type its
    OSH label."""
    from covenant.supplychain.importing.taxonomy import FACILITY_TYPES

    sector = osh_sector(published.agreement.sector)
    for row in download_rows(published):
        address = row["address"]
        for part in (row["city"], row["province"]):
            if part and part.lower() not in address.lower():
                address = f"{address}, {part}"
        ftype = FACILITY_TYPES.get(row["facility_type"])
        yield {
            "country": row["country"],
            "name": row["name"],
            "address": address,
            "sector": sector,
            "facility_type": ftype.osh_label if ftype else "",
        }


def osh_sector(sector: str) -> str:
    """Open Supply Hub's sector name for the agreement's sector (its list of sectors has
    "Apparel" for garments and textiles)."""
    text = sector.lower()
    if any(w in text for w in ("garment", "textile", "apparel", "kleding")):
        return "Apparel"
    return sector


DOWNLOAD_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
    "osh": ("text/csv; charset=utf-8", "csv"),
}


@dataclass(frozen=True)
class DownloadFile:
    body: bytes
    content_type: str
    filename: str


def download_file(published: PublishedList, fmt: str) -> DownloadFile:
    """The whole list in `fmt` (csv, xlsx, json, osh) through the formula-safe writers."""
    from covenant.supplychain.importing import export

    content_type, ext = DOWNLOAD_FORMATS[fmt]
    if fmt == "osh":
        body = export.write_csv(osh_rows(published), OSH_COLUMNS)
    elif fmt == "xlsx":
        body = export.write_xlsx(download_rows(published), DOWNLOAD_COLUMNS)
    elif fmt == "json":
        body = export.write_json(download_rows(published), DOWNLOAD_COLUMNS)
    else:
        body = export.write_csv(download_rows(published), DOWNLOAD_COLUMNS)
    suffix = "-open-supply-hub" if fmt == "osh" else ""
    slug = published.agreement.slug
    return DownloadFile(body, content_type, f"{slug}-locations-{published.year}{suffix}.{ext}")


def download_path(published: PublishedList, fmt: str) -> tuple[Path, DownloadFile]:
    """The list in `fmt` as a file on disk, built once per list and format (a published list
    never changes; a replaced list has another key), so that downloads are streamed from
    disk instead of being rebuilt in memory for every request. Returns the path and the
    file's metadata (its `body` left empty)."""
    pk, stamp = _key(published)
    digest = hashlib.sha256(f"{pk}:{stamp}:{fmt}".encode()).hexdigest()[:16]
    content_type, ext = DOWNLOAD_FORMATS[fmt]
    folder = Path(settings.MEDIA_ROOT) / "published-downloads"
    path = folder / f"{published.agreement.slug}-{published.year}-{fmt}-{digest}.{ext}"
    if not path.exists():
        built = download_file(published, fmt)
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(built.body)
        os.replace(partial, path)  # atomic: a reader never sees half a file
    suffix = "-open-supply-hub" if fmt == "osh" else ""
    name = f"{published.agreement.slug}-locations-{published.year}{suffix}.{ext}"
    return path, DownloadFile(b"", content_type, name)
