from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from mgsite import registry


class AccountAdapter(DefaultAccountAdapter):
    """Project rules for allauth: where people land, what a new account starts with."""

    def get_login_redirect_url(self, request):
        # An app above may send some people elsewhere (the clinic: dietitians to their board).
        landing = registry.first("accounts.login_redirect", request.user)
        return landing or reverse("home")

    def save_user(self, request, user, form, commit=True):
        # The browser's time zone from the sign-up form, for the profile that accounts.signals
        # creates with the account (the one place a profile is made).
        user.initial_timezone = (getattr(form, "cleaned_data", None) or {}).get("timezone") or ""
        return super().save_user(request, user, form, commit=commit)
