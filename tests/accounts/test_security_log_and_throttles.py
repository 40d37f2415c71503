import logging

import pytest

from tests.accounts.helpers import log_in


@pytest.mark.django_db
def test_failed_and_successful_logins_are_logged_without_the_password(
    client, user, password, caplog
):
    with caplog.at_level(logging.INFO, logger="mgsite.security"):
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": "wrong-secret"},
            HTTP_USER_AGENT="evil\r\nforged line",
        )
        log_in(client, user.email, password)
    events = [getattr(r, "event", None) for r in caplog.records]
    assert "login_failed" in events and "login" in events
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "wrong-secret" not in text and password not in text
    failed = next(r for r in caplog.records if getattr(r, "event", None) == "login_failed")
    assert "\r\n" not in failed.user_agent and user.email in failed.getMessage()


@pytest.mark.django_db
def test_export_is_throttled_with_retry_after(reauthenticated_api):
    statuses = [reauthenticated_api.get("/api/v1/me/export/").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "Retry-After" in reauthenticated_api.get("/api/v1/me/export/")
