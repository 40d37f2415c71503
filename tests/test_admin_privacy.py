"""Staff cannot browse diaries in the admin: no diary, supplement, favourite or recipe pages, no
person's private foods among the foods, no health details on the user's page, no note texts.
Support sees how much a person has, never what. Staff here passed both factors."""

from datetime import date
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Profile
from nutrition.clinic.models import CareRelationship, ClientNote
from nutrition.diary.models import FavouriteFood, Recipe, RecipeIngredient
from tests.accounts.helpers import log_in_with_two_factors
from tests.conftest import HttpsClient
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIARY_ADMIN = [
    "/admin/diary/",
    "/admin/diary/diaryentry/",
    "/admin/diary/supplementintake/",
    "/admin/diary/supplement/",
    "/admin/diary/favouritefood/",
    "/admin/diary/recipe/",
    "/admin/diary/recipeingredient/",
]


@pytest.fixture
def admin(staff_user) -> HttpsClient:
    TOTP.activate(staff_user, generate_totp_secret())
    return log_in_with_two_factors(HttpsClient(), staff_user)


@pytest.fixture
def diary(user):
    """A person's diary: two entries, a dose of a named supplement, a private food and recipe,
    a favourite, a health profile."""
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1984, 3, 9), kidney_disease=True
    )
    bar = FoodFactory(owner=user, name="Auntie's secret flapjack", data_type="custom")
    salad = FoodFactory(owner=user, name="Hangover salad", data_type="recipe")
    recipe = Recipe.objects.create(food=salad, servings=2)
    RecipeIngredient.objects.create(recipe=recipe, food=bar, grams=Decimal("50"))
    DiaryEntryFactory(user=user, food=bar, date=date(2026, 2, 3))
    DiaryEntryFactory(user=user, food=salad, date=date(2026, 2, 3))
    pills = SupplementFactory(user=user, name="Midnight relaxing glycinate")
    SupplementIntakeFactory(supplement=pills, date=date(2026, 2, 3))
    FavouriteFood.objects.create(user=user, food=bar)
    return {"bar": bar, "salad": salad, "pills": pills}


SECRETS = ("Auntie&#x27;s secret flapjack", "Hangover salad", "Midnight relaxing glycinate")


def test_the_admin_has_no_diary_pages(admin, diary):
    for path in DIARY_ADMIN:
        assert admin.get(path).status_code == 404, path
    index = admin.get("/admin/").content.decode()
    assert "Diary entries" not in index and "Supplement intakes" not in index
    assert "/admin/diary/" not in index


def test_the_user_page_counts_the_diary_without_showing_it(admin, user, diary):
    page = admin.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "diary entries: 2, doses: 1, supplements: 1, own foods: 2" in html
    for secret in SECRETS:
        assert secret not in html
    # The health profile is the person's: no sex, birth date or kidney disease here.
    assert (
        "1984" not in html and "kidney" not in html.lower() and 'name="profile-0-sex"' not in html
    )


def test_private_foods_are_not_in_the_food_admin(admin, diary):
    public = FoodFactory(name="Spinach, raw")
    listed = admin.get("/admin/foods/food/").content.decode()
    assert "Spinach, raw" in listed
    for secret in SECRETS[:2]:
        assert secret not in listed
    for query in ("flapjack", "Hangover", str(diary["bar"].pk)):
        found = admin.get("/admin/foods/food/", {"q": query}).content.decode()
        assert "secret flapjack" not in found and "Hangover salad" not in found, query
        assert "0 foods" in found or "0 results" in found, query
    for food in (diary["bar"], diary["salad"]):
        change = admin.get(f"/admin/foods/food/{food.pk}/change/")
        assert change.status_code == 302 and change["Location"] == "/admin/"
        assert admin.get(f"/admin/foods/food/{food.pk}/history/").status_code == 404
        version = food.history.latest().history_id
        history_form = f"/admin/foods/food/{food.pk}/history/{version}/"
        assert admin.get(history_form).status_code == 404
        assert admin.post(f"/admin/foods/food/{food.pk}/delete/").status_code == 302
    assert admin.get(f"/admin/foods/food/{public.pk}/change/").status_code == 200
    assert admin.get(f"/admin/foods/food/{public.pk}/history/").status_code == 200


def test_bulk_actions_never_touch_private_foods(admin, diary):
    bar = diary["bar"]
    admin.post(
        "/admin/foods/food/",
        {"action": "mark_verified", "_selected_action": [bar.pk]},
    )
    bar.refresh_from_db()
    assert bar.verified is False


def test_note_texts_are_not_shown_to_staff(admin, user):
    dietitian = UserFactory(is_dietitian=True)
    CareRelationship.objects.create(dietitian=dietitian, client=user)
    note = ClientNote.objects.create(
        client=user, author=dietitian, author_name="Dana", text="Worried about the wine intake"
    )
    listed = admin.get("/admin/clinic/clientnote/").content.decode()
    shown = admin.get(f"/admin/clinic/clientnote/{note.pk}/change/")
    assert shown.status_code == 200
    assert "wine" not in listed and "wine" not in shown.content.decode()
    assert admin.post(f"/admin/clinic/clientnote/{note.pk}/change/", {"text": "x"}).status_code in (
        302,
        403,
    )
    assert ClientNote.objects.get(pk=note.pk).text == "Worried about the wine intake"
