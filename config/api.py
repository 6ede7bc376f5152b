"""The REST API (django-ninja) under /api/v1/: one NinjaAPI, routers from the domain apps,
bearer-token auth resolving to a Principal, and the one place ApplicationError becomes JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from covenant.accounts.api import router as accounts_router
from covenant.accounts.permissions import Principal
from covenant.accounts.services import api_token_authenticate
from covenant.agreements.api import router as agreements_router
from covenant.complaints.api import router as complaints_router
from covenant.core.errors import ApplicationError
from covenant.duediligence.api import router as duediligence_router
from covenant.signals.api import router as signals_router
from covenant.supplychain.api import router as supplychain_router


class OptionalBearer(HttpBearer):
    """`Authorization: Bearer <token>`; without the header the caller is anonymous (public
    endpoints answer, the rest say 401/403). A wrong or expired token is always a 401."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return Principal.anonymous()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        return Principal.for_user(api_token.user, verified=api_token.otp_verified)


api = NinjaAPI(
    title="Covenant API",
    version="1.0.0",
    description=(
        "API of Covenant, the platform for IRBC sector agreements. Get a token with "
        "POST /api/v1/auth/token and send it as `Authorization: Bearer <token>`. "
        "Public endpoints work without a token; confidential ones follow the same "
        "permission rules as the web pages."
    ),
    urls_namespace="api",
    auth=OptionalBearer(),
)


def _error(request: HttpRequest, status: int, detail: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = exc.status_code
    principal = getattr(request, "auth", None)
    if status == 403 and isinstance(principal, Principal) and not principal.is_authenticated:
        status = 401
    # Sign-in failures of POST /auth/token (an endpoint without auth, so no principal):
    # wrong credentials are a 401 and too many attempts a 429; a missing or wrong second
    # factor stays 403 (the password was right, the account needs more).
    code = exc.extra.get("code")
    if status == 403 and code == "invalid":
        status = 401
    elif status == 403 and code == "throttled":
        status = 429
    return _error(request, status, [exc.as_dict()])


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ())]
        # ninja's loc starts with where the value came from (query, path, form, file …).
        if loc and loc[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
            loc = loc[1:]
        field = ".".join(p for p in loc if p not in {"body", "payload"})
        detail.append(
            {
                "field": field or "body",
                "message": str(err.get("msg", _("Invalid value."))),
                "type": err.get("type", ""),
            }
        )
    return _error(request, 422, detail)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, [{"message": _("The token is missing, wrong or expired.")}])


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django's limit (DATA_UPLOAD_MAX_MEMORY_SIZE); without this it is an HTML 400 page.
    return _error(request, 413, [{"field": "body", "message": _("The request body is too large.")}])


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's "Cannot parse request body": malformed JSON (or not UTF-8).
        return _error(
            request, 400, [{"field": "body", "message": _("The request body is not valid JSON.")}]
        )
    return _error(request, exc.status_code, [{"message": str(exc)}])


api.add_router("/", accounts_router)
api.add_router("/", agreements_router)
api.add_router("/", supplychain_router)
api.add_router("/", duediligence_router)
api.add_router("/", complaints_router)
api.add_router("/", signals_router)
