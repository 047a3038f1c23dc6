"""Test settings: fast hashing, local memory e-mail; DATABASE_URL still selects PostgreSQL."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# CHARTE_TEST_MEDIA: a run beside another one (CI runs SQLite and PostgreSQL at once) has its own.
MEDIA_ROOT = BASE_DIR / os.environ.get("CHARTE_TEST_MEDIA", ".test-media")  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (not :memory:) so that --reuse-db works and search migrations run once.
    # CHARTE_TEST_DB lets parallel runs use separate files.
    test_db = os.environ.get("CHARTE_TEST_DB", ".test-db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / test_db)}  # noqa: F405

# django-axes needs a request in authenticate(), which Client.login() does not pass: off in
# tests, except in the tests of the rate limiting itself (override_settings(AXES_ENABLED=True)).
AXES_ENABLED = False

# No collectstatic in tests: WhiteNoise then has no STATIC_ROOT to scan (and no warning).
STATIC_ROOT = None

# Public page cache off in tests, except in its own tests (override_settings).
PUBLIC_CACHE_SECONDS = 0
