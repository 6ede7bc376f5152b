from __future__ import annotations

from django import forms

from covenant.core.errors import ApplicationError


def add_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's error on the form field it concerns (or on the form as a whole)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
