"""Find and repair rows of the food database stored beyond their physical bounds
(`nutrition.foods.bounds`), for `manage.py repair_food_values`.

Such rows come from before the bounds were checked on every save (and before the CHECK
constraints of migration 0007): a private food with a 0.0001 g serving stored 5 × 10⁹ mg of
magnesium per 100 g. They are found and repaired with SQL, reading stored values as text: on
SQLite a value beyond its column's precision cannot even be read through the ORM
(`decimal.InvalidOperation`), which is how they broke every page that showed the food.

What is repaired, and how:

- a value per 100 g beyond its nutrient's bound by unit, or beyond its column, negative or not
  a number, is deleted: an impossible value becomes no value;
- a summary column out of range is set to no value, then the summary of every food concerned
  (these, and the foods that lost a value) is computed again from its values
  (`services.foods_refresh_summaries`);
- a portion below 0.1 g or above 10 kg, or counting 0 or more than 10,000, is deleted, unless a
  row points at it (a diary entry, found through the database relation from the Portion side,
  without knowing the diary); then it is kept with its weight and count brought within the
  bounds, so the entry keeps its "2 bars";
- a change-history record of a food whose summary figure is out of range loses that figure
  (the admin's history page reads them).

Deleting and updating happen with SQL too (the ORM would read the rows first), so the change
history records none of it: the command's report is the record.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction

from nutrition.foods import bounds, services
from nutrition.foods.models import Food, FoodNutrient, Nutrient, Portion

# The smallest count a portion's column keeps (3 places): below it the ORM reads 0.
_MIN_PORTION_AMOUNT = Decimal("0.001")
_BATCH = 900  # ids per IN (...): below SQLite's smallest variable limit
_SUMMARY = {
    "magnesium_mg_per_100g": bounds.SUMMARY_LIMITS["magnesium"],
    "energy_kcal_per_100g": bounds.SUMMARY_LIMITS["energy_kcal"],
    "net_carbs_g_per_100g": bounds.SUMMARY_LIMITS["carbohydrate"],
}


@dataclass(frozen=True)
class Finding:
    """One row stored out of range and what the repair does (or did) with it."""

    food_id: int
    food_name: str
    what: str
    stored: str
    action: str

    def __str__(self) -> str:
        return f"food {self.food_id} {self.food_name!r}: {self.what} = {self.stored}: {self.action}"


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _BATCH):
        yield ordered[start : start + _BATCH]


def _marks(batch: list) -> str:
    return ", ".join(["%s"] * len(batch))


def _decimal(text: object) -> Decimal:
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        return Decimal("NaN")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


# --- Finding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    pk: int
    food_id: int
    food_name: str
    nutrient: str
    unit: str
    stored: str
    limit: Decimal


def _bad_values(cursor) -> list[_Value]:
    by_limit: dict[Decimal, list[int]] = defaultdict(list)
    for pk, key, unit in Nutrient.objects.values_list("pk", "key", "unit"):
        by_limit[bounds.per_100g_limit(unit, key)].append(pk)
    found = []
    table = FoodNutrient._meta.db_table
    for limit, nutrient_ids in by_limit.items():
        for batch in _batches(nutrient_ids):
            # Outside [0, limit]: NaN and infinities too (NaN sorts above every number on
            # PostgreSQL; on SQLite a text value does).
            cursor.execute(
                "SELECT v.id, v.food_id, f.name, n.name, n.key, n.unit, "  # noqa: S608
                "CAST(v.amount_per_100g AS TEXT) "
                f"FROM {table} v JOIN {Food._meta.db_table} f ON f.id = v.food_id "
                f"JOIN {Nutrient._meta.db_table} n ON n.id = v.nutrient_id "
                f"WHERE v.nutrient_id IN ({_marks(batch)}) "
                f"AND NOT (v.amount_per_100g >= 0 AND v.amount_per_100g <= {limit})",
                batch,
            )
            found += [
                _Value(pk, food_id, name, f"{nutrient} ({key})", unit, stored, limit)
                for pk, food_id, name, nutrient, key, unit, stored in cursor.fetchall()
            ]
    return sorted(found, key=lambda v: (v.food_id, v.pk))


def _bad_summaries(cursor, table: str, key: str) -> list[tuple[int, int, str, str, str]]:
    """(row key, food id, name, column, stored text) of summary figures out of range, in the
    foods table or in its history (`key` is the row's own key column)."""
    found = []
    for column, limit in _SUMMARY.items():
        cursor.execute(
            f"SELECT {key}, id, name, CAST({column} AS TEXT) FROM {table} "  # noqa: S608
            f"WHERE NOT ({column} IS NULL OR ({column} >= 0 AND {column} <= {limit}))"
        )
        found += [(row, pk, name, column, stored) for row, pk, name, stored in cursor.fetchall()]
    return sorted(found, key=lambda f: (f[1], f[0], f[3]))


def _bad_portions(cursor) -> list[tuple[int, int, str, str, str, str]]:
    cursor.execute(
        "SELECT p.id, p.food_id, f.name, p.description, CAST(p.amount AS TEXT), "  # noqa: S608
        f"CAST(p.gram_weight AS TEXT) FROM {Portion._meta.db_table} p "
        f"JOIN {Food._meta.db_table} f ON f.id = p.food_id "
        f"WHERE NOT (p.amount >= {_MIN_PORTION_AMOUNT} AND p.amount <= {bounds.MAX_PORTION_AMOUNT} "
        f"AND p.gram_weight >= {bounds.MIN_PORTION_GRAMS} "
        f"AND p.gram_weight <= {bounds.MAX_PORTION_GRAMS}) ORDER BY p.food_id, p.id"
    )
    return cursor.fetchall()


def _portion_uses(cursor, portion_ids: list[int]) -> dict[int, list[str]]:
    """{portion id: labels of the models whose rows point at it}. Every relation to Portion
    is asked through the database, from the Portion side (the diary's entries point at
    portions; the food database does not import the diary)."""
    uses: dict[int, list[str]] = defaultdict(list)
    relations = [
        field
        for field in Portion._meta.get_fields(include_hidden=True)
        if field.auto_created
        and not field.concrete
        and field.is_relation
        and getattr(field.field, "db_constraint", True)  # history copies point at nothing
    ]
    for relation in relations:
        table = relation.related_model._meta.db_table
        column = relation.field.column
        for batch in _batches(portion_ids):
            cursor.execute(
                f"SELECT {_quote(column)}, count(*) FROM {_quote(table)} "  # noqa: S608
                f"WHERE {_quote(column)} IN ({_marks(batch)}) GROUP BY {_quote(column)}",
                batch,
            )
            for pk, count in cursor.fetchall():
                uses[pk].append(f"{count} {relation.related_model._meta.label}")
    return uses


def _clamped(amount: Decimal, grams: Decimal) -> tuple[Decimal, Decimal]:
    """Too many or too heavy: the bound; too light: the least; no count: one."""
    if amount.is_nan() or amount < _MIN_PORTION_AMOUNT:
        amount = Decimal(1)
    elif amount > bounds.MAX_PORTION_AMOUNT:
        amount = bounds.MAX_PORTION_AMOUNT
    if grams.is_nan() or grams < bounds.MIN_PORTION_GRAMS:
        grams = bounds.MIN_PORTION_GRAMS
    elif grams > bounds.MAX_PORTION_GRAMS:
        grams = bounds.MAX_PORTION_GRAMS
    return amount, grams


# --- Repairing -----------------------------------------------------------------------------------


@transaction.atomic
def repair_food_values(*, dry_run: bool = False) -> list[Finding]:
    """Every row stored out of range, repaired unless `dry_run`; all or nothing."""
    findings: list[Finding] = []
    will = "would be " if dry_run else ""
    with connection.cursor() as cursor:
        values = _bad_values(cursor)
        for v in values:
            findings.append(
                Finding(
                    v.food_id,
                    v.food_name,
                    f"{v.nutrient} per 100 g",
                    f"{v.stored} {v.unit}",
                    f"beyond {v.limit:,} {v.unit}, {will}deleted",
                )
            )
        summaries = _bad_summaries(cursor, Food._meta.db_table, "id")
        history = _bad_summaries(cursor, Food.history.model._meta.db_table, "history_id")
        portions = _bad_portions(cursor)
        uses = _portion_uses(cursor, [row[0] for row in portions])

        if not dry_run:
            for batch in _batches(v.pk for v in values):
                cursor.execute(
                    f"DELETE FROM {FoodNutrient._meta.db_table} "  # noqa: S608
                    f"WHERE id IN ({_marks(batch)})",
                    batch,
                )
            # One statement a food: a row is checked whole, and its other figures may be
            # out of range too until they are set aside.
            columns_by_food: dict[int, list[str]] = defaultdict(list)
            for _, pk, _, column, _ in summaries:
                columns_by_food[pk].append(column)
            for pk, columns in columns_by_food.items():
                cursor.execute(
                    f"UPDATE {Food._meta.db_table} SET "  # noqa: S608
                    + ", ".join(f"{column} = NULL" for column in columns)
                    + " WHERE id = %s",
                    [pk],
                )
        refreshed = {v.food_id for v in values} | {row[1] for row in summaries}
        if not dry_run:
            services.foods_refresh_summaries(food_ids=refreshed)
        now = (
            {}
            if dry_run
            else {
                pk: dict(zip(_SUMMARY, rest, strict=True))
                for pk, *rest in Food.objects.filter(pk__in=refreshed).values_list("pk", *_SUMMARY)
            }
        )
        for _, pk, name, column, stored in summaries:
            if dry_run:
                action = "would be computed again from the food's values"
            else:
                after = now[pk][column]
                action = "computed again from the food's values: " + (
                    "no value" if after is None else f"{after}"
                )
            findings.append(Finding(pk, name, column, stored, action))

        for pk, food_id, name, description, amount_text, grams_text in portions:
            what = f"portion {pk} ({description!r}: {amount_text} weighs {grams_text} g)"
            stored = f"{amount_text} × {grams_text} g"
            if pk not in uses:
                findings.append(Finding(food_id, name, what, stored, f"unused, {will}deleted"))
                if not dry_run:
                    cursor.execute(
                        f"DELETE FROM {Portion._meta.db_table} WHERE id = %s",  # noqa: S608
                        [pk],
                    )
                continue
            amount, grams = _clamped(_decimal(amount_text), _decimal(grams_text))
            findings.append(
                Finding(
                    food_id,
                    name,
                    what,
                    stored,
                    f"used by {', '.join(uses[pk])}, {will}kept as {amount} weighing {grams} g",
                )
            )
            if not dry_run:
                cursor.execute(
                    f"UPDATE {Portion._meta.db_table} SET amount = %s, gram_weight = %s "  # noqa: S608
                    "WHERE id = %s",
                    [amount, grams, pk],
                )

        for history_id, pk, name, column, stored in history:
            findings.append(
                Finding(
                    pk,
                    name,
                    f"{column} in change-history record {history_id}",
                    stored,
                    f"{will}set to no value",
                )
            )
            if not dry_run:
                cursor.execute(
                    f"UPDATE {Food.history.model._meta.db_table} SET {column} = NULL "  # noqa: S608
                    "WHERE history_id = %s",
                    [history_id],
                )
    return findings
