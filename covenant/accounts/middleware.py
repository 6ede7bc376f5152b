from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from covenant.accounts.permissions import Principal

SESSION_VERIFIED_KEY = "covenant_otp_verified"


def principal_from_session(request: HttpRequest) -> Principal:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Principal.anonymous()
    verified = request.session.get(SESSION_VERIFIED_KEY) == user.pk
    return Principal.for_user(user, verified=verified)  # type: ignore[arg-type]


class PrincipalMiddleware:
    """Puts `request.principal` (user + roles + second-factor state) on every page request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.principal = SimpleLazyObject(lambda: principal_from_session(request))  # type: ignore[attr-defined]
        return self.get_response(request)
