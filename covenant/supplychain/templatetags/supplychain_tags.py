"""Template filters of the supply-chain pages."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

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
_POSTCODES = re.compile(r"^postcode (?P<a>\S+) vs (?P<b>\S+)$")
_LEGAL = re.compile(r"^legal form (?P<a>.+) vs (?P<b>.+)$")
_ONE_SIDE = re.compile(r"^(?P<units>.+) on one side only$")
_VERSUS = re.compile(r"^(?P<a>.+) vs (?P<b>.+)$")


@register.filter
def match_reason(reason: str) -> str:
    """A reason of the matching engine ("same address", "unit 4 vs unit 1") in the page's
    language."""
    fixed = _REASONS.get(reason)
    if fixed is not None:
        return str(fixed)
    if m := _POSTCODES.match(reason):
        return _("postcode %(a)s vs %(b)s") % m.groupdict()
    if m := _LEGAL.match(reason):
        return _("legal form %(a)s vs %(b)s") % m.groupdict()
    if m := _ONE_SIDE.match(reason):
        return _("%(units)s on one side only") % m.groupdict()
    if m := _VERSUS.match(reason):
        return _("%(a)s vs %(b)s") % m.groupdict()
    return reason
