"""What the diary keeps of a person, for their data export and their account's deletion
(registered as "accounts.export" and "accounts.erase" in `DiaryConfig.ready`)."""

from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.selectors import export_rows
from nutrition.diary import selectors
from nutrition.diary.models import (
    DiaryEntry,
    DiaryState,
    FavouriteFood,
    OwnFood,
    Recipe,
    RecipeIngredient,
    Supplement,
    SupplementIntake,
)
from nutrition.foods import services as food_services
from nutrition.foods.models import FoodNutrient, Portion


def export_for(user: User) -> dict[str, list[dict[str, Any]]]:
    own_ids = list(OwnFood.objects.filter(user=user).values_list("food_id", flat=True))
    return {
        "diary.DiaryEntry": export_rows(
            DiaryEntry.objects.for_user(user).select_related("food", "portion").order_by("date"),
            [
                "date",
                "meal",
                "food_id",
                "food.name",
                "grams",
                "quantity",
                "portion_label",
                "magnesium_mg",
                "origin_note",
                "created_at",
            ],
        ),
        "diary.Supplement": export_rows(
            Supplement.objects.filter(user=user),
            ["id", "name", "form", "elemental_mg_per_unit", "compound_mg_per_unit", "archived"],
        ),
        "diary.SupplementIntake": export_rows(
            SupplementIntake.objects.for_user(user).select_related("supplement"),
            ["date", "supplement_id", "supplement.name", "units", "taken_at", "magnesium_mg"],
        ),
        "diary.FavouriteFood": export_rows(
            FavouriteFood.objects.filter(user=user).select_related("food"),
            ["food_id", "food.name", "created_at"],
        ),
        "diary.OwnFood": export_rows(
            selectors.own_foods(user=user),
            [
                "id",
                "name",
                "data_type",
                "magnesium_mg_per_100g",
                "energy_kcal_per_100g",
                "net_carbs_g_per_100g",
                "created_at",
            ],
        ),
        "diary.OwnFood.values": export_rows(
            FoodNutrient.objects.filter(food_id__in=own_ids).select_related("nutrient"),
            ["food_id", "nutrient.key", "nutrient.unit", "amount_per_100g"],
        ),
        "diary.OwnFood.portions": export_rows(
            Portion.objects.filter(food_id__in=own_ids),
            ["food_id", "amount", "description", "gram_weight"],
        ),
        "diary.Recipe": export_rows(
            Recipe.objects.filter(food_id__in=own_ids), ["food_id", "servings"]
        ),
        "diary.RecipeIngredient": export_rows(
            RecipeIngredient.objects.filter(recipe__food_id__in=own_ids).select_related("food"),
            ["recipe_id", "food_id", "food.name", "grams"],
        ),
        "diary.DiaryState": export_rows(
            DiaryState.objects.filter(user=user), ["net_carbs_budget_g"]
        ),
    }


@transaction.atomic
def erase_for(user: User) -> None:
    """Remove the person's diary, then their own foods and recipes (which the food database
    keeps, with their history, until now)."""
    own_ids = list(OwnFood.objects.filter(user=user).values_list("food_id", flat=True))
    SupplementIntake.objects.filter(user=user).delete()
    DiaryEntry.objects.filter(user=user).delete()
    FavouriteFood.objects.filter(user=user).delete()
    RecipeIngredient.objects.filter(recipe__food_id__in=own_ids).delete()
    Supplement.objects.filter(user=user).delete()
    food_services.private_foods_delete(food_ids=own_ids)
    DiaryState.objects.filter(user=user).delete()
