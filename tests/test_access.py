"""Deny by default: every named route refuses anonymous visitors unless it is meant to be public.

Each route is reversed by its name, with sample values for its converters or regex groups, so
the path requested is one the route really matches: a refusal is a real refusal, and a 404
(which would hide a broken route) fails the test. Pages answer 302 to the sign-in page (the
admin's to its own sign-in, which goes through allauth); the JSON API and allauth's headless
API answer 401 or 403.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Public on purpose, by route name: the front door and health check, signing in and up (and the
# steps around it), the food data, the articles, and the API's schema and docs.
PUBLIC = {
    "home",
    "healthz",
    "health",
    # installing on a phone: the manifest, the service worker and its offline page
    "manifest",
    "service-worker",
    "offline",
    "django.contrib.sitemaps.views.sitemap",
    # allauth's sign-in, sign-up, password reset and e-mail confirmation pages
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",  # the second step of signing in
    # the same steps in allauth's headless API, for the browser and app clients
    *(
        f"headless:{kind}:{name}"
        for kind in ("browser", "app")
        for name in (
            "config",
            "account:login",
            "account:signup",
            "account:confirm_login_code",
            "account:request_password_reset",
            "account:reset_password",
            "account:verify_email",
            "account:resend_email_verification_code",
            "account:verify_phone",
            "account:resend_phone_verification_code",
            "mfa:authenticate",
        )
    ),
    "headless:app:tokens:refresh",
    # food data and articles, pages and API
    "foods:search",
    "foods:magnesium-rich",
    "foods:detail",
    "content:list",
    "content:feed",
    "content:detail",
    "food-list",
    "food-detail",
    "article-list",
    "article-detail",
    "admin:login",
    "schema",
    "api-docs",
    # an e-mail's one-click unsubscribe link: the signed token is the authority (RFC 8058)
    "unsubscribe",
}

# Values tried, in order, for each URL parameter until the route's pattern (or converter)
# accepts one: ids, dates (the diary's converter takes a date), slugs, tokens and an app label
# (the admin's app index).
# Offered to nobody: allauth's phone management (the site has no phone numbers) answers 404.
NOT_OFFERED = {
    "headless:app:account:manage_phone",
    "headless:browser:account:manage_phone",
}
SAMPLES = [1, date(2026, 1, 1), "2026-01-01", "x", "MQ", "abc-def", "accounts"]
_REFUSED = (NoReverseMatch, AttributeError, TypeError, ValueError)
SELF_AUTHENTICATING = ("/api/", "/_allauth/")


@dataclass(frozen=True)
class Route:
    name: str
    path: str


def _named_patterns(patterns, namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _parameters(pattern: URLPattern) -> list[str] | int:
    """The route's parameter names, or how many unnamed regex groups it has."""
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    regex = pattern.pattern.regex
    return list(regex.groupindex) or regex.groups


def _attempt(name: str, parameters: list[str] | int, *values) -> str | None:
    first, rest = values
    try:
        if isinstance(parameters, int):  # unnamed groups: positional arguments
            return reverse(name, args=[first, *[rest] * (parameters - 1)])
        return reverse(name, kwargs={parameters[0]: first, **dict.fromkeys(parameters[1:], rest)})
    except _REFUSED:
        return None


def _reverse(name: str, parameters: list[str] | int) -> str:
    """The route's path with sample values its pattern accepts (reverse() checks them)."""
    if not parameters:
        return reverse(name)
    # The same sample for every parameter first; then each pairing, for a route that takes
    # parameters of different kinds (a client id and a date).
    pairs = [(sample, sample) for sample in SAMPLES]
    pairs += [(first, rest) for first in SAMPLES for rest in SAMPLES if first != rest]
    for first, rest in pairs:
        path = _attempt(name, parameters, first, rest)
        if path is not None:
            return path
    raise AssertionError(f"no sample value fits the route {name}: add one to SAMPLES")


def all_routes() -> list[Route]:
    """Every named route, reversed by name (a name used twice is the first route, as reverse()
    picks it)."""
    seen: dict[str, Route] = {}
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name not in seen:
            seen[name] = Route(name, _reverse(name, _parameters(pattern)))
    return sorted(seen.values(), key=lambda route: route.name)


def private_routes() -> list[Route]:
    return [route for route in all_routes() if route.name not in PUBLIC | NOT_OFFERED]


def _refusal(client, route: Route, method: str) -> str | None:
    """What is wrong with an anonymous visitor's answer, or None when it is a refusal."""
    response = getattr(client, method)(route.path)
    status = response.status_code
    if route.path.startswith(SELF_AUTHENTICATING):
        return None if status in (401, 403) else f"answered {status}, not 401/403"
    location = response.get("Location", "")
    # The admin's own views send to its sign-in page, which hands over to allauth's.
    logins = [resolve_url(settings.LOGIN_URL)]
    if route.name.startswith("admin:"):
        logins.append(resolve_url("admin:login"))
    if status == 302 and any(location.startswith(f"{login}?next=") for login in logins):
        return None
    return f"answered {status} {location}, not a redirect to {' or '.join(logins)}"


def _methods(route: Route) -> tuple[str, ...]:
    # allauth's headless endpoints answer other methods with their own flow errors (400, 409),
    # never with data; a read is where their "not signed in" is checked.
    return ("get",) if route.path.startswith("/_allauth/") else ("get", "post")


@pytest.mark.django_db
def test_every_private_route_refuses_anonymous_visitors(client):
    routes = private_routes()
    names = {route.name for route in routes}
    # The project's own routes are all here, pages and API, detail routes and regex groups.
    assert {"accounts:profile", "diary:day", "clinic:client", "me-profile"} <= names
    assert {"diary-entry-detail", "me-recipe-ingredient", "clinic-client-day"} <= names
    assert {"health:record", "health:charts", "health:result-edit", "health:result-delete"} <= names
    assert "accounts:timezone-offer" in names
    assert {
        "transfer:my-report-pdf",
        "transfer:my-report-csv",
        "transfer:client-report-pdf",
        "transfer:client-report-csv",
    } <= names
    assert {"transfer:imports", "transfer:import", "transfer:commit", "transfer:undo"} <= names
    assert {
        "transfer:row",
        "transfer:row-foods",
        "me-imports",
        "me-import",
        "me-import-commit",
    } <= names
    assert {"me-import-rows", "me-import-row"} <= names
    problems = [
        f"{method.upper()} {route.path} ({route.name}) {problem}"
        for route in routes
        for method in _methods(route)
        if (problem := _refusal(client, route, method))
    ]
    assert problems == [], "\n".join(problems)


def test_every_named_route_is_checked_and_the_allowlist_is_current():
    names = {name for name, _ in _named_patterns(get_resolver().url_patterns)}
    assert {route.name for route in all_routes()} == names  # each one reversed, none skipped
    assert names >= PUBLIC, PUBLIC - names  # a renamed route leaves no stale allowance


@pytest.mark.django_db
def test_public_routes_answer_anonymous_visitors(client):
    for route in all_routes():
        if route.name in PUBLIC:
            status = client.get(route.path).status_code
            assert status < 500, (route, status)


@pytest.mark.django_db
def test_unverified_user_cannot_use_profile_or_api(client, api_client, unverified_user):
    client.force_login(unverified_user)
    page = client.get("/profile/")
    assert page.status_code == 200
    assert b"verify" in page.content.lower() and b"Save profile" not in page.content
    api_client.force_login(unverified_user)
    assert api_client.get("/api/v1/me/profile/").status_code == 403
    assert api_client.get("/api/v1/me/export/").status_code == 403
