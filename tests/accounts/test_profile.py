import datetime as dt

import pytest

from accounts.models import Profile
from tests.conftest import throttle_queries


@pytest.mark.django_db
def test_profile_page_saves_valid_details(user_client, user):
    response = user_client.post(
        "/profile/",
        {
            "sex": "female",
            "birth_date": "1990-06-15",
            "life_stage": "pregnant",
            "timezone": "Europe/Berlin",
            "units": "metric",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.sex == "female" and profile.life_stage == "pregnant"
    assert profile.birth_date == dt.date(1990, 6, 15) and profile.timezone == "Europe/Berlin"
    assert "Your profile is saved." in user_client.get("/profile/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sex": "male", "life_stage": "lactating"}, "life_stage", "only when sex is female"),
        ({"birth_date": "2999-01-01"}, "birth_date", "not in the future"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list"),
        (
            {"sex": "female", "birth_date": "1950-01-01", "life_stage": "pregnant"},
            "life_stage",
            "ages 14 to 50",
        ),
    ],
)
def test_profile_page_explains_bad_input_and_saves_nothing(user_client, user, data, field, message):
    before = Profile.objects.get(user=user).updated_at
    response = user_client.post(
        "/profile/", {"timezone": "UTC", "units": "metric", "life_stage": "none", **data}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Profile.objects.get(user=user).updated_at == before


@pytest.mark.django_db
def test_profile_api_reads_and_patches(user_api, user, django_assert_max_num_queries):
    with django_assert_max_num_queries(4 + throttle_queries()):
        response = user_api.get("/api/v1/me/profile/")
    assert response.status_code == 200
    assert response.json() == {
        "email": user.email,
        "name": user.name,
        "sex": "",
        "birth_date": None,
        "life_stage": "none",
        "kidney_disease": False,
        "timezone": "UTC",
        "units": "metric",
        "weekly_summary": False,
        "clinic_digest": True,
    }
    response = user_api.patch(
        "/api/v1/me/profile/",
        {"sex": "female", "birth_date": "1990-06-15", "kidney_disease": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["sex"] == "female" and response.json()["kidney_disease"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sex": "other"}, "sex"),
        ({"life_stage": "lactating", "sex": "male"}, "life_stage"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1990-02-30"}, "birth_date"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"kidney_disease": "perhaps"}, "kidney_disease"),
    ],
)
def test_profile_api_rejects_bad_input_with_400_and_saves_nothing(user_api, user, payload, field):
    before = Profile.objects.get(user=user).updated_at
    response = user_api.patch("/api/v1/me/profile/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Profile.objects.get(user=user).updated_at == before


@pytest.mark.django_db
def test_profile_api_ignores_attempts_to_change_someone_else(user_api, user, other_user):
    response = user_api.patch(
        "/api/v1/me/profile/", {"user": other_user.pk, "email": "x@example.com"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["email"] == user.email


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "unverified"])
def test_profile_api_refuses_anonymous_and_unverified(api_client, unverified_user, role):
    if role == "unverified":
        api_client.force_login(unverified_user)
    assert api_client.get("/api/v1/me/profile/").status_code == 403
    assert api_client.patch("/api/v1/me/profile/", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_app_clients_use_the_headless_session_token(api_client, user, password):
    login = api_client.post(
        "/_allauth/app/v1/auth/login",
        {"email": user.email, "password": password},
        format="json",
    )
    assert login.status_code == 200, login.content
    token = login.json()["meta"]["session_token"]
    from tests.conftest import HttpsAPIClient

    app = HttpsAPIClient()
    response = app.get("/api/v1/me/profile/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert app.get("/api/v1/me/profile/", HTTP_X_SESSION_TOKEN="forged").status_code == 403
