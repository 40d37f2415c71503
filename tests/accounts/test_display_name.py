"""One display name: the name a person sets, or their e-mail address; the clinic shows it."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from accounts.models import User
from nutrition.clinic import services
from tests.accounts.helpers import log_in, totp_now
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsClient
from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize(
    ("name", "shown", "with_email"),
    [
        ("Carla Client", "Carla Client", "Carla Client <c@example.com>"),
        ("  Carla  ", "Carla", "Carla <c@example.com>"),
        ("", "c@example.com", "c@example.com"),
        ("   ", "c@example.com", "c@example.com"),
    ],
)
def test_display_name_falls_back_to_the_email_address(name, shown, with_email):
    user = User(email="c@example.com", name=name)
    assert user.display_name == shown == user.get_full_name()
    assert user.name_and_email == with_email


def test_profile_page_sets_and_clears_the_name(user_client, user):
    page = user_client.get("/profile/").content.decode()
    assert re.search(rf'name="name"[^>]*value="{re.escape(user.name)}"', page)
    form = {"name": "  Paula Person ", "timezone": "UTC", "units": "metric", "life_stage": "none"}
    assert user_client.post("/profile/", form).status_code == 302
    user.refresh_from_db()
    assert user.name == "Paula Person"
    assert user_client.post("/profile/", {**form, "name": ""}).status_code == 302
    user.refresh_from_db()
    assert user.name == "" and user.display_name == user.email
    too_long = user_client.post("/profile/", {**form, "name": "x" * 151})
    assert too_long.status_code == 400 and "name" in too_long.context["form"].errors


def test_profile_api_sets_the_name_and_refuses_control_characters(user_api, user):
    response = user_api.patch("/api/v1/me/profile/", {"name": "Paula P"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Paula P"
    response = user_api.patch("/api/v1/me/profile/", {"name": "Paula\x07"}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    user.refresh_from_db()
    assert user.name == "Paula P"


@pytest.fixture
def signed_in_dietitian(db):
    from tests.accounts.helpers import sign_in

    dietitian = make_dietitian(name="Dana Dietitian")
    return dietitian, sign_in(HttpsClient(), dietitian)


def test_the_clinic_shows_clients_by_name_or_email(signed_in_dietitian):
    dietitian, browser = signed_in_dietitian
    named = UserFactory(name="Carla Client", email="carla@example.com")
    unnamed = UserFactory(name="", email="nameless@example.com")
    connect(dietitian, named)
    connect(dietitian, unnamed)

    board = browser.get("/clinic/").content.decode()
    assert f'href="/clinic/clients/{named.pk}/">Carla Client</a>' in board
    assert f'href="/clinic/clients/{unnamed.pk}/">nameless@example.com</a>' in board
    assert board.count("nameless@example.com") == 1  # not again as a second line

    page = browser.get(f"/clinic/clients/{named.pk}/").content.decode()
    assert re.search(r"<h1>Carla Client <span[^>]*>carla@example.com</span></h1>", page)
    assert "<title>Carla Client" in page
    page = browser.get(f"/clinic/clients/{unnamed.pk}/").content.decode()
    assert "<h1>nameless@example.com</h1>" in page

    # The client's own page names who looked: the dietitian, with the address.
    reader = HttpsClient()
    reader.force_login(named)
    profile = reader.get("/profile/").content.decode()
    assert "Dana Dietitian &lt;" in profile and dietitian.email in profile


def test_the_invitation_email_names_the_dietitian(db, django_capture_on_commit_callbacks):
    dietitian = make_dietitian(name="Dana Dietitian")
    unnamed = make_dietitian(name="")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            dietitian=dietitian, client_email="someone@example.com", base_url="https://mg.test"
        )
    assert "Dana Dietitian" in mail.outbox[-1].subject
    assert f"Dana Dietitian ({dietitian.email}) would like" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            dietitian=unnamed, client_email="someone@example.com", base_url="https://mg.test"
        )
    assert f"\n{unnamed.email} would like to review" in mail.outbox[-1].body


@pytest.mark.django_db
def test_a_dietitian_lands_on_the_clinic_after_signing_in(client):
    dietitian = UserFactory(is_dietitian=True)
    secret = generate_totp_secret()
    TOTP.activate(dietitian, secret)
    response = log_in(client, dietitian.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302 and response["Location"] == "/clinic/"
    assert client.get("/clinic/").status_code == 200


@pytest.mark.django_db
def test_a_next_address_still_wins_for_a_dietitian(client):
    dietitian = UserFactory(is_dietitian=True)
    response = client.post(
        "/accounts/login/?next=/foods/", {"login": dietitian.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/foods/"


@pytest.mark.django_db
def test_other_people_land_on_their_diary_as_before(client):
    person = UserFactory()
    response = log_in(client, person.email, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == "/diary/"
