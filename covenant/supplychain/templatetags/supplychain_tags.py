"""Template filters of the supply-chain pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from covenant.supplychain.importing.taxonomy import facility_type_label

register = template.Library()


@register.filter
def facility_type(code: str) -> str:
    """The facility type's label in the page's language ("" stays "")."""
    if not code:
        return ""
    return facility_type_label(code, "nl" if (get_language() or "").startswith("nl") else "en")
