from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    principal = getattr(request, "principal", None)
    return {
        "principal": principal,
        "COVENANT_DEMO": settings.COVENANT_DEMO,
        "MIN_GROUP_SIZE": settings.MIN_GROUP_SIZE,
    }
