import re
import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.base.internal.flows import post_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import RequestFactory


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def confirmation_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body)
    assert match, body
    return match.group(1)


def log_in(client, email: str, password: str):
    """Sign in through allauth's form, which records a fresh authentication."""
    return client.post("/accounts/login/", {"login": email, "password": password})


def reauthenticate(client, password: str):
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response
    return response


def log_in_with_two_factors(client, user):
    """Sign `user` in on `client` (page or API test client) with a session that passed the
    password and the TOTP code, recorded by allauth's own functions as its login and two-factor
    views do. The user needs a TOTP authenticator (`TOTP.activate`)."""
    client.force_login(user)
    request = RequestFactory().post("/accounts/2fa/authenticate/")
    request.user = user
    request.session = client.session
    record_authentication(request, user, method="password", email=user.email)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    post_authentication(request, totp)
    request.session.save()
    return client


def sign_in(client, user):
    """Two factors when the person has them, the password alone otherwise."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return log_in_with_two_factors(client, user)
    client.force_login(user)
    return client


def reauthenticate_in_browser_api(api_client, password: str) -> None:
    """Confirm the password through allauth's headless browser endpoint (the cookie session)."""
    response = api_client.post(
        "/_allauth/browser/v1/auth/reauthenticate", {"password": password}, format="json"
    )
    assert response.status_code == 200, response.content
