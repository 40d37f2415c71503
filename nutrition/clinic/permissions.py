from rest_framework.permissions import BasePermission

from accounts.permissions import has_verified_email
from nutrition.clinic.selectors import is_clinic_member


class IsClinicMember(BasePermission):
    """A verified dietitian with two-factor authentication turned on."""

    message = "Only dietitians with two-factor authentication can use the clinic."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and has_verified_email(user) and is_clinic_member(user))
