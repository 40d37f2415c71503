import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.accounts.helpers import log_in, log_in_with_two_factors, reauthenticate, totp_now
from tests.conftest import HttpsClient


@pytest.mark.django_db
def test_turning_on_totp_gives_recovery_codes_and_login_then_asks_for_a_code(
    client, user, password
):
    log_in(client, user.email, password)
    reauthenticate(client, password)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200

    fresh = HttpsClient()
    response = log_in(fresh, user.email, password)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert fresh.get("/profile/").status_code == 302
    code = totp_now(secret)
    assert fresh.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert fresh.get("/profile/").status_code == 200

    # The same code cannot be used twice.
    replay = HttpsClient()
    log_in(replay, user.email, password)
    assert replay.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert replay.get("/profile/").status_code == 302


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_staff_without_two_factor_are_sent_to_set_it_up(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"


@pytest.mark.django_db
def test_staff_with_two_factor_reach_the_admin(client, staff_user):
    TOTP.activate(staff_user, generate_totp_secret())
    log_in_with_two_factors(client, staff_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_signed_in_non_staff_cannot_use_the_admin(client, user):
    client.force_login(user)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/admin/accounts/user/").status_code in (302, 403)
