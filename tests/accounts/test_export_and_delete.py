import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import Profile, User
from accounts.selectors import user_related_models
from tests.accounts.helpers import log_in, reauthenticate, reauthenticate_in_browser_api


def rows_referencing(user_pk: int) -> dict[str, int]:
    """Every row in any table whose column points at this user id (constrained or not)."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                count = model._default_manager.filter(**{field.attname: user_pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


@pytest.mark.django_db
def test_export_contains_every_model_linked_to_the_user(reauthenticated_api, user):
    response = reauthenticated_api.get("/api/v1/me/export/")
    assert response.status_code == 200
    body = response.json()
    expected = {f"{model._meta.label}.{field}" for model, field in user_related_models()}
    assert {"accounts.Profile.user", "account.EmailAddress.user"} <= expected
    assert expected <= set(body["data"])
    assert body["user"]["email"] == user.email
    assert body["data"]["account.EmailAddress.user"][0]["email"] == user.email
    assert "password" not in json.dumps(body["user"])


@pytest.mark.django_db
def test_export_never_contains_secrets_or_other_peoples_rows(reauthenticated_api, user, other_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    text = json.dumps(reauthenticated_api.get("/api/v1/me/export/").json())
    assert secret not in text
    assert other_user.email not in text


@pytest.mark.django_db
def test_export_button_asks_for_the_password_first(client, user, password):
    log_in(client, user.email, password)
    response = client.post("/profile/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client, password)
    response = client.post("/profile/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["user"]["email"] == user.email


@pytest.mark.django_db
def test_export_is_refused_to_anonymous_visitors(api_client, client):
    assert api_client.get("/api/v1/me/export/").status_code == 403
    assert client.post("/profile/export/").status_code == 302


@pytest.mark.django_db
def test_deleting_the_account_needs_reauthentication_and_removes_every_row(
    client, user, other_user, password
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get("/profile/delete/").status_code == 200
    response = client.post("/profile/delete/", {"confirm": "delete"})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert User.objects.filter(pk=user.pk).exists()

    reauthenticate(client, password)
    user_pk = user.pk
    assert rows_referencing(user_pk)  # the profile, the address, the authenticator …
    assert client.post("/profile/delete/", {}).status_code == 400  # the box was not ticked
    assert User.objects.filter(pk=user_pk).exists()

    response = client.post("/profile/delete/", {"confirm": "delete"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user_pk).exists()
    assert rows_referencing(user_pk) == {}
    assert Profile.objects.filter(user=other_user).exists()
    assert EmailAddress.objects.filter(user=other_user).exists()
    assert client.get("/profile/").status_code == 302


@pytest.mark.django_db
def test_export_includes_rows_owned_through_the_users_own_rows(reauthenticated_api, user):
    from nutrition.diary.models import Recipe, RecipeIngredient
    from tests.foods.factories import FoodFactory

    food = FoodFactory(owner=user, name="Grandma's lentil soup", data_type="recipe")
    recipe = Recipe.objects.create(food=food, servings=4)
    lentils = FoodFactory(name="Lentils, boiled")
    RecipeIngredient.objects.create(recipe=recipe, food=lentils, grams=200)
    body = reauthenticated_api.get("/api/v1/me/export/").json()
    assert [f["name"] for f in body["data"]["foods.Food.owner"]] == ["Grandma's lentil soup"]
    assert body["data"]["diary.Recipe.food"][0]["servings"] == 4
    ingredients = body["data"]["diary.RecipeIngredient.recipe"]
    assert [(i["food_id"], i["grams"]) for i in ingredients] == [(lentils.pk, 200.0)]


# --- The API export re-authenticates, like the page -----------------------------------------------

EXPORT = "/api/v1/me/export/"
APP = "/_allauth/app/v1"


def assert_asks_to_reauthenticate(response) -> None:
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "reauthentication_required"
    assert "Re-authenticate" in body["detail"]
    assert body["reauthenticate"] == {
        "app": f"{APP}/auth/reauthenticate",
        "browser": "/_allauth/browser/v1/auth/reauthenticate",
    }


@pytest.mark.django_db
def test_api_export_needs_a_reauthentication_in_the_last_five_minutes(api_client, user, password):
    api_client.force_login(user)
    assert_asks_to_reauthenticate(api_client.get(EXPORT))
    reauthenticate_in_browser_api(api_client, password)
    assert api_client.get(EXPORT).status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        assert_asks_to_reauthenticate(api_client.get(EXPORT))


@pytest.mark.django_db
def test_app_export_needs_its_token_session_to_reauthenticate(client, api_client, user, password):
    signed_in = client.post(
        f"{APP}/auth/login",
        {"email": user.email, "password": password},
        content_type="application/json",
    ).json()
    token = signed_in["meta"]["session_token"]
    assert_asks_to_reauthenticate(api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token))
    confirmed = client.post(
        f"{APP}/auth/reauthenticate",
        {"password": password},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert confirmed.status_code == 200
    token = confirmed.json()["meta"].get("session_token", token)
    response = api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200 and response.json()["user"]["email"] == user.email
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        assert_asks_to_reauthenticate(api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token))


@pytest.mark.django_db
def test_export_page_asks_for_the_password_again_after_five_minutes(client, user, password):
    log_in(client, user.email, password)
    reauthenticate(client, password)
    assert client.post("/profile/export/").status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        response = client.post("/profile/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.django_db
def test_schema_documents_the_export_reauthentication_answer(client):
    schema = client.get("/api/schema/?format=json").json()
    answers = schema["paths"]["/api/v1/me/export/"]["get"]["responses"]
    assert "reauthenticate" in json.dumps(answers["403"])
