"""Fast settings for the test suite, on top of the one settings module."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from palmares.settings import *  # noqa: F403
from palmares.settings import STORAGES

# MD5 is fast and is enough for tests; production keeps Argon2 (tests check the setting).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# No OpenID Connect provider, whatever the environment says, unless a test configures one
# (tests/accounts/oidc start a real one on loopback).
OIDC_PROVIDER_URL = ""
# Static files come from the finders in tests; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One memory cache per test process, emptied by the `clear_cache` fixture: tests that need no
# database may use it. Production's default is the database cache (palmares/settings.py;
# tests/palmares/test_shared_cache.py checks it is shared between processes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Playwright's sync API runs an event loop in the test process; the ORM calls the browser tests
# make around it are synchronous. Set here, not exported by the Makefile: production must never
# have it (`check --deploy` refuses it, async.E001).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
