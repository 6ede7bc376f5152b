from __future__ import annotations

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it (behind a proxy, configure it to set
    REMOTE_ADDR; X-Forwarded-For is not trusted here because clients can forge it)."""
    return str(request.META.get("REMOTE_ADDR", "unknown"))
