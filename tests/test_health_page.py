"""`/health/`: each dependency with its state, 503 when one is down; `/healthz` stays the
cheap probe."""

import json
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import email_queue

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
    # Jobs run in-process here (no CELERY_BROKER_URL): no broker to check.
    assert set(body["checks"]) == {"database", "cache", "oldest_queued_job"}
    assert body["checks"]["oldest_queued_job"]["age_s"] == 0
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


def _waiting_since(minutes: int) -> None:
    # Queued without its commit hook running: as if no worker had taken it since.
    message = email_queue(
        to="someone@example.com", subject="Hi", text="Hello", key=f"k{minutes}", category="t"
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_the_age_of_the_oldest_queued_message_is_shown(client):
    _waiting_since(3)
    _waiting_since(1)
    response = client.get("/health/")
    assert response.status_code == 200
    check = response.json()["checks"]["oldest_queued_job"]
    assert check["status"] == "ok" and 180 <= check["age_s"] < 240
    assert check["limit_s"] == 15 * 60


def test_a_message_waiting_past_fifteen_minutes_makes_it_a_503(client):
    _waiting_since(16)
    response = client.get("/health/")
    assert response.status_code == 503
    check = response.json()["checks"]["oldest_queued_job"]
    assert check["status"] == "down" and check["error"] == "QueueTooOld"
    assert check["age_s"] >= 16 * 60
    # Sent or failed messages are not waiting.
    OutboxMessage.objects.update(status=OutboxMessage.Status.FAILED)
    assert client.get("/health/").status_code == 200
    assert client.get("/healthz").status_code == 200
