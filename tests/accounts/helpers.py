import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


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
