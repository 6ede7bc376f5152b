"""Registry-like training pairs: what the scorer really sees in production.

The real labelled pairs are hard cases, half of them matches. A registry row meets about
twenty blocking candidates, of which at most one is the same facility, and many are easy
non-matches or sibling units. These pairs come from the synthetic generator
(`covenant.matching.synthetic`): a registry, uploads of it with the truth, and for every
uploaded row all of its blocking candidates, labelled 1 for the true facility, else 0.
"""

from __future__ import annotations

from covenant.matching.records import Record

REGISTRY_SIZE = 20_000
ROWS = 5_000

Pair = tuple[Record, Record, int]


def synthetic_pairs(
    seed: int, *, registry_size: int = REGISTRY_SIZE, rows: int = ROWS
) -> list[Pair]:
    """(row, candidate, label) for every blocking candidate of every synthetic upload row;
    [] when the generator is not available."""
    try:
        from covenant.matching.synthetic import generate_registry, generate_uploads
    except ImportError:
        return []
    import numpy as np

    from covenant.matching.engine import Matcher
    from covenant.matching.scorer import FEATURES, Model

    registry = generate_registry(registry_size, seed=seed)
    uploads = generate_uploads(registry, rows, seed=seed + 1)
    by_id = {r.id: r for r in registry}
    matcher = Matcher(Model(np.zeros(len(FEATURES)), 0.0))  # candidates only
    matcher.add_many(registry)
    out: list[Pair] = []
    for row, true_id in uploads:
        for cid in matcher.candidates(row):
            out.append((row, by_id[cid], 1 if cid == true_id else 0))
    return out
