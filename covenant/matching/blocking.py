"""Candidate generation: blocking keys and the rule that turns shared keys into candidates.

The rule is written so that it can be run as SQL (the Spark engine does exactly this):

1. Every record gets a list of string keys, `blocking_keys(norm)` (a pure function of the
   normalised record; duplicates removed, order irrelevant).
2. Postings: the pairs (country, key, record id) of all records in the index (the
   registry, plus rows already added). ``n(country, key)`` is the number of distinct
   records in the index with that key in that country.
3. A record R of the index is a candidate for a row Q when R.country == Q.country and Q and R
   share at least one key k with ``n(country, k) <= MAX_POSTINGS``. Keys with longer
   posting lists are ignored (they are too common to say anything).
4. The base rank of R for Q is ``sum(key_weight(n(country, k)))`` over the usable shared
   keys k; integer weights that depend only on the posting-list size, see `key_weight`.
5. The pool: the first MAX_POOL candidates by base rank descending, ties by record id
   ascending (plain string comparison, i.e. by Unicode code point / UTF-8 bytes).
6. The rank of a pooled R is its base rank plus the number of Q's too-common keys
   (``n > MAX_POSTINGS``) that R has too: a key that is too common to find candidates
   still tells apart the ones found ("Nazma Knit Composite" has 100 namesakes in
   Bangladesh, one of them also in Tongi, at postcode 1360).
7. Candidates are the pool ordered by rank descending, ties by record id ascending; the
   first MAX_CANDIDATES are kept, and of those only the ones whose rank is at least
   MIN_RANK_SHARE of the best rank (``2 * rank >= best``, integers). A row with many
   near-equal candidates (namesakes in one town) gets up to 48 of them, a row with one
   clearly best candidate few: at 1,000,000 facilities 9.4 candidates per row (16 with a
   30% share: 10.0 per row and 25 more true matches missed of 14,009).

In SQL: `CANDIDATES_SQL` below is this rule as one SQL text, over the tables
``postings(country, bkey, id, seq)`` and ``row_keys(row_id, country, bkey, seq)``; it runs
unchanged on Spark SQL (`covenant.matching.spark`) and on SQLite, and a test checks that both
give exactly the candidates of the in-memory engine (`Matcher`, which runs the same rule on
numpy arrays of key hashes). ``seq`` says what may be a candidate for what: a posting is
used for a row only when ``postings.seq < row_keys.seq`` (registry postings get seq -1 and
rows their position >= 0, so every posting counts; see the batch rule below).

Within one batch (`Matcher.match_many(self_match=True)`), earlier rows of the batch are
candidates by the same rule applied to the batch alone: postings are the rows of the batch,
``n`` counts rows of the whole batch, only rows before Q (in input order) are kept, and the
first MAX_BATCH_CANDIDATES are kept. In SQL: the same `CANDIDATES_SQL` with the rows of
the batch as postings (seq = position) and as row keys (seq = position), keeping
``pos <= MAX_BATCH_CANDIDATES``; ties of rank and id (repeated row ids) go by seq.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from covenant.matching.normalise import INDUSTRY_WORDS, PLACE_WORDS, NormRecord

MAX_POSTINGS = 256
"""Keys shared by more records than this in one country are ignored."""

MAX_CANDIDATES = 48
"""Registry candidates kept (and scored) per row."""

MAX_POOL = 256
"""Candidates by base rank re-ranked with the too-common keys (step 5 of the rule)."""

MIN_RANK_SHARE = (1, 2)
"""Candidates with rank * 2 < best rank are dropped (step 7 of the rule)."""

MAX_BATCH_CANDIDATES = 5
"""Earlier rows of the same batch kept (and scored) per row."""

WEIGHT_BOUNDS = (1, 2, 4, 8, 16, 32, 64, 128)
"""`key_weight(n)` is 1 + the number of bounds b with n <= b: 9 for a key only one record
has, 1 for a key 129..256 records have."""

_VOWELS = str.maketrans("", "", "aeiouy")


def key_weight(n: int) -> int:
    """Integer weight of a shared key whose posting list has `n` records (1 <= n <=
    MAX_POSTINGS); rarer keys weigh more."""
    return 1 + sum(1 for b in WEIGHT_BOUNDS if n <= b)


def skeleton(text: str) -> str:
    """Consonant skeleton: vowels removed, repeated letters collapsed ("paramount" ->
    "prmnt"); tolerant of vowel typos and of spacing."""
    out: list[str] = []
    for c in text.translate(_VOWELS):
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def blocking_keys(norm: NormRecord) -> list[str]:
    """The blocking keys of a normalised record (country not included; it is part of the
    posting-list key). Keys are prefixed by their kind:

    * ``t:`` each distinctive name token (core name without industry words) of 2+ chars;
    * ``p:`` each pair of adjacent core-name tokens, in sorted order (``p:hua|mei``);
    * ``c:`` the first 8 characters of the distinctive name without spaces, leading place
      names skipped ("Dongguan Hongxiu" -> ``c:hongxiu``; every Dongguan company would
      share ``c:dongguan``);
    * ``k:`` the first 6 characters of the consonant skeleton of that (typo tolerant);
    * ``y:`` the city with the first 4 characters of that (``y:savar|rahm``): a row without
      an address still has its town, and a typo after the 4th letter does not matter;
    * ``b:`` the core-name tokens as a sorted set (``b:shapla|sonar|sweaters``): the whole
      name in any word order;
    * ``z:`` the postcode;
    * ``m:`` the address numbers as a sorted set, when there are 2 to 4 (``m:113|15`` for
      "Plot 113, Road 15"): robust to misspelt and dropped address words;
    * ``a:`` the 3 longest address words of 5+ letters (ties alphabetical);
    * ``n:`` each of the first 2 address numbers of 2+ digits (leading zeros dropped), and
      a single digit among the first 2 numbers, with each of the 2 longest address words of
      4+ letters (``n:227|ashulia``, ``n:5|sialkot`` for "5 Industrial Road, Sialkot").
    """
    keys: list[str] = []
    key_tokens = norm.key_name.split()
    for tok in key_tokens:
        if len(tok) >= 2:
            keys.append("t:" + tok)
    core = norm.name.split()
    for a, b in pairwise(core):
        keys.append("p:" + (a + "|" + b if a <= b else b + "|" + a))
    distinct = key_tokens
    while len(distinct) > 1 and distinct[0] in PLACE_WORDS:
        distinct = distinct[1:]
    compact = "".join(distinct)
    if len(compact) >= 3:
        keys.append("c:" + compact[:8])
        skel = skeleton(compact)
        if len(skel) >= 3:
            keys.append("k:" + skel[:6])
        if norm.city:
            keys.append("y:" + norm.city + "|" + compact[:4])
    if len(core) >= 2:
        keys.append("b:" + "|".join(sorted(set(core))))
    if norm.postcode:
        keys.append("z:" + norm.postcode)
    numbers = norm.numbers.split()
    if 2 <= len(numbers) <= 4:
        keys.append("m:" + "|".join(numbers))
    words = sorted(
        {t for t in norm.address.split() if len(t) >= 5 and t.isalpha()},
        key=lambda t: (-len(t), t),
    )
    for tok in words[:3]:
        keys.append("a:" + tok)
    digits = [t for t in norm.address.split() if t.isdigit()]
    numbers = [t.lstrip("0") for t in digits if len(t) >= 2][:2]
    numbers += [t for t in digits[:2] if len(t) == 1]
    if numbers:
        places = sorted(
            {t for t in norm.address.split() if len(t) >= 4 and t.isalpha()},
            key=lambda t: (-len(t), t),
        )[:2]
        for num in numbers:
            for place in places:
                keys.append("n:" + num + "|" + place)
    return list(dict.fromkeys(keys))


def rank(shared: Mapping[str, Iterable[str]], sizes: Mapping[str, int]) -> list[tuple[str, int]]:
    """Reference implementation of the candidate rule (slow, for tests and other engines).

    `shared` maps each key of the row to the ids of the index records having it in the row's
    country; `sizes` maps each key to its posting-list size n (defaults to the length of
    `shared[key]`). Returns [(id, rank)] best first, at most MAX_CANDIDATES."""
    base: dict[str, int] = {}
    common: list[set[str]] = []
    for key, ids in shared.items():
        ids = list(dict.fromkeys(ids))
        n = sizes.get(key, len(ids))
        if n < 1:
            continue
        if n > MAX_POSTINGS:
            common.append(set(ids))
            continue
        w = key_weight(n)
        for rid in ids:
            base[rid] = base.get(rid, 0) + w
    pool = sorted(base.items(), key=lambda item: (-item[1], item[0]))[:MAX_POOL]
    ranked = [(rid, r + sum(rid in c for c in common)) for rid, r in pool]
    top = sorted(ranked, key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
    num, den = MIN_RANK_SHARE
    return [(rid, r) for rid, r in top if den * r >= num * top[0][1]]


def _weight_case(column: str) -> str:
    whens = " ".join(f"WHEN {column} <= {b} THEN {key_weight(b)}" for b in WEIGHT_BOUNDS)
    return f"CASE {whens} ELSE 1 END"


CANDIDATES_SQL = f"""\
WITH sizes AS (
  SELECT country, bkey, COUNT(*) AS n
  FROM postings
  GROUP BY country, bkey
),
keyed AS (
  SELECT q.row_id AS row_id, q.country AS country, q.bkey AS bkey, q.seq AS seq, s.n AS n
  FROM row_keys q
  JOIN sizes s ON s.country = q.country AND s.bkey = q.bkey
),
shared AS (
  SELECT k.row_id AS row_id, p.id AS id, p.seq AS seq,
         SUM({_weight_case("k.n")}) AS base_rank
  FROM keyed k
  JOIN postings p ON p.country = k.country AND p.bkey = k.bkey AND p.seq < k.seq
  WHERE k.n <= {MAX_POSTINGS}
  GROUP BY k.row_id, p.id, p.seq
),
pooled AS (
  SELECT row_id, id, seq, base_rank,
         ROW_NUMBER() OVER (PARTITION BY row_id ORDER BY base_rank DESC, id ASC, seq ASC)
           AS pool_pos
  FROM shared
),
pool AS (
  SELECT row_id, id, seq, base_rank FROM pooled WHERE pool_pos <= {MAX_POOL}
),
bonus AS (
  SELECT c.row_id AS row_id, c.id AS id, c.seq AS seq, COUNT(*) AS extra
  FROM pool c
  JOIN keyed k ON k.row_id = c.row_id AND k.n > {MAX_POSTINGS}
  JOIN postings p ON p.country = k.country AND p.bkey = k.bkey AND p.id = c.id
                 AND p.seq = c.seq
  GROUP BY c.row_id, c.id, c.seq
),
ranked AS (
  SELECT c.row_id AS row_id, c.id AS id, c.seq AS seq,
         c.base_rank + COALESCE(b.extra, 0) AS cand_rank
  FROM pool c
  LEFT JOIN bonus b ON b.row_id = c.row_id AND b.id = c.id AND b.seq = c.seq
),
ordered AS (
  SELECT row_id, id, seq, cand_rank,
         ROW_NUMBER() OVER (PARTITION BY row_id ORDER BY cand_rank DESC, id ASC, seq ASC) AS pos,
         MAX(cand_rank) OVER (PARTITION BY row_id) AS best_rank
  FROM ranked
)
SELECT row_id, id, seq, cand_rank, pos
FROM ordered
WHERE pos <= {MAX_CANDIDATES}
  AND {MIN_RANK_SHARE[1]} * cand_rank >= {MIN_RANK_SHARE[0]} * best_rank
"""  # noqa: S608 (built from the constants above, no input)
"""The candidate rule (see the module docstring) as one SQL text for Spark SQL and SQLite.

Input tables: ``postings(country, bkey, id, seq)``, one row per (record, blocking key) of
the index, and ``row_keys(row_id, country, bkey, seq)``, one row per (row, blocking key) of
the rows to match (`row_id` need only be unique per row; the Spark engine uses the row's
position). Output: ``(row_id, id, seq, cand_rank, pos)`` with `pos` = 1.. the candidate's
place (rank descending, id ascending, then seq), at most MAX_CANDIDATES per row. Keys are
compared as strings, so the order by id is by code point on both engines (binary collation).
"""


def top(ids: Sequence[str], ranks: Sequence[int], k: int = MAX_CANDIDATES) -> list[int]:
    """Positions of the best `k` by (rank descending, id ascending)."""
    order = sorted(range(len(ids)), key=lambda i: (-ranks[i], ids[i]))
    return order[:k]


__all__ = [
    "CANDIDATES_SQL",
    "INDUSTRY_WORDS",
    "MAX_BATCH_CANDIDATES",
    "MAX_CANDIDATES",
    "MAX_POOL",
    "MAX_POSTINGS",
    "MIN_RANK_SHARE",
    "WEIGHT_BOUNDS",
    "blocking_keys",
    "key_weight",
    "rank",
    "skeleton",
    "top",
]
