from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from covenant.accounts.forms import LoginForm, OTPForm, RoleGrantForm, UserCreateForm
from covenant.accounts.middleware import SESSION_VERIFIED_KEY
from covenant.accounts.models import Role, TOTPDevice, User
from covenant.accounts.selectors import users_with_roles
from covenant.accounts.services import (
    login_check,
    otp_failures_reset,
    otp_is_throttled,
    otp_record_failure,
    role_grant,
    role_revoke,
    totp_device_start,
    totp_provisioning_uri,
    totp_verify,
    user_create,
    user_has_confirmed_totp,
)
from covenant.core.errors import ApplicationError
from covenant.core.forms import add_error
from covenant.core.http import client_address


def _next_url(request: HttpRequest, default: str = "/") -> str:
    url = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                client=client_address(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            principal_needs = request.principal.__class__.for_user(
                user, verified=False
            ).needs_two_factor  # type: ignore[attr-defined]
            if principal_needs or user_has_confirmed_totp(user):
                return redirect(f"/accounts/2fa/verify/?next={_next_url(request)}")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("home")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user_has_confirmed_totp(user):
        return redirect(f"/accounts/2fa/setup/?next={_next_url(request)}")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp_is_throttled(user=user):
            form.add_error("code", _("Too many wrong codes. Wait a few minutes and try again."))
        elif totp_verify(user=user, code=form.cleaned_data["code"]):
            otp_failures_reset(user=user)
            request.session.cycle_key()
            request.session[SESSION_VERIFIED_KEY] = user.pk
            return redirect(_next_url(request))
        else:
            otp_record_failure(user=user)
            form.add_error(
                "code", _("That code is not correct or was already used. Try the next one.")
            )
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")}
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed and request.method == "GET":
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:otp_verify")
    if device is None or device.confirmed:
        device = totp_device_start(user=user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            ok = totp_verify(user=user, code=form.cleaned_data["code"], confirm=True)
        if ok:
            request.session.cycle_key()
            request.session[SESSION_VERIFIED_KEY] = user.pk
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not correct. Check the clock of your phone and try again.")
        )
    uri = totp_provisioning_uri(device=device)
    svg = segno.make(uri).svg_inline(scale=4)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": device.secret,
            "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            "next": _next_url(request, ""),
        },
    )


def users_page(request: HttpRequest) -> HttpResponse:
    principal = request.principal  # type: ignore[attr-defined]
    principal.require(principal.can_manage_users())
    create_form = UserCreateForm(request.POST if request.POST.get("action") == "create" else None)
    if (
        request.method == "POST"
        and request.POST.get("action") == "create"
        and create_form.is_valid()
    ):
        data = create_form.cleaned_data
        try:
            with transaction.atomic():
                user = user_create(
                    username=data["username"],
                    email=data["email"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    actor=principal.user,
                )
                role_grant(
                    user=user,
                    organisation=data["organisation"],
                    role=data["role"],
                    actor=principal.user,
                )
        except ApplicationError as exc:
            add_error(create_form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:users")
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "accounts/users.html",
        {
            "users": users_with_roles(q=q),
            "create_form": create_form,
            "grant_form": RoleGrantForm(),
            "q": q,
        },
    )


@require_POST
def role_grant_view(request: HttpRequest, user_id: int) -> HttpResponse:
    principal = request.principal  # type: ignore[attr-defined]
    principal.require(principal.can_manage_users())
    user = get_object_or_404(User, pk=user_id)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        try:
            role_grant(
                user=user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                actor=principal.user,
            )
            messages.success(request, _("Role granted."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose an organisation and a role."))
    return redirect("accounts:users")


@require_POST
def role_revoke_view(request: HttpRequest, role_id: int) -> HttpResponse:
    principal = request.principal  # type: ignore[attr-defined]
    principal.require(principal.can_manage_users())
    role = get_object_or_404(Role.objects.select_related("user", "organisation"), pk=role_id)
    if role.user_id == principal.user.pk and role.role == "secretariat":
        messages.error(request, _("You cannot remove your own secretariat role."))
    else:
        role_revoke(role=role, actor=principal.user)
        messages.success(request, _("Role removed."))
    return redirect("accounts:users")
