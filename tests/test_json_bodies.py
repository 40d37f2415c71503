"""JSON bodies that would crash a parser, or the code after it, are a 400 before any parser
runs: nested deeper than 32 levels, larger than DATA_UPLOAD_MAX_MEMORY_SIZE, or holding half
of a surrogate pair. allauth's headless API answers in its own error shape, the project's API
in DRF's."""

import json

import pytest

from mgsite.middleware import JSON_MAX_DEPTH, json_not_text, json_too_deep
from nutrition.diary.models import Supplement

pytestmark = pytest.mark.django_db

HEADLESS = [
    "/_allauth/browser/v1/auth/login",
    "/_allauth/app/v1/auth/login",
    "/_allauth/browser/v1/auth/signup",
    "/_allauth/app/v1/auth/signup",
    "/_allauth/browser/v1/auth/password/request",
]
API = ["/api/v1/diary/entries/", "/api/v1/supplements/", "/api/v1/me/care-team/accept/"]

OPEN_BRACKETS = b"[" * 100_000
NESTED = b"[" * 5_000 + b"]" * 5_000
NESTED_IN_A_FIELD = b'{"email": ' + b"[" * 2_000 + b"]" * 2_000 + b"}"


def _nested(depth: int) -> bytes:
    return b'{"a": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


def test_depth_is_counted_without_recursion():
    assert not json_too_deep(_nested(JSON_MAX_DEPTH))
    assert json_too_deep(_nested(JSON_MAX_DEPTH + 1))
    alternating = b"[{" * 20 + b"}]" * 20  # 40 levels, however the pairs are removed
    assert json_too_deep(alternating)
    assert not json_too_deep(b"[[], {}, [[]], {}]")
    assert json_too_deep(OPEN_BRACKETS)
    # Brackets inside strings, escaped quotes included, are text, not structure.
    assert not json_too_deep(json.dumps({"a": '[[[["\\' * 100}).encode())
    assert not json_too_deep(b'{"email": "a@example.com", "password": "x"}')


def test_surrogate_halves_are_found():
    assert json_not_text(b'{"password": "a\\ud800b"}')
    assert not json_not_text(b'{"name": "smile \\ud83d\\ude00"}')  # a whole pair is text
    assert not json_not_text(b'{"name": "\\\\ud800 is six characters"}')
    assert not json_not_text(b'{"broken": "\\ud800')  # not JSON: left to the parser


@pytest.mark.parametrize("body", [OPEN_BRACKETS, NESTED, NESTED_IN_A_FIELD])
@pytest.mark.parametrize("path", HEADLESS)
def test_headless_refuses_deep_json_in_its_error_shape(client, path, body):
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == 400
    assert "nested more than 32 levels" in answer["errors"][0]["message"]


@pytest.mark.parametrize("path", HEADLESS)
def test_headless_reads_the_body_whatever_its_content_type(client, path):
    response = client.post(path, OPEN_BRACKETS, content_type="text/plain")
    assert response.status_code == 400
    assert response.json()["status"] == 400


@pytest.mark.parametrize("body", [OPEN_BRACKETS, NESTED, NESTED_IN_A_FIELD])
@pytest.mark.parametrize("path", API)
def test_api_refuses_deep_json_in_drf_shape(user_api, path, body):
    response = user_api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_api_still_takes_ordinary_json(user_api):
    body = {"name": "Magnesium citrate", "form": "citrate", "elemental_mg_per_unit": 100}
    assert user_api.post("/api/v1/supplements/", body, format="json").status_code == 201
    assert Supplement.objects.count() == 1


def test_headless_still_signs_in(client, user, password):
    response = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": user.email, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("path", [*HEADLESS, "/api/v1/supplements/"])
def test_a_body_over_the_upload_limit_is_400(client, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"email": "a@example.com", "password": "x" * 2_000})
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "too large" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/_allauth/browser/v1/auth/login", "/_allauth/app/v1/auth/signup"]
)
def test_headless_refuses_half_a_surrogate_pair(client, user, path):
    """A lone surrogate in a password reached the password hasher: UnicodeEncodeError."""
    body = b'{"email": "%s", "password": "correct horse \\ud800 battery"}' % user.email.encode()
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("The JSON body holds a string")


def test_headless_phone_management_is_not_found(user_client):
    """The site keeps no phone numbers; allauth's phone endpoint raised NotImplementedError."""
    response = user_client.get("/_allauth/browser/v1/account/phone")
    assert response.status_code == 404
    assert response.json() == {"status": 404}
