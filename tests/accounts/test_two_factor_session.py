"""Two factors in *this session*: the admin, the clinic's pages and the clinic's API open only
to a session that entered a code from the second factor, not to a password-only session of an
account that turned two-factor authentication on elsewhere afterwards. App clients with an
`X-Session-Token` are held to the same rule."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages

from tests.accounts.helpers import log_in, totp_now
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
APP = "/_allauth/app/v1"
REAUTHENTICATE = "/accounts/2fa/reauthenticate/"


def password_only_session(user, client):
    """Signed in with the password while the account had no second factor; then the second
    factor is turned on elsewhere (another device, another session)."""
    response = log_in(client, user.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] != "/accounts/2fa/authenticate/"
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def app_login(user) -> dict:
    """The app's sign-in through allauth headless: its answer, JSON."""
    response = HttpsClient().post(
        f"{APP}/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    return response.json()


def app_post(path: str, token: str, data: dict) -> dict:
    response = HttpsClient().post(
        f"{APP}{path}", data, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    return response.json()


def flashed(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- The admin ------------------------------------------------------------------------------------


def test_password_only_admin_session_is_sent_to_enter_a_code_then_gets_in():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = HttpsClient()
    secret = password_only_session(staff, client)

    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert "without your second factor" in flashed(response)
    assert client.get("/admin/").status_code == 302

    entered = client.post(
        f"{REAUTHENTICATE}?next=/admin/accounts/user/", {"code": totp_now(secret)}
    )
    assert entered.status_code == 302 and entered["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_staff_signing_in_with_both_factors_reach_the_admin():
    staff = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client = HttpsClient()
    assert log_in(client, staff.email, PASSWORD)["Location"] == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200


# --- The clinic's pages -------------------------------------------------------------------------


def test_password_only_dietitian_session_is_sent_to_enter_a_code_for_the_clinic():
    dietitian = UserFactory(is_dietitian=True)
    client = HttpsClient()
    secret = password_only_session(dietitian, client)

    response = client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next=%2Fclinic%2F"
    assert "second factor" in flashed(response)

    client.post(f"{REAUTHENTICATE}?next=/clinic/", {"code": totp_now(secret)})
    assert client.get("/clinic/").status_code == 200


def test_dietitian_without_two_factor_is_still_sent_to_set_it_up():
    dietitian = UserFactory(is_dietitian=True)
    client = HttpsClient()
    log_in(client, dietitian.email, PASSWORD)
    response = client.get("/clinic/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    assert "Turn on two-factor authentication" in flashed(response)


# --- The clinic's API: browser session and app token ------------------------------------------


def test_password_only_browser_session_gets_403_from_the_clinic_api():
    dietitian = UserFactory(is_dietitian=True)
    browser = HttpsClient()
    password_only_session(dietitian, browser)
    api = HttpsAPIClient()
    api.cookies = browser.cookies  # the same browser session, calling the API
    response = api.get("/api/v1/clinic/clients/")
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]
    assert "/_allauth/browser/v1/auth/2fa/reauthenticate" in response.json()["detail"]


def test_password_only_app_token_gets_403_until_it_enters_a_code():
    dietitian = UserFactory(is_dietitian=True)
    signed_in = app_login(dietitian)
    assert signed_in["status"] == 200 and signed_in["data"]["user"]["email"] == dietitian.email
    token = signed_in["meta"]["session_token"]
    secret = generate_totp_secret()
    TOTP.activate(dietitian, secret)

    api = HttpsAPIClient()
    response = api.get("/api/v1/clinic/clients/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 403
    assert "/_allauth/app/v1/auth/2fa/reauthenticate" in response.json()["detail"]

    entered = app_post("/auth/2fa/reauthenticate", token, {"code": totp_now(secret)})
    assert entered["status"] == 200
    token = entered["meta"].get("session_token", token)
    assert api.get("/api/v1/clinic/clients/", HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_app_token_that_signed_in_with_both_factors_opens_the_clinic_api():
    dietitian = UserFactory(is_dietitian=True)
    secret = generate_totp_secret()
    TOTP.activate(dietitian, secret)
    pending = app_login(dietitian)
    assert pending["status"] == 401  # the code is still to come
    token = pending["meta"]["session_token"]
    done = app_post("/auth/2fa/authenticate", token, {"code": totp_now(secret)})
    assert done["status"] == 200
    token = done["meta"]["session_token"]
    api = HttpsAPIClient()
    assert api.get("/api/v1/clinic/clients/", HTTP_X_SESSION_TOKEN=token).status_code == 200
