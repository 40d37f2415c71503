"""Request rules for every page: deny by default, two-factor for staff, private pages uncached,
a locked headless sign-in answered with 429, and session activity recorded without a database
write on every request."""

import hashlib
import json
from collections.abc import Callable

from allauth.account.adapter import get_adapter
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from accounts.views import two_factor_redirect
from mgsite.caches import local_cache

# The JSON API and allauth's headless API answer 401/403 themselves (DRF permissions), so
# the HTML login redirect must not apply to them.
_SELF_AUTHENTICATING_PREFIXES = ("/api/", "/_allauth/")


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every HTML view needs a signed-in user unless it is marked `login_not_required`."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(_SELF_AUTHENTICATING_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class StaffTwoFactorMiddleware:
    """Staff reach the admin only in a session that passed both factors (not merely with
    two-factor authentication turned on for the account)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if request.path_info.startswith("/admin/") and user.is_authenticated and user.is_staff:
            refused = two_factor_redirect(request, before="using the admin site")
            if refused is not None:
                return refused
        return self.get_response(request)


class HeadlessLockedLoginMiddleware:
    """allauth's headless API answers a sign-in locked by too many failed attempts (password or
    two-factor code) with a 400 form error whose code is `too_many_login_attempts`; the page
    login answers 429 (`accounts.views.LoginView`), and so does this, so that clients and
    proxies can tell a lock from a typo. Only the status changes: the body keeps allauth's
    message and code."""

    LOCKED_CODE = "too_many_login_attempts"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 400 and request.path_info.startswith("/_allauth/"):
            self._mark_locked(response)
        return response

    def _mark_locked(self, response: HttpResponse) -> None:
        if not response.get("Content-Type", "").startswith("application/json"):
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            return
        errors = body.get("errors") if isinstance(body, dict) else None
        if not any(isinstance(e, dict) and e.get("code") == self.LOCKED_CODE for e in errors or []):
            return
        body["status"] = 429
        response.status_code = 429
        response.content = json.dumps(body)


class PrivateNoStoreMiddleware:
    """Responses for a signed-in person are never stored by browsers or proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response


# How long a session's "last seen" may lag behind: allauth would otherwise write to the
# database on every request of a signed-in person.
SESSION_ACTIVITY_INTERVAL_SECONDS = 60


class SessionActivityMiddleware:
    """allauth's session tracking, at most once a minute per session and client.

    A new IP address or browser is recorded at once (allauth then sends its
    `session_client_changed` signal); the same client within the interval is not written
    again. The cache key holds a digest of the session key, never the key itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_key = request.session.session_key
        if usersessions_settings.TRACK_ACTIVITY and session_key and request.user.is_authenticated:
            self._record(request, session_key)
        return self.get_response(request)

    @staticmethod
    def _record(request: HttpRequest, session_key: str) -> None:
        digest = hashlib.sha256(session_key.encode()).hexdigest()[:40]
        client = hashlib.sha256(
            "\0".join(
                (
                    str(request.user.pk),
                    get_adapter(request).get_client_ip(request) or "",
                    request.META.get("HTTP_USER_AGENT", ""),
                )
            ).encode()
        ).hexdigest()[:40]
        key = f"session-activity:{digest}"
        if local_cache.get(key) == client:
            return
        UserSession.objects.create_from_request(request)
        local_cache.set(key, client, SESSION_ACTIVITY_INTERVAL_SECONDS)
