"""Project wiring: migrations, settings, the health check, the API schema."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
STRONG_KEY = "k7Qz2vXp9LmN4rT8wYb1HcJ5sDf3GhK6aZe0UiOo" + "xX9mPq2RtY5uIo8"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()} ({exc})")


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="false", SECRET_KEY=STRONG_KEY
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = run_manage("check", DEBUG="true", SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_api_schema_validates_without_warnings():
    result = run_manage(
        "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull, DEBUG="true"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
        return
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_cache_is_shared_redis_when_configured(settings):
    backends = {alias: conf["BACKEND"] for alias, conf in settings.CACHES.items()}
    if os.environ.get("REDIS_URL"):
        assert backends == {"default": REDIS_CACHE, "local": REDIS_CACHE}
    else:
        assert backends == {"default": DATABASE_CACHE, "local": LOCAL_MEMORY_CACHE}


@pytest.mark.parametrize(
    ("redis_url", "expected"),
    [
        ("", {"default": DATABASE_CACHE, "local": LOCAL_MEMORY_CACHE}),
        ("redis://127.0.0.1:6379/9", {"default": REDIS_CACHE, "local": REDIS_CACHE}),
    ],
)
def test_rate_limits_never_live_in_one_process_memory(redis_url, expected):
    """Rate limits (the default cache) are shared by every worker: Redis, or without it the
    database; only the speed-only "local" cache may be a process's memory."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({a: c['BACKEND'] for a, c in settings.CACHES.items()}))"
    )
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "mgsite.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout) == expected


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_reachable_over_plain_http_for_load_balancers(db):
    from django.test import Client

    response = Client().get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_docs_render_offline_without_inline_script(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "cdn" not in body.lower()
    assert "<script>" not in body
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/profile/" in schema.content
