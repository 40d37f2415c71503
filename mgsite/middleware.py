"""Request rules for every page: deny by default, two-factor for staff, private pages uncached."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

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
    """Staff reach the admin only with two-factor authentication enabled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path_info.startswith("/admin/")
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                "Turn on two-factor authentication before using the admin site.",
            )
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)


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
