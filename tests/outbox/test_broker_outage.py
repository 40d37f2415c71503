"""A broker outage never breaks a page: publishing gives up at once, the outbox row stays
queued, `/health/` says so, and the periodic flush sends the message when the broker is back."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.tasks import flush
from tests.factories import UserFactory
from tests.outbox.conftest import broker

# Nobody listens on port 1; the password must never show in an answer.
CLOSED = "redis://:broker-secret@127.0.0.1:1/0"


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = CLOSED
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker(CLOSED):
        yield


def _flush_later() -> int:
    # The flush takes what has waited a minute: make the rows that old, then run the job.
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    return flush.apply().get()


@pytest.mark.django_db(transaction=True)
def test_sign_up_answers_at_once_and_the_message_goes_when_the_broker_is_back(client, settings):
    password = "a calm and very long passphrase"
    with broker(CLOSED):
        started = time.perf_counter()
        response = client.post(
            "/accounts/signup/",
            {"email": "new@example.com", "password1": password, "password2": password},
        )
        took = time.perf_counter() - started
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert took < 3
    message = OutboxMessage.objects.get()
    assert (message.status, message.to, message.dispatched_at) == (
        "queued",
        "new@example.com",
        None,
    )
    assert mail.outbox == []

    # The broker is back (here: jobs run in-process again); the minute's flush sends it.
    assert _flush_later() == 1
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert _flush_later() == 0  # once
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_password_reset_answers_at_once_during_an_outage(client):
    person = UserFactory(email="forgetful@example.com")
    with broker(CLOSED):
        started = time.perf_counter()
        response = client.post("/accounts/password/reset/", {"email": person.email})
        took = time.perf_counter() - started
    assert response.status_code == 302 and took < 3
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.QUEUED
    assert _flush_later() == 1
    assert _flush_later() == 0
    assert [m.to for m in mail.outbox] == [["forgetful@example.com"]]


@pytest.mark.django_db
def test_health_names_the_broker_down_without_its_address(client, broker_down):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["broker"]["error"] == "OperationalError"
    assert body["checks"]["database"]["status"] == "ok"
    text = json.dumps(body)
    assert "broker-secret" not in text and "127.0.0.1" not in text
