"""Structured logs: one JSON line per request and per job, under a request id that the
response echoes and that the jobs the request starts carry. No personal data: routes, not paths
with their values or query strings."""

import json
import logging

import pytest
from django.core import mail

from mgsite.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def _lines(caplog, logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_every_request_gets_an_id_and_one_json_line_without_its_query(client, caplog):
    caplog.set_level(logging.INFO, logger="mgsite.requests")
    response = client.get("/foods/?q=my+secret+search")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = _lines(caplog, "mgsite.requests")
    assert line["request_id"] == request_id
    assert line["method"] == "GET" and line["status"] == response.status_code
    assert line["route"] == "/foods/" and line["ms"] >= 0
    assert "secret" not in json.dumps(line)


def test_a_sane_incoming_id_is_kept_and_any_other_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c01-2b")
    assert kept["X-Request-ID"] == "lb-7f3a9c01-2b"
    for forged in ["short", "has space in it", "new\nline-0123456789", "x" * 65]:
        answer = client.get("/healthz", HTTP_X_REQUEST_ID=forged)
        assert answer["X-Request-ID"] != forged and len(answer["X-Request-ID"]) == 32


def test_a_path_with_a_token_logs_its_route_only(client, caplog):
    caplog.set_level(logging.INFO, logger="mgsite.requests")
    client.get("/clinic/invitations/a-secret-invitation-token/")
    [line] = _lines(caplog, "mgsite.requests")
    assert "a-secret-invitation-token" not in json.dumps(line)
    assert line["route"].startswith("/clinic/invitations/<")


@pytest.mark.django_db(transaction=True)  # the job starts when the request's work commits
def test_the_job_a_request_starts_logs_the_same_request_id(client, caplog):
    caplog.set_level(logging.INFO)
    password = "a calm and very long passphrase"
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": password, "password2": password},
        HTTP_X_REQUEST_ID="req-0123456789",
    )
    assert response["X-Request-ID"] == "req-0123456789" and len(mail.outbox) == 1
    [job] = _lines(caplog, "mgsite.jobs")
    assert job["request_id"] == "req-0123456789"
    assert job["task"] == "outbox.tasks.send_message"
    assert job["state"] == "SUCCESS" and job["outcome"] == "sent"
    assert "new@example.com" not in json.dumps(job)
