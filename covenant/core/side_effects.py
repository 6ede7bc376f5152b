"""Side effects (e-mail, tasks) run only after the transaction that caused them commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

_suppressed: ContextVar[bool] = ContextVar("side_effects_suppressed", default=False)


def on_commit(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    if _suppressed.get():
        return
    transaction.on_commit(lambda: func(*args, **kwargs))


@contextmanager
def suppressed() -> Iterator[None]:
    """Run a block without its side effects: for loading historical or demo data, where
    e-mailing people about changes from years ago would be wrong."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)
