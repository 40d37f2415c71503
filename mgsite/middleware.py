"""Request rules for every page: deny by default, two-factor for staff, private pages uncached,
session activity recorded without a database write on every request, a locked headless
sign-in answered with 429, and JSON bodies checked before a parser recurses into them."""

import hashlib
import json
import logging
import re
import time
from array import array
from collections.abc import Callable
from itertools import accumulate

from allauth.account.adapter import get_adapter
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from accounts.views import two_factor_redirect
from mgsite import logs
from mgsite.caches import local_cache

_request_log = logging.getLogger("mgsite.requests")

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


# --- JSON bodies ----------------------------------------------------------------------------------

# Deeper than any request of the site needs; Python's JSON parser recurses once per level and
# a body of 100,000 "[" raises RecursionError (a 500) in DRF and in allauth's headless views.
JSON_MAX_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as signed bytes: +1, -1
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
TOO_DEEP = f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep."
TOO_LARGE = "The request body is too large."
NOT_TEXT = "The JSON body holds a string that is not valid Unicode text."


def json_too_deep(body: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """True when `body`, read as JSON, nests more than `limit` arrays and objects.

    No recursion and one pass in C: strings are cut out, each remaining bracket counts +1
    (opening) or -1 (closing), and the highest running total is the depth a parser would
    recurse to before it could notice anything else wrong."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    signs = _JSON_STRING.sub(b"", body).translate(_BRACKET_SIGNS, _NOT_A_BRACKET)
    return max(accumulate(array("b", signs)), default=0) > limit


def json_not_text(body: bytes) -> bool:
    """True when a JSON string escapes half of a surrogate pair (`"\\ud800"`): Python reads it,
    but no database or password hasher can encode it. Invalid JSON is left to the parsers."""
    if not _SURROGATE_ESCAPE.search(body):
        return False
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    except ValueError:
        return False
    return False


class JsonBodyGuardMiddleware:
    """Refuse, with a 400, JSON bodies that would crash the parsers or the code after them:
    larger than DATA_UPLOAD_MAX_MEMORY_SIZE, nested too deep, or holding broken text.

    Under `/api/` DRF parses JSON bodies (answered in DRF's shape, `{"detail": …}`); under
    `/_allauth/` the headless views parse any body as JSON (answered in allauth's shape,
    `{"status": 400, "errors": [{"message", "code"}]}`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        shape = self._shape(request)
        if shape is not None:
            problem = self._problem(request)
            if problem is not None:
                return self._refuse(shape, problem)
        return self.get_response(request)

    @staticmethod
    def _shape(request: HttpRequest) -> str | None:
        path = request.path_info
        if path.startswith("/_allauth/"):
            return "allauth"
        if path.startswith("/api/") and "json" in request.content_type:
            return "api"
        return None

    @staticmethod
    def _problem(request: HttpRequest) -> str | None:
        try:
            body = request.body  # checks DATA_UPLOAD_MAX_MEMORY_SIZE before reading
        except RequestDataTooBig:
            return TOO_LARGE
        if not body:
            return None
        if json_too_deep(body):
            return TOO_DEEP
        if json_not_text(body):
            return NOT_TEXT
        return None

    @staticmethod
    def _refuse(shape: str, message: str) -> JsonResponse:
        if shape == "allauth":
            body = {"status": 400, "errors": [{"message": message, "code": "invalid"}]}
        else:
            body = {"detail": message}
        return JsonResponse(body, status=400)


class RequestLogMiddleware:
    """One JSON line per request (`mgsite.requests`): method, the matched route (the URL
    pattern, never the path's values nor the query string, which can hold tokens and searches),
    status and time, under a request id that is echoed in the `X-Request-ID` header and follows
    the jobs the request starts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.sane_request_id(request.headers.get("X-Request-ID"))
        request_id = request_id or logs.new_request_id()
        token = logs.request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            match = request.resolver_match
            _request_log.info(
                "request",
                extra={
                    "event": "request",
                    "request_id": request_id,
                    "method": request.method,
                    "route": f"/{match.route}" if match else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            logs.request_id_var.reset(token)


BODY_TOO_LARGE = "The request is larger than the site takes (an import's file: at most 20 MB)."


class BodySizeMiddleware:
    """Answer 413, before anything reads the body, a request that says it is larger than
    `MAX_REQUEST_BODY_BYTES` (the largest body the site takes: an import's file; the admin's
    FoodData Central upload has its own limit, `LARGE_REQUEST_BODY_BYTES`). Without it
    the CSRF check or a parser would first stream a huge upload to disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.LARGE_REQUEST_BODY_BYTES.get(
            request.path_info, settings.MAX_REQUEST_BODY_BYTES
        )
        if length > limit:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": BODY_TOO_LARGE}, status=413)
            return HttpResponse(BODY_TOO_LARGE, status=413, content_type="text/plain")
        return self.get_response(request)
