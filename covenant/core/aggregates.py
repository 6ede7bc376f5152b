"""Publishing rule for figures about companies: a group smaller than MIN_GROUP_SIZE is suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


def min_group_size() -> int:
    return int(settings.MIN_GROUP_SIZE)


def is_publishable(group_size: int) -> bool:
    """True when a figure over `group_size` companies may be shown to others than the companies."""
    return group_size >= min_group_size()


@dataclass(frozen=True)
class Suppressible:
    """A figure with the number of companies behind it; `value` is None when suppressed."""

    value: float | None
    group_size: int

    @property
    def suppressed(self) -> bool:
        return self.value is None


def suppress(value: float | None, group_size: int) -> Suppressible:
    return Suppressible(value if is_publishable(group_size) else None, group_size)
