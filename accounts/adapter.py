from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Project rules for allauth: where people land, and the profile every account has."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from accounts.models import Profile

            Profile.objects.get_or_create(user=user)
        return user

    def get_login_redirect_url(self, request):
        return reverse("home")
