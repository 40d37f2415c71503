"""Session activity is recorded once a minute per session and client, not on every request."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mgsite.caches import local_cache
from tests.conftest import HttpsClient

pytestmark = pytest.mark.django_db


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "usersessions_usersession" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def _signed_in(user, agent: str = "Laptop browser") -> HttpsClient:
    client = HttpsClient(HTTP_USER_AGENT=agent)
    client.force_login(user)
    return client


def test_first_request_records_the_session(user):
    client = _signed_in(user)
    client.get("/profile/")
    session = UserSession.objects.get(user=user)
    assert session.user_agent == "Laptop browser"


def test_same_client_within_the_interval_writes_nothing(user):
    client = _signed_in(user)
    client.get("/profile/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/profile/").status_code == 200
    assert _session_writes(queries) == []


def test_new_browser_on_the_same_session_is_recorded_at_once(user):
    client = _signed_in(user)
    client.get("/profile/")
    client.defaults["HTTP_USER_AGENT"] = "Phone browser"
    with CaptureQueriesContext(connection) as queries:
        client.get("/profile/")
    assert _session_writes(queries)
    assert UserSession.objects.get(user=user).user_agent == "Phone browser"


def test_after_the_interval_last_seen_moves_on(user):
    client = _signed_in(user)
    client.get("/profile/")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(user=user).update(last_seen_at=an_hour_ago)
    client.get("/profile/")
    assert UserSession.objects.get(user=user).last_seen_at == an_hour_ago  # within the minute
    local_cache.clear()  # what the minute passing does to the marker
    client.get("/profile/")
    assert UserSession.objects.get(user=user).last_seen_at > an_hour_ago


def _keys_in(store) -> list[str]:
    if isinstance(store, BaseDatabaseCache):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {store._table}")  # noqa: S608
            return [row[0] for row in cursor.fetchall()]
    if isinstance(getattr(store, "_cache", None), dict):  # the local-memory cache
        return list(store._cache)
    return [key.decode() for key in store._cache.get_client().keys("*")]  # Redis, in CI


def _cache_keys() -> list[str]:
    """Every key in every cache the site has."""
    return [key for alias in settings.CACHES for key in _keys_in(caches[alias])]


def test_the_cache_never_holds_the_session_key(user):
    client = _signed_in(user)
    client.get("/profile/")
    session_key = client.session.session_key
    keys = _cache_keys()
    assert keys and not any(session_key in key for key in keys)
