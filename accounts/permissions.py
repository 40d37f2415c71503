from allauth.account.models import EmailAddress
from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission

from accounts.authentication import HEADLESS_REAUTHENTICATE, recently_reauthenticated


def has_verified_email(user) -> bool:
    """True when the signed-in user has confirmed at least one e-mail address."""
    if not user or not user.is_authenticated:
        return False
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._has_verified_email = cached
    return cached


class IsVerifiedUser(BasePermission):
    """Signed in, active, with a verified e-mail address: the default for the API."""

    message = "Sign in with a verified e-mail address to use this endpoint."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_active and has_verified_email(request.user))


class ReauthenticationRequired(APIException):
    """403 with where to re-authenticate: the session is signed in, but not recently enough
    for a sensitive operation."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "reauthentication_required"

    def __init__(self) -> None:
        minutes = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT // 60
        super().__init__(
            {
                "detail": "Re-authenticate first: confirm your password (or a two-factor code) "
                f"at the reauthenticate endpoint, then try again within {minutes} minutes.",
                "code": self.default_code,
                "reauthenticate": dict(HEADLESS_REAUTHENTICATE),
            }
        )


class RecentlyReauthenticated(BasePermission):
    """allauth's re-authentication rule, as the HTML pages apply it with
    `@reauthentication_required`: a re-authentication in this session within
    `ACCOUNT_REAUTHENTICATION_TIMEOUT`. Put it after the permission that needs a signed-in
    person, so that an anonymous visitor is asked to sign in, not to re-authenticate."""

    def has_permission(self, request, view) -> bool:
        if not recently_reauthenticated(request):
            raise ReauthenticationRequired()
        return True
