from allauth.account.models import EmailAddress
from rest_framework.permissions import BasePermission


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
