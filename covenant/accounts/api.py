from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router

from covenant.accounts.models import Role
from covenant.accounts.permissions import Principal
from covenant.accounts.schemas import ErrorOut, MeOut, RoleOut, TokenIn, TokenOut
from covenant.accounts.services import api_token_issue
from covenant.core.http import client_address

router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
)
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange username, password and (for secretariat and committee accounts, or any
    account with an authenticator) a 6-digit `otp` for a bearer token."""
    raw = api_token_issue(
        username=payload.username,
        password=payload.password,
        otp=payload.otp,
        client=client_address(request),
    )
    return TokenOut(token=raw, expires_in_hours=settings.API_TOKEN_TTL_HOURS)


@router.get("/auth/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> MeOut:
    """Who the token belongs to and which roles it carries."""
    principal: Principal = request.auth  # type: ignore[attr-defined]
    principal.require(principal.is_authenticated)
    assert principal.user is not None
    roles = Role.objects.filter(user=principal.user).select_related("organisation")
    return MeOut(
        username=principal.user.username,
        email=principal.user.email,
        two_factor_verified=principal.verified,
        roles=[
            RoleOut(
                role=r.role, organisation=r.organisation.slug, organisation_type=r.organisation.type
            )
            for r in roles
        ],
    )
