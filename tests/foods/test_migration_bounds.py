"""Migration 0007 repairs rows stored beyond the physical bounds, then adds its CHECK
constraints; forwards from 0006 on a database holding such rows (SQLite and PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from nutrition.diary.models import DiaryEntry
from nutrition.foods.models import FoodNutrient, Portion
from tests.factories import UserFactory
from tests.foods.factories import FoodFactory, FoodNutrientFactory, NutrientFactory, PortionFactory

BEFORE = ("foods", "0006_remove_food_owner")
SQLITE = connection.vendor == "sqlite"
# What each backend can be made to hold: SQLite keeps any number (and text) in a decimal
# column; PostgreSQL only what fits, NaN included.
HUGE = Decimal("5000000000" if SQLITE else "9999999.999")
NOT_A_NUMBER = Decimal("NaN")
TINY = Decimal("0.0001" if SQLITE else "0.05")


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _constraints(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def _raw(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_rows_out_of_range_then_adds_its_constraints(capsys):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # The rows are made with today's models, then the schema goes back to 0006 (columns
        # added since are dropped with their values), where the bad values are written.
        magnesium = NutrientFactory(usda_number="304")
        energy = NutrientFactory(usda_number="208")
        carbohydrate = NutrientFactory(usda_number="205")
        fluoride = NutrientFactory(usda_number="313", unit="µg")
        # A person's own food with 5,000 mg in a 0.0001 g serving, logged once by portion.
        hostile = FoodFactory(
            name="Hostile bar", energy_kcal_per_100g=None, net_carbs_g_per_100g=None
        )
        hostile_mg = FoodNutrientFactory(food=hostile, nutrient=magnesium, amount_per_100g=1)
        fluoride_value = FoodNutrientFactory(food=hostile, nutrient=fluoride, amount_per_100g=1)
        serving = PortionFactory(food=hostile, seq=1, description="bar")
        entry = DiaryEntry.objects.create(
            user=UserFactory(),
            date=date(2026, 2, 3),
            meal="snack",
            food=hostile,
            portion=serving,
            quantity=1,
            grams=Decimal("0.01"),
        )
        # A public food with impossible figures within their columns, and odd portions.
        odd = FoodFactory(name="Odd food", magnesium_mg_per_100g=None)
        odd_energy = FoodNutrientFactory(food=odd, nutrient=energy, amount_per_100g=5000)
        FoodNutrientFactory(food=odd, nutrient=carbohydrate, amount_per_100g=150)
        heavy = PortionFactory(food=odd, seq=1, description="sack")
        many = PortionFactory(food=odd, seq=2, description="seed")
        good = FoodFactory(name="Spinach", magnesium_mg_per_100g=Decimal("87"))
        good_value = FoodNutrientFactory(food=good, nutrient=magnesium, amount_per_100g=87)
        good_cup = PortionFactory(food=good, seq=1)

        _migrate([BEFORE])
        _sql("UPDATE foods_food SET magnesium_mg_per_100g = %s WHERE id = %s", [HUGE, hostile.pk])
        _sql(
            "UPDATE foods_foodnutrient SET amount_per_100g = %s WHERE id = %s",
            [HUGE * 10, hostile_mg.pk],
        )
        _sql(
            "UPDATE foods_foodnutrient SET amount_per_100g = %s WHERE id = %s",
            [NOT_A_NUMBER, fluoride_value.pk],
        )
        _sql("UPDATE foods_portion SET gram_weight = %s WHERE id = %s", [TINY, serving.pk])
        _sql(
            "UPDATE foods_food SET energy_kcal_per_100g = 5000, net_carbs_g_per_100g = 150 "
            "WHERE id = %s",
            [odd.pk],
        )
        _sql("UPDATE foods_portion SET gram_weight = 20000 WHERE id = %s", [heavy.pk])
        _sql("UPDATE foods_portion SET amount = 20000 WHERE id = %s", [many.pk])
        capsys.readouterr()

        _migrate(leaves)

        output = capsys.readouterr().out
    finally:
        _migrate(leaves)  # whatever happened, the next test finds the latest schema

    # Values beyond the column are gone (PostgreSQL holds none but NaN); the food's figures
    # follow the values left, and a figure out of range is no figure.
    assert not FoodNutrient.objects.filter(pk=fluoride_value.pk).exists()
    assert FoodNutrient.objects.filter(pk=hostile_mg.pk).exists() is not SQLITE
    hostile.refresh_from_db()
    assert hostile.magnesium_mg_per_100g is None
    # The serving a diary entry points at is kept, within the bounds; the entry is intact.
    serving.refresh_from_db()
    assert serving.gram_weight == Decimal("0.1")
    entry.refresh_from_db()
    assert (entry.portion_id, entry.grams) == (serving.pk, Decimal("0.01"))
    # Summary figures out of range are no figures; unused impossible portions are deleted.
    odd.refresh_from_db()
    assert (odd.energy_kcal_per_100g, odd.net_carbs_g_per_100g) == (None, None)
    assert not Portion.objects.filter(pk__in=[heavy.pk, many.pk]).exists()
    # Within the column: left to `repair_food_values` (by unit), as the migration says.
    assert FoodNutrient.objects.get(pk=odd_energy.pk).amount_per_100g == Decimal("5000")
    # Nothing else changed.
    good.refresh_from_db()
    assert good.magnesium_mg_per_100g == Decimal("87")
    assert FoodNutrient.objects.get(pk=good_value.pk).amount_per_100g == Decimal("87")
    assert Portion.objects.get(pk=good_cup.pk).gram_weight == Decimal("180")
    # Each repaired row is named.
    for words in (
        f"food {hostile.pk} 'Hostile bar': Magnesium, Mg 5000" if SQLITE else "",
        f"food {hostile.pk} 'Hostile bar': Nutrient 313 NaN µg per 100 g: value deleted",
        f"food {hostile.pk} 'Hostile bar': magnesium_mg_per_100g {str(HUGE)[:4]}",
        f"portion {serving.pk} ",
        "in use, kept as 1",
        "= 0.1 g",
        f"food {odd.pk} 'Odd food': energy_kcal_per_100g 5000",
        f"portion {heavy.pk} ",
        f"portion {many.pk} ",
    ):
        assert words in output, output

    # The constraints hold from now on.
    for table, names in {
        "foods_food": {"food_magnesium_range", "food_energy_range", "food_net_carbs_range"},
        "foods_foodnutrient": {"foodnutrient_amount_range"},
        "foods_portion": {"portion_amount_range", "portion_gram_weight_range"},
    }.items():
        assert names <= _constraints(table)
    for statement, pk in (
        ("UPDATE foods_food SET magnesium_mg_per_100g = 100001 WHERE id = %s", good.pk),
        ("UPDATE foods_food SET energy_kcal_per_100g = 1001 WHERE id = %s", good.pk),
        ("UPDATE foods_food SET net_carbs_g_per_100g = 100.5 WHERE id = %s", good.pk),
        ("UPDATE foods_food SET magnesium_mg_per_100g = -1 WHERE id = %s", good.pk),
        ("UPDATE foods_foodnutrient SET amount_per_100g = 'NaN' WHERE id = %s", good_value.pk),
        ("UPDATE foods_portion SET gram_weight = 0.09 WHERE id = %s", good_cup.pk),
        ("UPDATE foods_portion SET gram_weight = 10001 WHERE id = %s", good_cup.pk),
        ("UPDATE foods_portion SET amount = 10001 WHERE id = %s", good_cup.pk),
        ("UPDATE foods_portion SET amount = 0 WHERE id = %s", good_cup.pk),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            _sql(statement, [pk])
    # Beyond the column: PostgreSQL refused it before; SQLite, which would keep it, now too.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        _sql(
            "UPDATE foods_foodnutrient SET amount_per_100g = 100000000 WHERE id = %s",
            [good_value.pk],
        )
