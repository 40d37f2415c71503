import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import Profile, User
from accounts.selectors import NOT_EXPORTED
from nutrition.clinic.personal_data import NOT_EXPORTED as CLINIC_NOT_EXPORTED
from nutrition.diary import custom_foods
from nutrition.foods.models import Food, FoodNutrient, Portion
from tests.accounts.helpers import log_in, reauthenticate, reauthenticate_in_browser_api
from tests.factories import PASSWORD, UserFactory


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


def user_links() -> set[tuple[str, str]]:
    """(model label, field) for every column that points at an account."""
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    }


def export_of(client, user) -> dict:
    """The person's export through the profile page's button (after signing in)."""
    client.force_login(user)
    reauthenticate(client, PASSWORD)
    response = client.post("/profile/export/")
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


@pytest.mark.django_db
def test_every_link_to_an_account_is_exported_or_left_out_for_a_stated_reason(client, user):
    data = export_of(client, user)["data"]
    left_out = {**NOT_EXPORTED, **CLINIC_NOT_EXPORTED}
    missing = [
        f"{label}.{field}"
        for label, field in sorted(user_links())
        if label not in data and f"{label}.{field}" not in left_out
    ]
    assert missing == []
    assert {"accounts.Profile", "account.EmailAddress", "diary.DiaryEntry"} <= set(data)
    # Every stated reason is about a link that exists (no stale entries).
    assert set(left_out) <= {f"{label}.{field}" for label, field in user_links()}


@pytest.mark.django_db
def test_export_never_contains_secrets_or_other_peoples_rows(client, user, other_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    body = export_of(client, user)
    text = json.dumps(body)
    assert secret not in text
    assert other_user.email not in text
    assert body["data"]["mfa.Authenticator"][0]["type"] == "totp"
    assert body["user"]["email"] == user.email
    assert "password" not in text


@pytest.mark.django_db
def test_a_dietitians_export_contains_nothing_of_any_client(client):
    """A dietitian's clients (their profiles, notes written to them, invitations, targets set
    for them) are the clients' data, not the dietitian's: only counts are exported."""
    from nutrition.clinic import services as clinic_services
    from nutrition.clinic.models import CareRelationship

    dietitian = UserFactory(is_dietitian=True, name="Dee Titian")
    client_person = UserFactory(name="Quentin Clientname", email="quentin@example.org")
    Profile.objects.filter(user=client_person).update(
        sex="male", birth_date=date(1961, 7, 19), kidney_disease=True, timezone="Asia/Tokyo"
    )
    CareRelationship.objects.create(dietitian=dietitian, client=client_person)
    clinic_services.note_create(
        dietitian=dietitian, client=client_person, text="Zebrafish-level secret advice"
    )
    clinic_services.personal_target_set(
        dietitian=dietitian, client=client_person, magnesium_mg=Decimal("377.7")
    )
    clinic_services.invitation_create(
        dietitian=dietitian, client_email="prospect@example.org", base_url="https://x/"
    )
    body = export_of(client, dietitian)
    text = json.dumps(body)
    for secret in (
        "quentin",
        "Clientname",
        "1961",
        "Asia/Tokyo",
        "Zebrafish",
        "377.7",
        "prospect@example.org",
    ):
        assert secret.lower() not in text.lower(), secret
    assert body["data"]["clinic.as_dietitian"] == [
        {"clients_cared_for": 1, "notes_written": 1, "invitations_sent": 1}
    ]


@pytest.mark.django_db
def test_the_client_exports_their_own_care_record(client):
    from nutrition.clinic import services as clinic_services
    from nutrition.clinic.models import CareRelationship

    dietitian = UserFactory(is_dietitian=True)
    person = UserFactory()
    CareRelationship.objects.create(dietitian=dietitian, client=person)
    clinic_services.note_create(dietitian=dietitian, client=person, text="More seeds")
    clinic_services.personal_target_set(
        dietitian=dietitian, client=person, magnesium_mg=Decimal("377")
    )
    data = export_of(client, person)["data"]
    assert data["clinic.ClientNote"][0]["text"] == "More seeds"
    assert data["clinic.PersonalTarget"][0]["magnesium_mg"] == 377.0
    assert data["clinic.CareRelationship"][0]["dietitian.email"] == dietitian.email
    assert data["clinic.as_dietitian"] == []


@pytest.mark.django_db
def test_export_includes_own_foods_with_their_values_portions_and_recipes(client, user):
    from tests.foods.factories import FoodFactory, NutrientFactory

    NutrientFactory(key="magnesium", usda_number="304", name="Magnesium, Mg", unit="mg")
    bar = custom_foods.custom_food_create(
        user=user,
        name="Seed bar",
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "120"},
    )
    recipe = custom_foods.recipe_create(user=user, name="Grandma's lentil soup", servings=4)
    lentils = FoodFactory(name="Lentils, boiled")
    custom_foods.recipe_ingredient_add(user=user, recipe=recipe, food_id=lentils.pk, grams="200")
    data = export_of(client, user)["data"]
    assert sorted(f["name"] for f in data["diary.OwnFood"]) == ["Grandma's lentil soup", "Seed bar"]
    values = [v for v in data["diary.OwnFood.values"] if v["food_id"] == bar.pk]
    assert values == [
        {
            "food_id": bar.pk,
            "nutrient.key": "magnesium",
            "nutrient.unit": "mg",
            "amount_per_100g": 300.0,
        }
    ]
    assert {"food_id": bar.pk, "amount": 1.0, "description": "bar", "gram_weight": 40.0} in data[
        "diary.OwnFood.portions"
    ]
    assert data["diary.Recipe"] == [{"food_id": recipe.food_id, "servings": 4}]
    assert [(i["food_id"], i["grams"]) for i in data["diary.RecipeIngredient"]] == [
        (lentils.pk, 200.0)
    ]


@pytest.mark.django_db
def test_export_button_asks_for_the_password_first(client, user, password):
    client.force_login(user)  # a session without a fresh sign-in
    response = client.post("/profile/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client, password)
    response = client.post("/profile/export/")
    assert response.status_code == 200
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

    from tests.diary.factories import DiaryEntryFactory
    from tests.foods.factories import NutrientFactory

    TOTP.activate(user, generate_totp_secret())
    NutrientFactory(key="magnesium", usda_number="304", name="Magnesium, Mg", unit="mg")
    own = custom_foods.custom_food_create(
        user=user,
        name="My seed bar",
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "120"},
    )
    DiaryEntryFactory(user=user, food=own)
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
    # The person's own food went too, with its values, portion and every history copy.
    assert not Food.objects.filter(pk=own.pk).exists()
    assert not FoodNutrient.objects.filter(food_id=own.pk).exists()
    assert not Portion.objects.filter(food_id=own.pk).exists()
    assert not Food.history.filter(id=own.pk).exists()
    assert not FoodNutrient.history.filter(food_id=own.pk).exists()
    assert not Portion.history.filter(food_id=own.pk).exists()
    assert Profile.objects.filter(user=other_user).exists()
    assert EmailAddress.objects.filter(user=other_user).exists()
    assert client.get("/profile/").status_code == 302


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
    # The sign-in itself counts for five minutes, then the token's session must confirm.
    assert api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token).status_code == 200
    later = timezone.now() + timedelta(seconds=301)
    with freeze_time(later):
        assert_asks_to_reauthenticate(api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token))
        # A browser session's re-authentication does not count for the app's token.
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
    with freeze_time(later + timedelta(seconds=301)):
        assert_asks_to_reauthenticate(api_client.get(EXPORT, HTTP_X_SESSION_TOKEN=token))


@pytest.mark.django_db
def test_a_sign_in_counts_as_a_reauthentication_for_five_minutes(
    client, api_client, user, password
):
    log_in(client, user.email, password)
    assert client.post("/profile/export/").status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        response = client.post("/profile/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    # The JSON API, on the same browser session.
    api_client.cookies = client.cookies
    assert api_client.get(EXPORT).status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        assert_asks_to_reauthenticate(api_client.get(EXPORT))


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
