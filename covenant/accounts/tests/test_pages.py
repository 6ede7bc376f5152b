"""Sign-in pages: password, second factor, throttling."""

from __future__ import annotations

import pyotp
from django.test import Client

from covenant.conftest import PASSWORD


def test_sign_in_with_second_factor(world):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "sec", "password": PASSWORD, "next": "/secretariat/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/secretariat/")["Location"].startswith("/accounts/2fa/verify/")
    response = client.post(
        "/accounts/2fa/verify/",
        {"code": pyotp.TOTP(world.totp_secret).now(), "next": "/secretariat/"},
    )
    assert response["Location"] == "/secretariat/"
    assert client.get("/secretariat/").status_code == 200


def test_wrong_codes_are_throttled_on_the_web(world, settings):
    client = Client()
    client.post("/accounts/login/", {"username": "sec", "password": PASSWORD})
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/accounts/2fa/verify/", {"code": "000000"})
        assert b"That code is not correct" in response.content
    # Even the right code is refused while throttled.
    response = client.post("/accounts/2fa/verify/", {"code": pyotp.TOTP(world.totp_secret).now()})
    assert response.status_code == 200
    assert b"Too many wrong codes" in response.content


def test_wrong_password_and_throttling(world, settings):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/accounts/login/", {"username": "own", "password": "wrong"})
        assert b"Username or password is not correct" in response.content
    response = client.post("/accounts/login/", {"username": "own", "password": PASSWORD})
    assert b"Too many failed sign-in attempts" in response.content


def test_company_user_signs_in_without_second_factor(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "own", "password": PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/me/")["Location"] == "/companies/own-fashion/"


def test_setup_page_for_account_without_authenticator(world):
    client = Client()
    client.force_login(world.users["party"])
    response = client.get("/accounts/2fa/setup/")
    assert response.status_code == 200
    assert b"data:image/svg+xml;base64," in response.content


def test_secretariat_creates_account_with_role(world):
    client = world.client("secretariat")
    response = client.post(
        "/accounts/users/",
        {
            "action": "create",
            "username": "newstaff",
            "email": "n@example.org",
            "password": "short",
            "organisation": world.company.pk,
            "role": "company_member",
        },
    )
    assert response.status_code == 200
    assert b"This password is too short" in response.content
    response = client.post(
        "/accounts/users/",
        {
            "action": "create",
            "username": "newstaff",
            "email": "n@example.org",
            "password": "a much longer passphrase 42",
            "organisation": world.party_org.pk,
            "role": "company_member",
        },
    )
    assert b"cannot be given in an organisation of type" in response.content
    from covenant.accounts.models import User

    assert not User.objects.filter(username="newstaff").exists()  # nothing half-written
    response = client.post(
        "/accounts/users/",
        {
            "action": "create",
            "username": "newstaff",
            "email": "n@example.org",
            "password": "a much longer passphrase 42",
            "organisation": world.company.pk,
            "role": "company_member",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newstaff").roles.get().organisation == world.company
