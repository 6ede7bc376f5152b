"""Side effects (e-mail, tasks) run only after the transaction that caused them commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction


def on_commit(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: func(*args, **kwargs))
