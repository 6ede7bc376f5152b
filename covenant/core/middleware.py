from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Sends the CSP header: only our own scripts and styles (htmx is vendored, no CDN)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if (
            policy
            and "Content-Security-Policy" not in response
            and not request.path.startswith("/admin/")
        ):
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ApplicationErrorMiddleware:
    """Maps ApplicationError raised by access helpers and services on pages: anonymous users
    go to sign-in, users with a pending second factor to the verification step, the rest get
    a 403/404/400 page with the message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.contrib.auth.views import redirect_to_login
        from django.shortcuts import redirect, render

        from covenant.core.errors import ApplicationError, TwoFactorRequired

        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, TwoFactorRequired):
            return redirect(f"{_reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        if exception.status_code == 403 and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "error.html",
            {"message": exception.message, "status": exception.status_code},
            status=exception.status_code,
        )


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
