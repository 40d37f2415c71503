"""Deny by default: every route refuses anonymous visitors unless it is meant to be public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: the site's front door, sign-in flows, food data, articles, the API docs.
PUBLIC_PREFIXES = (
    "/",  # exact match only, see below
    "/healthz",
    "/accounts/",
    "/_allauth/",
    "/foods/",
    "/articles/",
    "/sitemap.xml",
    "/api/schema/",
    "/api/docs/",
    "/api/v1/foods/",
    "/api/v1/articles/",
    "/admin/login/",
)
SAMPLE_VALUES = {
    "int": "1",
    "id": "1",
    "isodate": "2026-01-01",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "date": "2026-01-01",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (admin internals) are covered by the admin's own checks
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route)
    return "/" + path


def _is_public(path: str) -> bool:
    if path == "/":
        return True
    return any(path.startswith(prefix) for prefix in PUBLIC_PREFIXES[1:])


def all_private_paths() -> list[str]:
    paths = {_concrete(r) for r in _walk(get_resolver().url_patterns)}
    return sorted(p for p in paths if p and not _is_public(p))


@pytest.mark.django_db
def test_every_private_route_refuses_anonymous_visitors(client):
    paths = all_private_paths()
    assert "/profile/" in paths and "/api/v1/me/profile/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code != 200, f"{path} answered 200 to an anonymous visitor"
        if path.startswith("/api/"):
            assert response.status_code in (401, 403, 404, 405), path
        else:
            assert response.status_code in (302, 404, 405), path


@pytest.mark.django_db
def test_unverified_user_cannot_use_profile_or_api(client, api_client, unverified_user):
    client.force_login(unverified_user)
    page = client.get("/profile/")
    assert page.status_code == 200
    assert b"verify" in page.content.lower() and b"Save profile" not in page.content
    api_client.force_login(unverified_user)
    assert api_client.get("/api/v1/me/profile/").status_code == 403
    assert api_client.get("/api/v1/me/export/").status_code == 403
