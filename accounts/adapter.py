from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Project rules for allauth: where people land."""

    def get_login_redirect_url(self, request):
        return reverse("home")
