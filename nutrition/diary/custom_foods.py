"""Services for a person's own foods and recipes: private Food rows (owner = the person,
data source "custom"), logged like any other food.

A custom food is entered per serving, as labels print it, and stored per 100 g. A recipe's
values per 100 g are computed from its ingredients whenever they change.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum

from accounts.models import User
from nutrition.diary import pickers
from nutrition.diary.models import MAX_ENTRY_GRAMS, DiaryEntry, Recipe, RecipeIngredient
from nutrition.diary.selectors import sum_per_100g
from nutrition.diary.services import _decimal, _Errors, _food_for, _grams_from
from nutrition.foods.models import DataSource, Food, FoodNutrient, Nutrient, Portion

CUSTOM_SOURCE = "custom"
# What a custom food's form asks for, per serving: key -> (label, unit, upper bound per serving).
CUSTOM_NUTRIENTS: dict[str, tuple[str, str, Decimal]] = {
    "magnesium": ("Magnesium", "mg", Decimal("5000")),
    "energy_kcal": ("Energy", "kcal", Decimal("10000")),
    "carbohydrate": ("Carbohydrate", "g", MAX_ENTRY_GRAMS),
    "fiber": ("Fibre", "g", MAX_ENTRY_GRAMS),
    "sugars": ("Sugars", "g", MAX_ENTRY_GRAMS),
    "protein": ("Protein", "g", MAX_ENTRY_GRAMS),
    "fat": ("Fat", "g", MAX_ENTRY_GRAMS),
    "calcium": ("Calcium", "mg", Decimal("50000")),
    "potassium": ("Potassium", "mg", Decimal("50000")),
}
_PLACES = Decimal("0.001")


def _custom_source() -> DataSource:
    # The row comes from a data migration; a flushed database gets it back here.
    source, _ = DataSource.objects.get_or_create(
        slug=CUSTOM_SOURCE, defaults={"name": "Custom foods"}
    )
    return source


def _per_100g(amount: Decimal, grams: Decimal) -> Decimal:
    return (amount * 100 / grams).quantize(_PLACES, rounding=ROUND_HALF_UP)


def _net_carbs(values: dict[str, Decimal]) -> Decimal | None:
    if "carbohydrate" not in values:
        return None
    return max(Decimal("0"), values["carbohydrate"] - values.get("fiber", Decimal("0")))


def _save_values(food: Food, per_100g: dict[str, Decimal]) -> None:
    """Store the food's per-100-g values: the summary columns and one row per nutrient."""
    food.magnesium_mg_per_100g = per_100g.get("magnesium")
    food.energy_kcal_per_100g = per_100g.get("energy_kcal")
    food.net_carbs_g_per_100g = _net_carbs(per_100g)
    food.save()
    food.nutrient_values.all().delete()
    nutrients = Nutrient.objects.in_bulk(list(per_100g), field_name="key")
    FoodNutrient.objects.bulk_create(
        FoodNutrient(food=food, nutrient=nutrients[key], amount_per_100g=value)
        for key, value in per_100g.items()
        if key in nutrients
    )


def _check_food_name(errors: _Errors, name: Any) -> str:
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        errors.add("name", "Give the food a name.")
    elif len(cleaned) > 200:
        errors.add("name", "Keep the name under 200 characters.")
    return cleaned


@transaction.atomic
def custom_food_create(
    *,
    user: User,
    name: str,
    serving_description: str,
    serving_grams: Decimal | str,
    per_serving: dict[str, Decimal | str | None],
) -> Food:
    """A private food from a label: its serving and the nutrients in one serving."""
    errors = _Errors()
    cleaned = _check_food_name(errors, name)
    description = (serving_description or "").strip()[:100] or "serving"
    grams = _decimal(serving_grams)
    if grams is None or grams <= 0 or grams > MAX_ENTRY_GRAMS:
        errors.add("serving_grams", "Enter the serving's weight in grams, above 0 and up to 5,000.")
    values: dict[str, Decimal] = {}
    for key, raw in per_serving.items():
        if key not in CUSTOM_NUTRIENTS or raw in (None, ""):
            continue
        amount = _decimal(raw)
        label, unit, limit = CUSTOM_NUTRIENTS[key]
        if amount is None or amount < 0 or amount > limit:
            errors.add(key, f"Enter the {label.lower()} per serving in {unit}, 0 or more.")
        else:
            values[key] = amount
    if "magnesium" not in values and "magnesium" not in errors:
        errors.add("magnesium", "Enter the magnesium per serving (0 if the label has none).")
    errors.raise_if_any()
    food = Food(
        data_source=_custom_source(),
        source_id=f"user-{user.pk}-{uuid.uuid4().hex[:12]}",
        name=cleaned,
        data_type=Food.DataType.CUSTOM,
        owner=user,
        created_by=user,
    )
    _save_values(food, {key: _per_100g(value, grams) for key, value in values.items()})
    Portion.objects.create(food=food, seq=1, amount=1, description=description, gram_weight=grams)
    return food


@transaction.atomic
def recipe_create(*, user: User, name: str, servings: int | str) -> Recipe:
    """An empty recipe; ingredients are added one by one and the values follow."""
    errors = _Errors()
    cleaned = _check_food_name(errors, name)
    count = _decimal(servings)
    if count is None or count != count.to_integral_value() or not 1 <= count <= 100:
        errors.add("servings", "Enter how many servings the recipe makes, from 1 to 100.")
    errors.raise_if_any()
    food = Food.objects.create(
        data_source=_custom_source(),
        source_id=f"user-{user.pk}-{uuid.uuid4().hex[:12]}",
        name=cleaned,
        data_type=Food.DataType.RECIPE,
        owner=user,
        created_by=user,
    )
    # The serving weight follows the ingredients (see _recipe_recompute).
    Portion.objects.create(food=food, seq=1, amount=1, description="serving", gram_weight=1)
    return Recipe.objects.create(food=food, servings=int(count))


def _recipe_recompute(recipe: Recipe) -> None:
    """Per-100-g values and the serving's weight from the ingredients."""
    food = recipe.food
    ingredients = RecipeIngredient.objects.filter(recipe=recipe)
    total_grams = ingredients.aggregate(g=Sum("grams"))["g"] or Decimal("0")
    if total_grams <= 0:
        _save_values(food, {})
        Portion.objects.filter(food=food, seq=1).update(gram_weight=1)
        return
    totals = {
        row["key"]: Decimal(repr(round(row["amount"], 6)))
        for row in FoodNutrient.objects.filter(food__recipe_uses__recipe=recipe)
        .values(key=F("nutrient__key"))
        .annotate(amount=sum_per_100g("food__recipe_uses__grams", "amount_per_100g"))
        .order_by()
    }
    magnesium = ingredients.filter(food__magnesium_mg_per_100g__isnull=False).aggregate(
        mg=sum_per_100g("grams", "food__magnesium_mg_per_100g")
    )["mg"]
    if magnesium is not None:
        totals["magnesium"] = Decimal(repr(round(magnesium, 6)))
    _save_values(food, {key: _per_100g(value, total_grams) for key, value in totals.items()})
    serving = (total_grams / recipe.servings).quantize(_PLACES, rounding=ROUND_HALF_UP)
    Portion.objects.filter(food=food, seq=1).update(gram_weight=max(serving, _PLACES))


def _own_recipe(user: User, recipe: Recipe) -> None:
    if recipe.food.owner_id != user.pk:
        raise Recipe.DoesNotExist


@transaction.atomic
def recipe_ingredient_add(
    *,
    user: User,
    recipe: Recipe,
    food_id: int | str,
    grams: Decimal | str | None = None,
    portion_id: int | str | None = None,
    quantity: Decimal | str | None = None,
) -> RecipeIngredient:
    _own_recipe(user, recipe)
    errors = _Errors()
    food = _food_for(errors, user, food_id)
    if food is not None and food.pk == recipe.food_id:
        errors.add("food", "A recipe cannot contain itself.")
    total, _, _ = _grams_from(
        errors, food=food, grams=grams, portion_id=portion_id, quantity=quantity
    )
    errors.raise_if_any()
    ingredient = RecipeIngredient.objects.create(recipe=recipe, food=food, grams=total)
    _recipe_recompute(recipe)
    pickers.mark_changed(user)  # the recipe may be a recent or favourite food
    return ingredient


@transaction.atomic
def recipe_ingredient_remove(*, user: User, ingredient: RecipeIngredient) -> None:
    recipe = ingredient.recipe
    _own_recipe(user, recipe)
    ingredient.delete()
    _recipe_recompute(recipe)
    pickers.mark_changed(user)


@transaction.atomic
def custom_food_delete(*, user: User, food: Food) -> None:
    """Delete one of the person's own foods, unless the diary or a recipe still uses it."""
    if food.owner_id != user.pk:
        raise Food.DoesNotExist
    if DiaryEntry.objects.filter(food=food).exists():
        raise ValidationError(
            {"food": "This food is in your diary. Remove those entries first to delete it."}
        )
    if RecipeIngredient.objects.filter(food=food).exists():
        raise ValidationError({"food": "A recipe uses this food. Remove it there first."})
    food.delete()
    pickers.mark_changed(user)  # it may have been a favourite
