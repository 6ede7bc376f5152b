"""Test settings: fast hasher, tasks run immediately, in-memory cache, no network."""

from .base import *

DEBUG = False
COVENANT_DEMO = True
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not DATABASE_URL:
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test.sqlite3")
    # COVENANT_TEST_DB lets several suites run side by side (each its own reused test db).
    _suffix = os.environ.get("COVENANT_TEST_DB", "")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db{_suffix}.sqlite3")}
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
