"""Writes to the food database that carry rules: the per-food summary columns, admin edits."""

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from nutrition import amounts
from nutrition.foods.bounds import SUMMARY_LIMITS, per_100g_problem, portion_grams_problem
from nutrition.foods.models import DataSource, Food, FoodNutrient, Nutrient, Portion

MAGNESIUM, ENERGY_KCAL, CARBOHYDRATE, FIBER = "304", "208", "205", "291"
_SUMMARY_NUMBERS = (MAGNESIUM, ENERGY_KCAL, CARBOHYDRATE, FIBER)
_THREE_PLACES = Decimal("0.001")
# Ids per `IN (...)` list: below SQLite's smallest compile-time variable limit (999).
_IN_BATCH = 900


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_THREE_PLACES)


def _bounded(value: Decimal | None, key: str) -> Decimal | None:
    """A summary figure as its column keeps it, or None when it is beyond the column's
    bound: every value is checked on entry, so this only guards against a nutrient whose
    unit is not the one the column counts in (an impossible figure is no figure)."""
    value = _round(value)
    if value is None or not value.is_finite() or not 0 <= value <= SUMMARY_LIMITS[key]:
        return None
    return value


def food_summary_values(
    *,
    magnesium: Decimal | None,
    energy_kcal: Decimal | None,
    carbohydrate: Decimal | None,
    fiber: Decimal | None,
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(magnesium mg, energy kcal, net carbs g) per 100 g, as stored on the food.

    Net carbohydrate is carbohydrate minus fibre, never below 0; unknown fibre counts as 0,
    unknown carbohydrate gives no figure. A figure beyond its column's physical bound
    (`bounds.SUMMARY_LIMITS`) is no figure.
    """
    net_carbs = None
    if carbohydrate is not None and carbohydrate.is_finite():
        fibre = fiber if fiber is not None and fiber.is_finite() else Decimal(0)
        net_carbs = max(carbohydrate - fibre, Decimal(0))
    return (
        _bounded(magnesium, "magnesium"),
        _bounded(energy_kcal, "energy_kcal"),
        _bounded(net_carbs, "carbohydrate"),
    )


def _summary_nutrient_ids() -> dict[int, str]:
    return dict(
        Nutrient.objects.filter(usda_number__in=_SUMMARY_NUMBERS).values_list("pk", "usda_number")
    )


def _summaries(food_ids: list[int], numbers: dict[int, str]) -> dict[int, tuple]:
    amounts: dict[int, dict[str, Decimal]] = {food_id: {} for food_id in food_ids}
    values = FoodNutrient.objects.filter(food_id__in=food_ids, nutrient_id__in=list(numbers))
    for food_id, nutrient_id, amount in values.values_list(
        "food_id", "nutrient_id", "amount_per_100g"
    ):
        amounts[food_id][numbers[nutrient_id]] = amount
    return {
        food_id: food_summary_values(
            magnesium=found.get(MAGNESIUM),
            energy_kcal=found.get(ENERGY_KCAL),
            carbohydrate=found.get(CARBOHYDRATE),
            fiber=found.get(FIBER),
        )
        for food_id, found in amounts.items()
    }


def foods_refresh_summaries(*, food_ids: Iterable[int]) -> int:
    """Bring many foods' magnesium, energy and net-carb columns in line with their nutrient
    values (after an import); returns how many foods changed.

    One UPDATE per changed food through a prepared statement: the ORM's bulk_update builds
    a CASE expression per column that is far slower for thousands of rows. No history rows
    are written: the import itself is the record.
    """
    numbers = _summary_nutrient_ids()
    ids = list(food_ids)
    changed = 0
    # Raw SQL needs the backend's own datetime format (naive UTC text on SQLite).
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = Food._meta.db_table
    for start in range(0, len(ids), _IN_BATCH):
        batch = ids[start : start + _IN_BATCH]
        wanted = _summaries(batch, numbers)
        updates = [
            (*wanted[pk], now, pk)
            for pk, *stored in Food.objects.filter(pk__in=batch).values_list(
                "pk", "magnesium_mg_per_100g", "energy_kcal_per_100g", "net_carbs_g_per_100g"
            )
            if tuple(stored) != wanted[pk]
        ]
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET magnesium_mg_per_100g = %s, "  # noqa: S608
                    "energy_kcal_per_100g = %s, net_carbs_g_per_100g = %s, updated_at = %s "
                    "WHERE id = %s",
                    updates,
                )
            changed += len(updates)
    return changed


@transaction.atomic
def food_refresh_summary(*, food: Food) -> Food:
    """One food's magnesium, energy and net-carb columns from its values (after an admin
    edit); saved through the ORM so the change history records who made it."""
    values = _summaries([food.pk], _summary_nutrient_ids())[food.pk]
    stored = (food.magnesium_mg_per_100g, food.energy_kcal_per_100g, food.net_carbs_g_per_100g)
    if stored != values:
        (
            food.magnesium_mg_per_100g,
            food.energy_kcal_per_100g,
            food.net_carbs_g_per_100g,
        ) = values
        food.save(
            update_fields=[
                "magnesium_mg_per_100g",
                "energy_kcal_per_100g",
                "net_carbs_g_per_100g",
                "updated_at",
            ]
        )
    return food


def custom_source() -> DataSource:
    """The source of foods added by editors or people (created by migration 0003, and
    again here should a test's flush have removed it)."""
    from nutrition.foods.importers.common import SOURCES  # the importers import this module

    source, _ = DataSource.objects.get_or_create(slug="custom", defaults=SOURCES["custom"])
    return source


@transaction.atomic
def food_save_from_admin(*, food: Food, user, created: bool) -> Food:
    """Save a food edited in the admin. A new one is a custom food: it gets the "custom"
    source and a source id of its own (the change history records who created it)."""
    if created:
        food.data_source = custom_source()
        food.source_id = f"admin-{uuid.uuid4().hex[:12]}"
        food.data_type = Food.DataType.CUSTOM
    food.save()
    return food


# --- Private foods: a person's own foods and recipes, kept here without knowing whose -----------


def values_problems(per_100g: dict[str, Decimal]) -> dict[str, str]:
    """{nutrient key: why it cannot be stored} for values per 100 g keyed by nutrient key."""
    units = dict(Nutrient.objects.filter(key__in=list(per_100g)).values_list("key", "unit"))
    problems = {}
    for key, value in per_100g.items():
        problem = per_100g_problem(key=key, unit=units.get(key, ""), amount=value)
        if problem:
            problems[key] = problem
    return problems


def food_values_replace(*, food: Food, per_100g: dict[str, Decimal]) -> None:
    """Store a food's values per 100 g (keyed by nutrient key; the caller checked them with
    `values_problems`, or they are a recipe's weighted mean of stored values): one row per
    nutrient and the summary columns, all rounded as their columns keep them. A value beyond
    its physical bound is a programming error here, never stored."""
    nutrients = Nutrient.objects.in_bulk(list(per_100g), field_name="key")
    kept = {key: amounts.stored(value, "0.0001") for key, value in per_100g.items()}
    for key, value in kept.items():
        unit = nutrients[key].unit if key in nutrients else ""
        problem = per_100g_problem(key=key, unit=unit, amount=value, confirmed_high_magnesium=True)
        if problem:
            raise ValueError(f"{key} per 100 g of food {food.pk}: {problem}")
    (
        food.magnesium_mg_per_100g,
        food.energy_kcal_per_100g,
        food.net_carbs_g_per_100g,
    ) = food_summary_values(
        magnesium=kept.get("magnesium"),
        energy_kcal=kept.get("energy_kcal"),
        carbohydrate=kept.get("carbohydrate"),
        fiber=kept.get("fiber"),
    )
    food.save()
    food.nutrient_values.all().delete()
    FoodNutrient.objects.bulk_create(
        FoodNutrient(food=food, nutrient=nutrients[key], amount_per_100g=value)
        for key, value in kept.items()
        if key in nutrients
    )


@transaction.atomic
def private_food_create(
    *, name: str, data_type: str, serving_description: str, serving_grams: Decimal
) -> Food:
    """A private food with its serving as portion 1 and no values yet. Whose it is, is
    recorded by the app that owns people's foods (the diary), which checked the serving."""
    problem = portion_grams_problem(serving_grams)
    if problem:
        raise ValueError(f"serving of {serving_grams} g: {problem}")
    food = Food.objects.create(
        data_source=custom_source(),
        source_id=f"own-{uuid.uuid4().hex}",
        name=name,
        data_type=data_type,
        private=True,
    )
    Portion.objects.create(
        food=food, seq=1, amount=1, description=serving_description, gram_weight=serving_grams
    )
    return food


@transaction.atomic
def private_foods_delete(*, food_ids: list[int]) -> None:
    """Delete private foods with their values, portions and every history copy of them (a
    person's own food is theirs alone: nothing of it stays behind)."""
    foods = Food.objects.filter(pk__in=food_ids, private=True)
    ids = list(foods.values_list("pk", flat=True))
    foods.delete()
    for model in (Food, FoodNutrient, Portion):
        field = "id" if model is Food else "food_id"
        model.history.filter(**{f"{field}__in": ids}).delete()


@transaction.atomic
def foods_set_verified(*, foods: QuerySet[Food], verified: bool, user) -> int:
    """Mark foods verified (or not), with a history record naming `user` for each change."""
    changed = list(foods.exclude(verified=verified))
    now = timezone.now()
    for food in changed:
        food.verified = verified
        food.updated_at = now
    bulk_update_with_history(
        changed, Food, ["verified", "updated_at"], batch_size=500, default_user=user
    )
    return len(changed)
