"""Browser security headers and cookie flags with DEBUG off (the test settings)."""

import re

import pytest
from django.test import Client

from tests.conftest import HttpsClient

PAGES = ["/", "/accounts/login/", "/api/v1/me/profile/", "/healthz"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_content_security_policy_has_no_inline_script_and_fresh_nonces(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", first).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in first
    assert "object-src 'none'" in first
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first).group(1) != nonce.search(second).group(1)


@pytest.mark.django_db
def test_pages_carry_no_inline_script(client, user_client):
    for c, path in [(client, "/"), (client, "/accounts/login/"), (user_client, "/profile/")]:
        body = c.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag or "application/json" in tag, f"inline script on {path}: {tag}"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https():
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_private_pages_and_api_are_never_stored(user_client, user_api):
    for response in (user_client.get("/profile/"), user_api.get("/api/v1/me/profile/")):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_home_page_for_anonymous_visitors_is_not_marked_private(client):
    assert "private" not in client.get("/").get("Cache-Control", "")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_host_only_secure(client, user, password):
    login_page = client.get("/accounts/login/")
    csrf = login_page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/"


@pytest.mark.django_db
def test_state_changes_need_a_csrf_token(user, password):
    strict = HttpsClient(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/profile/", {"timezone": "UTC"}).status_code == 403
    assert (
        strict.patch("/api/v1/me/profile/", {}, content_type="application/json").status_code == 403
    )


@pytest.mark.django_db
def test_server_error_page_shows_no_traceback(client, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    response = client.get("/profile/", {"x": "1"}, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Traceback" not in response.content
