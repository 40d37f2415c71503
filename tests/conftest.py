import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
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


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(settings):
    # Argon2 is the production hasher (tested on its own); tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


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
