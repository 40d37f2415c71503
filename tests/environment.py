"""Loaded by pytest before Django starts (`-p tests.environment`): the suite's environment.

Tests run with production settings (DEBUG off) so that what they check is what ships; only a
throw-away secret key and the locmem e-mail backend are provided here.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-0f3c9a7e5d1b4c8a9e2f6d0b7a3c5e1f9d8b2a4c6e0f"
)
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # playwright's sync API runs an event loop
