"""Production settings pass Django's deployment checks, refuse to start without a secret key,
and every page carries the Content-Security-Policy header."""

from __future__ import annotations

import importlib
import os
import secrets
import string
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = settings.BASE_DIR


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _prod_env(**overrides: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="covenant.example.org",
    )
    # DATABASE_URL stays as in this run (unset: SQLite; set: the same PostgreSQL server).
    # The defaults of prod.py are what we check; DJANGO_ALLOW_ASYNC_UNSAFE is set by the
    # browser tests in this process and would (rightly) fail the deploy check.
    for key in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_prod_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_prod_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_check_deploy_notices_a_weak_setup():
    """The check is a real gate: with HSTS and the HTTPS redirect off it fails."""
    env = _prod_env(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W004" in output  # SECURE_HSTS_SECONDS
    assert "security.W008" in output  # SECURE_SSL_REDIRECT


def test_prod_refuses_to_start_without_secret_key():
    result = _manage("check", env=_prod_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("value", [None, "", "dev-insecure-secret-key-change-me"])
def test_prod_settings_module_refuses_missing_or_dev_key(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", value)
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("config.settings.prod")


def test_prod_settings_values(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", _secret_key())
    for key in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COVENANT_DEMO", "true")
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "old-key-one, old-key-two")
    monkeypatch.delitem(sys.modules, "config.settings.prod", raising=False)
    try:
        prod = importlib.import_module("config.settings.prod")
        assert (prod.DEBUG, prod.COVENANT_DEMO) == (False, False)
        assert (prod.SECURE_SSL_REDIRECT, prod.SESSION_COOKIE_SECURE, prod.CSRF_COOKIE_SECURE) == (
            True,
            True,
            True,
        )
        assert prod.SECURE_HSTS_SECONDS == 31536000
        assert prod.SECRET_KEY_FALLBACKS == ["old-key-one", "old-key-two"]
    finally:
        sys.modules.pop("config.settings.prod", None)


@pytest.mark.django_db
def test_pages_carry_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


@pytest.mark.django_db
def test_csp_also_on_error_pages(client):
    response = client.get(f"/no-such-page-{int(time.time())}/")
    assert response.status_code == 404
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
