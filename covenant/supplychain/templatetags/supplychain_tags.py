"""Template filters of the supply-chain pages."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language, gettext_lazy

from covenant.supplychain.importing.taxonomy import facility_type_label

register = template.Library()


@register.filter
def facility_type(code: str) -> str:
    """The facility type's label in the page's language ("" stays "")."""
    if not code:
        return ""
    return facility_type_label(code, "nl" if (get_language() or "").startswith("nl") else "en")


# The matching engine writes its reasons in English (it has no Django); the review pages
# show them in the page's language. Unknown reasons are shown as they are.
_REASONS = {
    "same name without legal form": gettext_lazy("same name without legal form"),
    "same distinctive name": gettext_lazy("same distinctive name"),
    "name nearly the same": gettext_lazy("name nearly the same"),
    "name similar": gettext_lazy("name similar"),
    "name differs": gettext_lazy("name differs"),
    "address missing": gettext_lazy("address missing"),
    "same address": gettext_lazy("same address"),
    "address similar": gettext_lazy("address similar"),
    "address differs": gettext_lazy("address differs"),
    "street numbers differ": gettext_lazy("street numbers differ"),
    "same postcode": gettext_lazy("same postcode"),
    "city differs": gettext_lazy("city differs"),
    "within 500 m": gettext_lazy("within 500 m"),
    "more than 5 km apart": gettext_lazy("more than 5 km apart"),
}
# (pattern, message) of the reasons with values in them, most specific first
_WITH_VALUES = (
    (re.compile(r"^postcode (?P<a>\S+) vs (?P<b>\S+)$"), gettext_lazy("postcode %(a)s vs %(b)s")),
    (re.compile(r"^legal form (?P<a>.+) vs (?P<b>.+)$"), gettext_lazy("legal form %(a)s vs %(b)s")),
    (re.compile(r"^(?P<units>.+) on one side only$"), gettext_lazy("%(units)s on one side only")),
    (re.compile(r"^(?P<a>.+) vs (?P<b>.+)$"), gettext_lazy("%(a)s vs %(b)s")),
)


@register.filter
def match_reason(reason: str) -> str:
    """A reason of the matching engine ("same address", "unit 4 vs unit 1") in the page's
    language."""
    fixed = _REASONS.get(reason)
    if fixed is not None:
        return str(fixed)
    for pattern, message in _WITH_VALUES:
        if m := pattern.match(reason):
            return str(message) % m.groupdict()
    return reason


_UNIT_CONFLICT = _WITH_VALUES[-1][0]
"""The last, most general pattern: what is left once postcode, legal form and "on one side
only" are told apart is a unit conflict ("unit 2 vs unit 1")."""
_SAME_GROUP = frozenset(
    {"same name without legal form", "same distinctive name", "name nearly the same"}
)


@register.filter
def unit_conflict(reasons: list[str] | tuple[str, ...] | None) -> str:
    """For a candidate of the same group (name nearly the same) under another unit number,
    the reason that says so ("unit 2 vs unit 1") in the page's language, else "": the engine
    never matches such a candidate automatically, whatever its probability (its guard). A
    candidate with another name and another unit number is just another facility."""
    reasons = reasons or ()
    if _SAME_GROUP.isdisjoint(reasons):
        return ""
    for reason in reasons:
        first = next((p for p, _ in _WITH_VALUES if p.match(reason)), None)
        if first is _UNIT_CONFLICT:
            return match_reason(reason)
    return ""
