"""Facility matching engine: plain Python, no Django imports.

>>> from covenant.matching import Matcher, Record
>>> m = Matcher()
>>> m.add(Record(id="F1", name="Pioneer Knitwear (BD) Ltd", address="Valuka, Mymensingh", country="BD"))
>>> m.match(Record(id="r1", name="PIONEER KNITWEAR LIMITED", address="Valuka Mymensingh", country="BD")).decision
'match'
"""

from covenant.matching.engine import (
    GUARD_NAME_SIMILARITY,
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    Matcher,
)
from covenant.matching.normalise import NormRecord, normalise
from covenant.matching.records import Candidate, Decision, MatchResult, Record

__all__ = [
    "GUARD_NAME_SIMILARITY",
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "Candidate",
    "Decision",
    "MatchResult",
    "Matcher",
    "NormRecord",
    "Record",
    "normalise",
]
