"""Services for a person's own foods and recipes: private foods in the food database (which
keeps their values) linked to the person here (`OwnFood`), logged like any other food.

A custom food is entered per serving, as labels print it, and stored per 100 g. A recipe's
values per 100 g are computed exactly from its ingredients whenever they change.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from nutrition import amounts
from nutrition.diary import pickers, selectors
from nutrition.diary.models import MAX_ENTRY_GRAMS, DiaryEntry, OwnFood, Recipe, RecipeIngredient
from nutrition.diary.services import _decimal, _Errors, _food_for, _grams_from
from nutrition.foods import services as food_services
from nutrition.foods.bounds import MAX_PORTION_GRAMS, MIN_PORTION_GRAMS, portion_grams_problem
from nutrition.foods.models import Food, FoodNutrient, Portion

# What a custom food's form asks for, per serving: key -> (label, unit, upper bound per serving).
# A serving holds at most 5 kg of anything (the largest entry); per 100 g the food database's
# physical bounds apply too (nutrition.foods.bounds).
CUSTOM_NUTRIENTS: dict[str, tuple[str, str, Decimal]] = {
    "magnesium": ("Magnesium", "mg", Decimal("5000")),
    "energy_kcal": ("Energy", "kcal", Decimal("10000")),
    "carbohydrate": ("Carbohydrate", "g", Decimal("5000")),
    "fiber": ("Fibre", "g", Decimal("5000")),
    "sugars": ("Sugars", "g", Decimal("5000")),
    "protein": ("Protein", "g", Decimal("5000")),
    "fat": ("Fat", "g", Decimal("5000")),
    "calcium": ("Calcium", "mg", Decimal("50000")),
    "potassium": ("Potassium", "mg", Decimal("50000")),
}
NAME_MAX = 200
MAX_SERVINGS = 100


def _check_food_name(errors: _Errors, name: Any) -> str:
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        errors.add("name", "Give the food a name.")
    elif len(cleaned) > NAME_MAX:
        errors.add("name", f"Keep the name under {NAME_MAX} characters.")
    return cleaned


def _serving_grams(errors: _Errors, raw: Any) -> Decimal | None:
    """The serving's weight as stored: a real portion, and no more than one entry may hold."""
    grams = _decimal(raw)
    if grams is None:
        problem = "Enter the serving's weight in grams."
    elif grams > MAX_ENTRY_GRAMS:
        problem = f"Enter a weight of at most {MAX_ENTRY_GRAMS:,} g."
    else:
        problem = portion_grams_problem(amounts.stored(grams, "0.001"))
    if problem:
        errors.add("serving_grams", problem)
        return None
    return amounts.stored(grams, "0.001")


def _own(user: User, food: Food) -> Food:
    OwnFood.objects.create(food=food, user=user)
    return food


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
    grams = _serving_grams(errors, serving_grams)
    values: dict[str, Decimal] = {}
    for key, raw in per_serving.items():
        if key not in CUSTOM_NUTRIENTS or raw in (None, ""):
            continue
        amount = _decimal(raw)
        label, unit, limit = CUSTOM_NUTRIENTS[key]
        if amount is None or amount < 0 or amount > limit:
            errors.add(key, f"Enter the {label.lower()} per serving in {unit}, 0 to {limit:,}.")
        else:
            values[key] = amount
    if "magnesium" not in values and "magnesium" not in errors:
        errors.add("magnesium", "Enter the magnesium per serving (0 if the label has none).")
    per_100g: dict[str, Decimal] = {}
    if grams is not None:
        per_100g = {key: amounts.per_100g(value, grams) for key, value in values.items()}
        for key, problem in food_services.values_problems(per_100g).items():
            # Said per serving, as the person entered it.
            errors.add(key, f"{problem} Check the amount and the serving's weight.")
    errors.raise_if_any()
    food = food_services.private_food_create(
        name=cleaned,
        data_type=Food.DataType.CUSTOM,
        serving_description=description,
        serving_grams=grams,
    )
    food_services.food_values_replace(food=food, per_100g=per_100g)
    return _own(user, food)


@transaction.atomic
def recipe_create(*, user: User, name: str, servings: int | str) -> Recipe:
    """An empty recipe; ingredients are added one by one and the values follow."""
    errors = _Errors()
    cleaned = _check_food_name(errors, name)
    count = _decimal(servings)
    if count is None or count != count.to_integral_value() or not 1 <= count <= MAX_SERVINGS:
        errors.add(
            "servings", f"Enter how many servings the recipe makes, from 1 to {MAX_SERVINGS}."
        )
    errors.raise_if_any()
    # The serving's weight follows the ingredients (see _recipe_recompute).
    food = food_services.private_food_create(
        name=cleaned,
        data_type=Food.DataType.RECIPE,
        serving_description="serving",
        serving_grams=amounts.ONE,
    )
    _own(user, food)
    return Recipe.objects.create(food=food, servings=int(count))


def _recipe_values(recipe: Recipe) -> tuple[Decimal, dict[str, Decimal]]:
    """The recipe's total weight and exact nutrient amounts, from its ingredients."""
    grams_by_food: dict[int, Decimal] = defaultdict(Decimal)
    for food_id, grams in RecipeIngredient.objects.filter(recipe=recipe).values_list(
        "food_id", "grams"
    ):
        grams_by_food[food_id] += grams
    exact: dict[str, Decimal] = defaultdict(Decimal)
    for food_id, key, per_100g in (
        FoodNutrient.objects.filter(food_id__in=grams_by_food)
        .exclude(nutrient__key="magnesium")
        .values_list("food_id", "nutrient__key", "amount_per_100g")
    ):
        exact[key] += amounts.in_grams(grams_by_food[food_id], per_100g)
    # Magnesium from each food's own figure (the one every page shows), unknown left out.
    magnesium = [
        amounts.in_grams(grams_by_food[food_id], per_100g)
        for food_id, per_100g in Food.objects.filter(pk__in=grams_by_food).values_list(
            "pk", "magnesium_mg_per_100g"
        )
        if per_100g is not None
    ]
    if magnesium:
        exact["magnesium"] = amounts.total(magnesium)
    return amounts.total(grams_by_food.values()), dict(exact)


def _recipe_recompute(recipe: Recipe) -> None:
    """Per-100-g values and the serving's weight from the ingredients.

    The values are a weighted mean of the ingredients' (Σ gᵢ·vᵢ / Σ gᵢ ≤ maxᵢ vᵢ), so they
    stay within the bounds the ingredients' own values keep. The serving is at least 0.1 g
    (the smallest portion the food database keeps); `recipe_ingredient_add` refuses one
    above 10 kg."""
    food = recipe.food
    total_grams, exact = _recipe_values(recipe)
    if total_grams <= 0:
        food_services.food_values_replace(food=food, per_100g={})
        Portion.objects.filter(food=food, seq=1).update(gram_weight=amounts.ONE)
        return
    food_services.food_values_replace(
        food=food,
        per_100g={key: amounts.per_100g(value, total_grams) for key, value in exact.items()},
    )
    serving = amounts.stored(total_grams / recipe.servings, "0.001")
    Portion.objects.filter(food=food, seq=1).update(gram_weight=max(serving, MIN_PORTION_GRAMS))


def _own_recipe(user: User, recipe: Recipe) -> None:
    if not OwnFood.objects.filter(food_id=recipe.food_id, user_id=user.pk).exists():
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
    if total is not None:
        weight = amounts.total(recipe.ingredients.values_list("grams", flat=True)) + total
        if amounts.stored(weight / recipe.servings, "0.001") > MAX_PORTION_GRAMS:
            errors.add(
                "grams" if portion_id in (None, "") else "quantity",
                f"A serving of this recipe would weigh more than {MAX_PORTION_GRAMS:,} g: "
                "make it more servings, or a smaller recipe.",
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
    """Delete one of the person's own foods or recipes, unless the diary or a recipe still
    uses it."""
    if not selectors.own_foods(user=user).filter(pk=food.pk).exists():
        raise Food.DoesNotExist
    if DiaryEntry.objects.filter(food=food).exists():
        raise ValidationError(
            {"food": "This food is in your diary. Remove those entries first to delete it."}
        )
    if RecipeIngredient.objects.filter(food=food).exists():
        raise ValidationError({"food": "A recipe uses this food. Remove it there first."})
    RecipeIngredient.objects.filter(recipe__food=food).delete()
    food_services.private_foods_delete(food_ids=[food.pk])
    pickers.mark_changed(user)  # it may have been a favourite
