"""The one family of errors raised by services, mapped to API JSON and page messages in one place."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A failure a person can act on. `message` is shown to them; `extra` adds details."""

    status_code = 400

    def __init__(
        self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"message": str(self.message)}
        if self.field:
            detail["field"] = self.field
        detail.update(self.extra)
        return detail


class ValidationFailed(ApplicationError):
    """Input broke a business rule (wrong state transition, duplicate, out of range)."""

    status_code = 422


class PermissionDenied(ApplicationError):
    status_code = 403


class NotFound(ApplicationError):
    status_code = 404


class TwoFactorRequired(PermissionDenied):
    """The account may reach this data only after a second-factor check."""
