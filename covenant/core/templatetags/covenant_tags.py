from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def loc(obj: Any, field: str) -> str:
    """`{{ theme|loc:"description" }}`: the Dutch or English text for the active language."""
    return obj.localized(field)


@register.filter
def euros(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return f"€ {int(value):,}".replace(",", ".")
