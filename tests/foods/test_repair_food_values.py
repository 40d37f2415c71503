"""`manage.py repair_food_values` on rows stored before the bounds were checked: the hostile
custom food of the trust issue (a 0.0001 g serving and 5,000 mg of magnesium, stored as
5 × 10⁹ mg per 100 g), and a public food with impossible figures and portions.

Such rows cannot be written any more (the CHECK constraints of migration 0007 refuse them), so
the tests write them with the constraints set aside, as a database from before 0007 would hold
them, then show what they break, repair them, and show that every page works again and that
the constraints hold for every row. On SQLite a value beyond its column cannot even be read
through the ORM, and each page failed with `InvalidOperation`; PostgreSQL cannot hold such a
value (the create was a 500 there) but holds impossible ones within the column, and NaN.
"""

import io
import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import connection

from nutrition.diary import custom_foods
from nutrition.diary.models import DiaryEntry
from nutrition.foods.models import Food, FoodNutrient, Portion
from tests.accounts.helpers import reauthenticate, sign_in
from tests.conftest import HttpsClient
from tests.factories import PASSWORD
from tests.foods.factories import FoodFactory, FoodNutrientFactory, NutrientFactory, PortionFactory

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"
HUGE = Decimal("5000000000" if SQLITE else "9999999.999")  # the trust issue's 5 × 10⁹ mg
TINY = Decimal("0.0001" if SQLITE else "0.05")
DAY = date(2026, 2, 3)
CHECKED = ("foods_food", "foods_foodnutrient", "foods_portion")


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _raw(table: str, column: str, pk: int, key: str = "id"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CAST({column} AS TEXT) FROM {table} WHERE {key} = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _check_constraints() -> list[tuple[str, str, str]]:
    """(table, name, definition) of the CHECK constraints on the food tables (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'c' AND conrelid::regclass::text = ANY(%s)",
            [list(CHECKED)],
        )
        return cursor.fetchall()


@contextmanager
def _as_before_the_bounds():
    """Write rows that the CHECK constraints refuse, as a database from before migration 0007
    holds them: SQLite ignores its constraints meanwhile; PostgreSQL drops them and adds them
    back NOT VALID (kept for new rows, not checked on the old ones until validated)."""
    if SQLITE:
        _sql("PRAGMA ignore_check_constraints = ON")
        try:
            yield []
        finally:
            _sql("PRAGMA ignore_check_constraints = OFF")
        return
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with pending trigger events
    constraints = _check_constraints()
    for table, name, _ in constraints:
        _sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield constraints
    for table, name, definition in constraints:
        _sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')


def _every_row_within_the_constraints(constraints) -> None:
    if SQLITE:
        # Rewriting each row runs its CHECK constraints again.
        _sql("UPDATE foods_food SET magnesium_mg_per_100g = magnesium_mg_per_100g")
        _sql("UPDATE foods_foodnutrient SET amount_per_100g = amount_per_100g")
        _sql("UPDATE foods_portion SET gram_weight = gram_weight")
        return
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, _ in constraints:
        _sql(f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"')


def _repair(*args: str) -> str:
    out = io.StringIO()
    call_command("repair_food_values", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def admin_client(staff_user):
    TOTP.activate(staff_user, generate_totp_secret())
    return sign_in(HttpsClient(), staff_user)


@pytest.fixture
def bad_rows(user):
    """The trust issue's food, logged once by its serving, and a public food gone wrong."""
    magnesium = NutrientFactory(usda_number="304")
    protein = NutrientFactory(usda_number="203")
    energy = NutrientFactory(usda_number="208")
    hostile = custom_foods.custom_food_create(
        user=user,
        name="Hostile bar",
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "50", "protein": "4"},
    )
    serving = hostile.portions.get()
    entry = DiaryEntry.objects.create(
        user=user, date=DAY, meal="snack", food=hostile, portion=serving, quantity=1, grams=40
    )
    odd = FoodFactory(name="Odd food, raw", magnesium_mg_per_100g=Decimal("80"))
    FoodNutrientFactory(food=odd, nutrient=magnesium, amount_per_100g=80)
    odd_protein = FoodNutrientFactory(food=odd, nutrient=protein, amount_per_100g=10)
    odd_energy = FoodNutrientFactory(food=odd, nutrient=energy, amount_per_100g=100)
    sack = PortionFactory(food=odd, seq=1, description="sack")
    cup = PortionFactory(food=odd, seq=2, description="cup")
    good = FoodFactory(name="Spinach, raw", magnesium_mg_per_100g=Decimal("79"))
    good_cup = PortionFactory(food=good, seq=1)
    values = {
        (magnesium.pk, hostile.pk): FoodNutrient.objects.get(food=hostile, nutrient=magnesium),
        (protein.pk, hostile.pk): FoodNutrient.objects.get(food=hostile, nutrient=protein),
    }
    hostile_mg = values[magnesium.pk, hostile.pk]
    hostile_protein = values[protein.pk, hostile.pk]
    history_id = hostile.history.latest().history_id

    with _as_before_the_bounds() as constraints:
        # 5,000 mg in a 0.0001 g serving, as the custom-food service once stored it.
        _sql("UPDATE foods_food SET magnesium_mg_per_100g = %s WHERE id = %s", [HUGE, hostile.pk])
        _sql(
            "UPDATE foods_historicalfood SET magnesium_mg_per_100g = %s WHERE history_id = %s",
            [HUGE, history_id],
        )
        _sql(
            "UPDATE foods_foodnutrient SET amount_per_100g = %s WHERE id = %s",
            [HUGE * 10 if SQLITE else Decimal("99999999.9999"), hostile_mg.pk],
        )
        _sql("UPDATE foods_portion SET gram_weight = %s WHERE id = %s", [TINY, serving.pk])
        _sql(
            "UPDATE foods_foodnutrient SET amount_per_100g = %s WHERE id = %s",
            [Decimal("NaN"), hostile_protein.pk],
        )
        # A public food: magnesium beyond its column on SQLite, 150 g of protein in 100 g,
        # 5,000 kcal, an unused 20 kg sack and a count of 20,000 cups.
        _sql(
            "UPDATE foods_food SET magnesium_mg_per_100g = %s, energy_kcal_per_100g = 5000 "
            "WHERE id = %s",
            [HUGE, odd.pk],
        )
        _sql("UPDATE foods_foodnutrient SET amount_per_100g = 150 WHERE id = %s", [odd_protein.pk])
        _sql("UPDATE foods_foodnutrient SET amount_per_100g = 5000 WHERE id = %s", [odd_energy.pk])
        _sql("UPDATE foods_portion SET gram_weight = 20000 WHERE id = %s", [sack.pk])
        _sql("UPDATE foods_portion SET amount = 20000 WHERE id = %s", [cup.pk])
    return {
        "hostile": hostile,
        "serving": serving,
        "entry": entry,
        "hostile_mg": hostile_mg,
        "hostile_protein": hostile_protein,
        "history_id": history_id,
        "odd": odd,
        "odd_protein": odd_protein,
        "odd_energy": odd_energy,
        "sack": sack,
        "cup": cup,
        "good": good,
        "good_cup": good_cup,
        "constraints": constraints,
    }


def _visit_everything(user_client, admin_client, food: Food) -> None:
    """The owner's food list, the food page, logging it, the export, the admin's list."""
    assert user_client.get("/diary/foods/").status_code == 200
    assert user_client.get(f"/foods/{food.pk}/").status_code == 200
    response = user_client.post(
        f"/diary/{DAY}/entries/",
        {"food": food.pk, "meal": "lunch", "amount": "10", "unit": "g"},
    )
    assert response.status_code == 302, response
    assert user_client.get(f"/diary/{DAY}/").status_code == 200
    reauthenticate(user_client, PASSWORD)
    export = user_client.post("/profile/export/")
    assert export.status_code == 200
    assert json.loads(export.content)["data"]["diary.OwnFood"]
    assert admin_client.get("/admin/foods/food/").status_code == 200


@pytest.mark.skipif(not SQLITE, reason="PostgreSQL cannot hold a value beyond its column")
@pytest.mark.parametrize(
    "visit",
    [
        lambda c, a, f: c.get("/diary/foods/"),
        lambda c, a, f: c.get(f"/foods/{f.pk}/"),
        lambda c, a, f: c.post(
            f"/diary/{DAY}/entries/", {"food": f.pk, "meal": "lunch", "amount": "10", "unit": "g"}
        ),
        lambda c, a, f: (reauthenticate(c, PASSWORD), c.post("/profile/export/")),
        lambda c, a, f: a.get("/admin/foods/food/"),
    ],
    ids=["own foods", "food page", "logging", "export", "admin list"],
)
def test_before_the_repair_each_page_fails(user_client, admin_client, bad_rows, visit):
    with pytest.raises(InvalidOperation):
        visit(user_client, admin_client, bad_rows["hostile"])


def test_the_repair_lists_each_row_and_every_page_works_again(user_client, admin_client, bad_rows):
    rows = bad_rows
    hostile, odd = rows["hostile"], rows["odd"]
    stored = _raw("foods_food", "magnesium_mg_per_100g", hostile.pk)

    listed = _repair("--dry-run")

    # A dry run lists, and changes nothing.
    assert _raw("foods_food", "magnesium_mg_per_100g", hostile.pk) == stored
    assert Portion.objects.filter(pk=rows["sack"].pk).exists()
    assert "nothing was changed (--dry-run)" in listed

    output = _repair()

    for text in (listed, output):
        for words in (
            f"food {hostile.pk} 'Hostile bar': Magnesium, Mg (magnesium) per 100 g = ",
            f"food {hostile.pk} 'Hostile bar': Protein (protein) per 100 g = NaN g",
            f"food {hostile.pk} 'Hostile bar': magnesium_mg_per_100g = {str(HUGE)[:4]}",
            f"food {hostile.pk} 'Hostile bar': portion {rows['serving'].pk} ('bar': ",
            f"used by 1 diary.DiaryEntry, {'would be ' if text is listed else ''}kept as 1",
            f"magnesium_mg_per_100g in change-history record {rows['history_id']}",
            f"food {odd.pk} 'Odd food, raw': Protein (protein) per 100 g = 150",
            f"food {odd.pk} 'Odd food, raw': Energy (energy_kcal) per 100 g = 5000",
            f"food {odd.pk} 'Odd food, raw': energy_kcal_per_100g = 5000",
            f"portion {rows['sack'].pk} ('sack': 1",
            f"portion {rows['cup'].pk} ('cup': 20000",
        ):
            assert words in text, text
    assert "beyond 100 g, deleted" in output
    assert "unused, deleted" in output
    assert "11 row(s) out of range, repaired." in output
    assert "Spinach" not in output

    # Impossible values are no values; the figures follow the values left.
    assert not FoodNutrient.objects.filter(
        pk__in=[rows["hostile_mg"].pk, rows["hostile_protein"].pk, rows["odd_protein"].pk]
    ).exists()
    hostile.refresh_from_db()
    odd.refresh_from_db()
    assert hostile.magnesium_mg_per_100g is None
    assert (odd.magnesium_mg_per_100g, odd.energy_kcal_per_100g) == (Decimal("80"), None)
    assert hostile.history.get(history_id=rows["history_id"]).magnesium_mg_per_100g is None
    # The serving the diary points at is kept, within the bounds; the entry is unchanged.
    serving = Portion.objects.get(pk=rows["serving"].pk)
    assert (serving.amount, serving.gram_weight) == (Decimal("1"), Decimal("0.1"))
    entry = DiaryEntry.objects.get(pk=rows["entry"].pk)
    assert (entry.portion_id, entry.grams, entry.portion_label) == (serving.pk, 40, "1 bar")
    # Unused impossible portions are gone; the rest is untouched.
    assert not Portion.objects.filter(pk__in=[rows["sack"].pk, rows["cup"].pk]).exists()
    assert Portion.objects.get(pk=rows["good_cup"].pk).gram_weight == Decimal("180")
    assert Food.objects.get(pk=rows["good"].pk).magnesium_mg_per_100g == Decimal("79")

    _visit_everything(user_client, admin_client, hostile)
    _every_row_within_the_constraints(rows["constraints"])
    # Idempotent: a second run finds nothing.
    assert _repair().strip() == "No food row is stored out of range."


def test_a_failure_changes_nothing(bad_rows, monkeypatch):
    from nutrition.foods import services

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    stored = _raw("foods_foodnutrient", "amount_per_100g", bad_rows["odd_protein"].pk)
    monkeypatch.setattr(services, "foods_refresh_summaries", broken)

    with pytest.raises(RuntimeError):
        _repair()

    # The values deleted before the failure are back: one transaction.
    assert _raw("foods_foodnutrient", "amount_per_100g", bad_rows["odd_protein"].pk) == stored
    assert "out of range" in _repair("--dry-run")


def test_nothing_to_repair(db):
    food = FoodFactory()
    PortionFactory(food=food, gram_weight=Decimal("0.1"), amount=Decimal("10000"))
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="204"), amount_per_100g=100)

    assert _repair().strip() == "No food row is stored out of range."
