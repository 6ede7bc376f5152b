from __future__ import annotations

from ninja import Field, Schema


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1024)
    otp: str | None = Field(None, max_length=12, description="6-digit authenticator code")


class TokenOut(Schema):
    token: str
    expires_in_hours: int


class RoleOut(Schema):
    role: str
    organisation: str
    organisation_type: str


class MeOut(Schema):
    username: str
    email: str
    two_factor_verified: bool
    roles: list[RoleOut]


class ErrorDetail(Schema):
    message: str
    field: str | None = None


class ErrorOut(Schema):
    detail: list[ErrorDetail]
