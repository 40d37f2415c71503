import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Profile, User
from tests.accounts.helpers import confirmation_path, log_in, reauthenticate

PASSWORD = "a calm and very long passphrase"


def sign_up(client, email="new@example.com", password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


@pytest.mark.django_db
def test_sign_up_sends_verification_and_blocks_login_until_verified(
    client, django_capture_on_commit_callbacks
):
    # The e-mail is an outbox row, sent by a job once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new@example.com")
    assert Profile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]

    fresh = client.__class__()
    response = log_in(fresh, "new@example.com", PASSWORD)
    assert response["Location"] == "/accounts/confirm-email/"
    assert fresh.get("/profile/").status_code == 302

    path = confirmation_path(mail.outbox[-1].body)
    assert fresh.get(path).status_code == 200
    assert fresh.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = log_in(fresh, "new@example.com", PASSWORD)
    assert response.status_code == 302
    assert fresh.get("/profile/").status_code == 200


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    sign_up(client)
    assert User.objects.get(email="new@example.com").password.startswith("argon2$")


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["password123", "short", "12345678901234"])
def test_weak_passwords_are_refused(client, weak):
    response = sign_up(client, password=weak)
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.django_db
def test_long_unicode_passphrase_is_accepted(client):
    passphrase = "Ünïcödé pässphräse wïth 64 chäräcters — fine for everyone ✓✓✓✓✓"[:64]
    assert sign_up(client, password=passphrase).status_code == 302
    assert User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_sign_up_with_a_taken_address_looks_the_same(client, user):
    fresh = sign_up(client, email="fresh@example.com")
    taken = sign_up(client.__class__(), email=user.email)
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]
    assert User.objects.filter(email=user.email).count() == 1


@pytest.mark.django_db
def test_password_reset_does_not_reveal_who_has_an_account(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": user.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 2  # a reset link, and a "no account here" note


@pytest.mark.django_db
def test_repeated_failed_logins_answer_429(client, user):
    statuses = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


@pytest.mark.django_db
def test_spoofed_forwarded_for_does_not_reset_the_login_limit(client, user):
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_login_gives_a_new_session_and_logout_ends_it(client, user, password):
    client.get("/accounts/login/")
    log_in(client, user.email, password)
    key = client.cookies["__Host-sessionid"].value
    assert client.get("/profile/").status_code == 200
    client.post("/accounts/logout/")
    replay = client.__class__()
    replay.cookies["__Host-sessionid"] = key
    assert replay.get("/profile/").status_code == 302


@pytest.mark.django_db
def test_deactivated_user_is_signed_out(client, user, password):
    log_in(client, user.email, password)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/profile/").status_code == 302


@pytest.mark.django_db
def test_password_change_sends_a_security_notification(
    client, user, password, django_capture_on_commit_callbacks
):
    log_in(client, user.email, password)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": password, "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert any("password" in m.subject.lower() for m in mail.outbox)


@pytest.mark.django_db
def test_people_can_add_another_email_address_after_reauthenticating(client, user, password):
    log_in(client, user.email, password)
    first = client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})
    assert first["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client, password)
    response = client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=user, email="second@example.com").exists()


@pytest.mark.django_db
def test_people_see_and_end_their_sessions(user, password):
    from tests.conftest import HttpsClient

    laptop, phone = HttpsClient(), HttpsClient()
    log_in(laptop, user.email, password)
    log_in(phone, user.email, password)
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    from allauth.usersessions.models import UserSession

    assert UserSession.objects.filter(user=user).count() == 2
    laptop.post("/accounts/sessions/", {"action": "logout"})
    assert phone.get("/profile/").status_code == 302
    assert laptop.get("/profile/").status_code == 200


@pytest.mark.django_db
def test_home_page_invites_visitors_and_offers_search(client):
    body = client.get("/").content.decode()
    assert 'action="/foods/"' in body and 'name="q"' in body
    assert "/accounts/signup/" in body


@pytest.mark.django_db
def test_signed_in_people_land_on_their_diary(user_client):
    response = user_client.get("/")
    assert response.status_code == 302 and response["Location"] == "/diary/"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["browser", "app"])
def test_headless_login_answers_429_once_locked(client, user, kind):
    def attempt():
        return client.post(
            f"/_allauth/{kind}/v1/auth/login",
            {"email": user.email, "password": "wrong"},
            content_type="application/json",
        )

    assert [attempt().status_code for _ in range(5)] == [400] * 5
    locked = attempt()
    assert locked.status_code == 429
    body = locked.json()
    assert body["status"] == 429
    assert [e["code"] for e in body["errors"]] == ["too_many_login_attempts"]


@pytest.mark.django_db
def test_headless_two_factor_code_answers_429_once_locked(client, user, password):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    pending = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": user.email, "password": password},
        content_type="application/json",
    )
    assert pending.status_code == 401  # the code is still to come
    statuses = [
        client.post(
            "/_allauth/browser/v1/auth/2fa/authenticate",
            {"code": "000000"},
            content_type="application/json",
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
