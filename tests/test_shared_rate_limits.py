"""Rate limits hold across worker processes: what one process counts, the next one sees.

Without Redis the counters live in the database cache, whose table the project's migrations
create; the speed-only caches stay in each process's memory."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mgsite.caches import local_cache
from tests.accounts.helpers import reauthenticate_in_browser_api
from tests.conftest import HttpsAPIClient, HttpsClient

WRONG = {"password": "not the password"}


@contextmanager
def another_worker_process() -> Iterator[None]:
    """Run the block as a second worker process would: its own cache connections and its own,
    empty, local-memory caches. Caches outside the process (database, Redis) are as they are."""
    saved_connections = {a: caches[a] for a in caches if hasattr(caches._connections, a)}
    saved_memory = [(store, dict(store)) for store in (locmem._caches, locmem._expire_info)]
    for alias in saved_connections:
        del caches[alias]
    for store, _ in saved_memory:
        store.clear()
    try:
        yield
    finally:
        for alias in caches:
            if hasattr(caches._connections, alias):
                del caches[alias]
        for alias, handle in saved_connections.items():
            caches[alias] = handle
        for store, content in saved_memory:
            store.clear()
            store.update(content)


@pytest.mark.django_db
def test_failed_logins_counted_by_one_process_lock_the_login_in_another(user):
    client = HttpsClient()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, **WRONG})
        assert response.status_code == 200
    with another_worker_process():
        locked = HttpsClient().post("/accounts/login/", {"login": user.email, **WRONG})
    assert locked.status_code == 429


@pytest.mark.django_db
def test_api_throttle_counted_by_one_process_holds_in_another(user, password):
    api = HttpsAPIClient()
    api.force_login(user)
    reauthenticate_in_browser_api(api, password)
    assert [api.get("/api/v1/me/export/").status_code for _ in range(10)] == [200] * 10
    with another_worker_process():
        assert api.get("/api/v1/me/export/").status_code == 429


@pytest.mark.django_db
def test_speed_caches_are_the_process_own_without_redis(settings):
    if settings.REDIS_URL:
        pytest.skip("with Redis the speed caches are shared too")
    local_cache.set("speed-only", 1)
    with another_worker_process():
        assert local_cache.get("speed-only") is None
    assert local_cache.get("speed-only") == 1


def _tables() -> list[str]:
    return connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_migrations_create_the_database_cache_table(settings):
    table = settings.DATABASE_CACHE_TABLE
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes("accounts")
    executor.migrate([("accounts", "0004_profile_own_fields_only")])
    assert table not in _tables()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaf)
    assert table in _tables()
    # Again over a table that exists (made by hand with `createcachetable`, say): no error.
    migration = import_module("accounts.migrations.0005_database_cache_table")
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))
    assert table in _tables()
