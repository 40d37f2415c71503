import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.html import strip_tags

from mgsite import registry
from outbox.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """Project rules for allauth: where people land, what a new account starts with, and how
    its e-mail goes out (through the outbox, never inside the request)."""

    def get_login_redirect_url(self, request):
        # An app above may send some people elsewhere (the clinic: dietitians to their board).
        landing = registry.first("accounts.login_redirect", request.user)
        return landing or reverse("home")

    def save_user(self, request, user, form, commit=True):
        # The browser's time zone from the sign-up form, for the profile that accounts.signals
        # creates with the account (the one place a profile is made).
        user.initial_timezone = (getattr(form, "cleaned_data", None) or {}).get("timezone") or ""
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendered as allauth renders it, then queued: a background job sends it after the
        # request's transaction commits. Every allauth e-mail is a message of its own (a
        # second password reset is a second e-mail), hence a fresh key each time.
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        rendered = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, kind in getattr(rendered, "alternatives", []) if kind == "text/html"),
            "",
        )
        text = rendered.body
        if rendered.content_subtype == "html":
            html, text = rendered.body, strip_tags(rendered.body)
        email_queue(
            to=email,
            subject=rendered.subject,
            text=text,
            html=html,
            key=f"allauth:{uuid.uuid4().hex}",
            category=template_prefix.rsplit("/", 1)[-1][:50],
            headers=dict(rendered.extra_headers or {}),
        )
