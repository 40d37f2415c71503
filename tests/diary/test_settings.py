"""The diary's own settings: the net-carbohydrate budget for close-the-gap suggestions."""

import pytest

from nutrition.diary.models import DiaryState


def budget(user):
    state = DiaryState.objects.filter(user=user).first()
    return state.net_carbs_budget_g if state else None


@pytest.mark.django_db
def test_carb_budget_is_set_and_cleared_through_the_api(user_api, user):
    assert user_api.get("/api/v1/me/diary-settings/").json() == {"net_carbs_budget_g": None}
    response = user_api.patch("/api/v1/me/diary-settings/", {"net_carbs_budget_g": 30})
    assert response.status_code == 200 and response.json()["net_carbs_budget_g"] == 30.0
    assert budget(user) == 30
    response = user_api.patch("/api/v1/me/diary-settings/", {"net_carbs_budget_g": None})
    assert response.status_code == 200 and response.json()["net_carbs_budget_g"] is None
    assert budget(user) is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-1, 1001, "lots", "NaN", 12.34])
def test_bad_budgets_answer_400_and_save_nothing(user_api, user, value):
    user_api.patch("/api/v1/me/diary-settings/", {"net_carbs_budget_g": 25})
    response = user_api.patch("/api/v1/me/diary-settings/", {"net_carbs_budget_g": value})
    assert response.status_code == 400
    assert "net_carbs_budget_g" in response.json()
    assert budget(user) == 25


@pytest.mark.django_db
def test_settings_are_the_persons_own(api_client, user_api, user, other_user):
    user_api.patch("/api/v1/me/diary-settings/", {"net_carbs_budget_g": 25})
    api_client.force_authenticate(other_user)
    assert api_client.get("/api/v1/me/diary-settings/").json() == {"net_carbs_budget_g": None}
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/me/diary-settings/").status_code == 403
