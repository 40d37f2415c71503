"""`/health/`: each dependency with its state, 503 when one is down; `/healthz` stays the
cheap probe."""

import json

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

# A Redis nobody listens on: the cache check must say "down" without a 500.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:secret-password@127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def test_every_dependency_is_listed_with_its_state(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache"}
    for check in body["checks"].values():
        assert check["status"] == "ok" and check["ms"] >= 0
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_dependency_that_is_down_makes_it_a_503_and_names_it_only():
    with override_settings(CACHES=DEAD_REDIS):
        response = Client().get("/health/", secure=True)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["cache"]["error"]  # the kind of error, e.g. ConnectionError
    text = json.dumps(body)
    assert "secret-password" not in text and "127.0.0.1" not in text


def test_it_answers_over_plain_http_like_healthz():
    assert Client().get("/health/").status_code == 200
