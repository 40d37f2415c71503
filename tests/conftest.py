import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory


class HttpsClient(Client):
    """Django's test client speaking HTTPS, as every request does when DEBUG is off."""

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)


class HttpsAPIClient(APIClient):
    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)


@pytest.fixture(scope="session", autouse=True)
def _plain_static_files():
    """Hashed file names need `collectstatic`; tests serve the sources directly instead
    (CI runs `collectstatic` on its own to check the production storage)."""
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WHITENOISE_USE_FINDERS=True):
        yield


# Fixtures that give a test the database; the database cache is readable only with one of them.
_DATABASE_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


def _uses_database(request) -> bool:
    if request.node.get_closest_marker("django_db") is not None:
        return True  # pytest-django's own autouse fixture has opened the database already
    wanted = [name for name in _DATABASE_FIXTURES if name in request.fixturenames]
    if not wanted:
        return False
    # Open it now, so that the database cache can be cleared before and after the test.
    request.getfixturevalue("transactional_db" if "transactional_db" in wanted else "db")
    return True


def _clear_caches(*, with_database: bool) -> None:
    # Every alias: rate limits live in "default", speed caches in "local". Without Redis the
    # default is a database table, which a test without the database cannot reach (nor use).
    for alias in django_settings.CACHES:
        store = caches[alias]
        if with_database or not isinstance(store, BaseDatabaseCache):
            store.clear()


def throttle_queries(checks: int = 1) -> int:
    """Queries that `checks` DRF throttle checks cost an API request (a signed-in person's
    request is checked once, an anonymous one twice: per address and per user-or-address).

    With Redis none. Without it the throttles live in the database cache, so that every worker
    process counts the same requests: a read, then a write (a row count for culling, and a
    read and an insert or update inside a savepoint).
    """
    per_check = 6 if isinstance(caches["default"], BaseDatabaseCache) else 0
    return checks * per_check


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(settings, request):
    # Argon2 is the production hasher (tested on its own); tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _clear_caches(with_database=_uses_database(request))
    yield
    # Database cache rows go with the test's transaction (or at the next test's start).
    _clear_caches(with_database=False)


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def api_client():
    return HttpsAPIClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def unverified_user(db):
    return UserFactory(verified=False)


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(user):
    c = HttpsClient()
    c.force_login(user)
    return c


@pytest.fixture
def user_api(user):
    c = HttpsAPIClient()
    c.force_authenticate(user)
    return c
