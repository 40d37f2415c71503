from rest_framework.permissions import BasePermission

from accounts.authentication import HEADLESS_MFA_REAUTHENTICATE, TwoFactor, two_factor_state
from accounts.permissions import has_verified_email

NOT_A_MEMBER = "Only dietitians with two-factor authentication can use the clinic."
NOT_IN_SESSION = (
    "This session signed in without its second factor. Confirm a code from your authenticator "
    f"(POST {HEADLESS_MFA_REAUTHENTICATE['app']} with the X-Session-Token, or "
    f"{HEADLESS_MFA_REAUTHENTICATE['browser']} in a browser) or sign in again with both "
    "factors before using the clinic."
)


class IsClinicMember(BasePermission):
    """A verified dietitian whose current session (cookie or X-Session-Token) passed both
    factors: the same rule as the clinic's pages."""

    message = NOT_A_MEMBER

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and has_verified_email(user) and user.is_dietitian):
            return False
        state = two_factor_state(request)
        if state is TwoFactor.NOT_IN_SESSION:
            self.message = NOT_IN_SESSION  # DRF reads it after a refusal
        return state is TwoFactor.PASSED
