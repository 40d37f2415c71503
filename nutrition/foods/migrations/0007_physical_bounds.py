"""CHECK constraints for the physical bounds of what a food stores (`nutrition.foods.bounds`):
values per 100 g within their column, the summary columns within their bounds (magnesium at
most 100,000 mg, energy 1,000 kcal, net carbohydrate 100 g per 100 g), portions of 0.1 g to
10 kg counting above 0 and at most 10,000.

Rows already stored beyond them would make this migration fail (SQLite copies every row into
the rebuilt table; PostgreSQL validates the constraint), so it first repairs them, with logic
frozen here (the live `repair_food_values` command may change; this may not):

- a value per 100 g beyond the column (negative, not a number, above 99,999,999.9999) is
  deleted: an impossible value becomes no value;
- the summary columns of the foods concerned, and of foods whose summary is out of range, are
  computed again from the values left (a figure still out of range is no figure);
- an impossible portion is deleted, unless a row points at it (a diary entry), in which case
  its weight and count are brought within the bounds.

Each repaired row is printed (food id, name, what, stored value). Values beyond their bound by
unit but within the column (150 g of protein) are left to `manage.py repair_food_values`, run
once after upgrading.

Stored values are read as text with SQL: SQLite keeps decimals as REAL, and a value such as
5e9 in a 10/3 column cannot be read through the ORM (decimal.InvalidOperation).
"""

# SQL here is built from this file's constants and table names; values go in as parameters.
# ruff: noqa: S608

import sys
from decimal import Decimal, InvalidOperation

from django.db import migrations, models

from nutrition.foods.migrations._search_0002 import restore_sqlite_triggers

VALUE_LIMIT = Decimal("99999999.9999")
SUMMARY_LIMITS = {
    "magnesium_mg_per_100g": Decimal("100000"),
    "energy_kcal_per_100g": Decimal("1000"),
    "net_carbs_g_per_100g": Decimal("100"),
}
MIN_GRAMS, MAX_GRAMS, MAX_AMOUNT = Decimal("0.1"), Decimal("10000"), Decimal("10000")
MAGNESIUM, ENERGY, CARBOHYDRATE, FIBER = "304", "208", "205", "291"
THREE_PLACES = Decimal("0.001")
BATCH = 900  # ids per IN (...): below SQLite's smallest variable limit


def _decimal(text) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(str(text).strip())
    except InvalidOperation:
        return Decimal("NaN")


def _within(value: Decimal | None, low: Decimal, high: Decimal) -> bool:
    return value is not None and value.is_finite() and low <= value <= high


def _above(value: Decimal, limit: Decimal) -> bool:
    return not value.is_nan() and value > limit


def _say(line: str) -> None:
    sys.stdout.write(f"  foods 0007: {line}\n")


def _batches(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _summary(found: dict[str, Decimal]) -> dict[str, Decimal | None]:
    carbohydrate = found.get(CARBOHYDRATE)
    net_carbs = None
    if carbohydrate is not None:
        net_carbs = max(carbohydrate - found.get(FIBER, Decimal(0)), Decimal(0))
    wanted = {
        "magnesium_mg_per_100g": found.get(MAGNESIUM),
        "energy_kcal_per_100g": found.get(ENERGY),
        "net_carbs_g_per_100g": net_carbs,
    }
    kept = {}
    for column, value in wanted.items():
        value = None if value is None else value.quantize(THREE_PLACES)
        kept[column] = value if _within(value, Decimal(0), SUMMARY_LIMITS[column]) else None
    return kept


def _repair_values(cursor) -> set[int]:
    cursor.execute(
        "SELECT v.id, v.food_id, f.name, n.name, n.unit, CAST(v.amount_per_100g AS TEXT) "
        "FROM foods_foodnutrient v JOIN foods_food f ON f.id = v.food_id "
        "JOIN foods_nutrient n ON n.id = v.nutrient_id "
        f"WHERE NOT (v.amount_per_100g >= 0 AND v.amount_per_100g <= {VALUE_LIMIT}) "
        "ORDER BY v.food_id, v.id"
    )
    rows = cursor.fetchall()
    for _, food_id, name, nutrient, unit, stored in rows:
        _say(f"food {food_id} {name!r}: {nutrient} {stored} {unit} per 100 g: value deleted")
    for batch in _batches([row[0] for row in rows]):
        marks = ", ".join(["%s"] * len(batch))
        cursor.execute(f"DELETE FROM foods_foodnutrient WHERE id IN ({marks})", batch)
    return {row[1] for row in rows}


def _repair_summaries(cursor, touched: set[int]) -> None:
    columns = list(SUMMARY_LIMITS)
    out_of_range = " OR ".join(
        f"NOT ({c} IS NULL OR ({c} >= 0 AND {c} <= {limit}))" for c, limit in SUMMARY_LIMITS.items()
    )
    cursor.execute(f"SELECT id FROM foods_food WHERE {out_of_range}")
    ids = touched | {row[0] for row in cursor.fetchall()}
    for batch in _batches(ids):
        marks = ", ".join(["%s"] * len(batch))
        cursor.execute(
            "SELECT id, name, "
            + ", ".join(f"CAST({c} AS TEXT)" for c in columns)
            + f" FROM foods_food WHERE id IN ({marks})",
            batch,
        )
        stored = {row[0]: (row[1], [_decimal(v) for v in row[2:]]) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT v.food_id, n.usda_number, CAST(v.amount_per_100g AS TEXT) "
            "FROM foods_foodnutrient v JOIN foods_nutrient n ON n.id = v.nutrient_id "
            f"WHERE v.food_id IN ({marks}) AND n.usda_number IN (%s, %s, %s, %s)",
            [*batch, MAGNESIUM, ENERGY, CARBOHYDRATE, FIBER],
        )
        found: dict[int, dict[str, Decimal]] = {food_id: {} for food_id in batch}
        for food_id, number, amount in cursor.fetchall():
            found[food_id][number] = _decimal(amount)
        for food_id, (name, old) in stored.items():
            new = _summary(found[food_id])
            changes = [
                (column, before, new[column])
                for column, before in zip(columns, old, strict=True)
                if before != new[column] and not (before is None and new[column] is None)
            ]
            if not changes:
                continue
            for column, before, after in changes:
                shown = "no value" if after is None else f"{after}"
                _say(f"food {food_id} {name!r}: {column} {before} -> {shown}")
            cursor.execute(
                "UPDATE foods_food SET "
                + ", ".join(f"{c} = %s" for c in columns)
                + " WHERE id = %s",
                [*(new[c] for c in columns), food_id],
            )


def _portion_references(apps) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to a portion (a diary entry's portion), found
    from the models as they stand at this migration, without naming the apps."""
    Portion = apps.get_model("foods", "Portion")
    return [
        (field.related_model._meta.db_table, field.field.column)
        for field in Portion._meta.get_fields(include_hidden=True)
        if field.auto_created
        and not field.concrete
        and field.is_relation
        and getattr(field.field, "db_constraint", True)
    ]


def _repair_portions(cursor, apps) -> None:
    cursor.execute(
        "SELECT p.id, p.food_id, f.name, p.description, CAST(p.amount AS TEXT), "
        "CAST(p.gram_weight AS TEXT) FROM foods_portion p JOIN foods_food f ON f.id = p.food_id "
        f"WHERE NOT (p.amount > 0 AND p.amount <= {MAX_AMOUNT} "
        f"AND p.gram_weight >= {MIN_GRAMS} AND p.gram_weight <= {MAX_GRAMS}) ORDER BY p.id"
    )
    rows = cursor.fetchall()
    used: set[int] = set()
    for table, column in _portion_references(apps):
        for batch in _batches([row[0] for row in rows]):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN ({marks})", batch
            )
            used.update(row[0] for row in cursor.fetchall())
    for pk, food_id, name, description, amount_text, grams_text in rows:
        what = (
            f"food {food_id} {name!r}: portion {pk} {amount_text} {description!r} = {grams_text} g"
        )
        if pk not in used:
            _say(f"{what}: deleted")
            cursor.execute("DELETE FROM foods_portion WHERE id = %s", [pk])
            continue
        amount, grams = _decimal(amount_text), _decimal(grams_text)
        # Too many or too heavy: the bound; too few, too light or not a number: the least.
        if not _within(amount, THREE_PLACES, MAX_AMOUNT):
            amount = MAX_AMOUNT if _above(amount, MAX_AMOUNT) else Decimal(1)
        if not _within(grams, MIN_GRAMS, MAX_GRAMS):
            grams = MAX_GRAMS if _above(grams, MAX_GRAMS) else MIN_GRAMS
        _say(f"{what}: in use, kept as {amount} = {grams} g")
        cursor.execute(
            "UPDATE foods_portion SET amount = %s, gram_weight = %s WHERE id = %s",
            [amount, grams, pk],
        )


def repair_out_of_range(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        touched = _repair_values(cursor)
        _repair_summaries(cursor, touched)
        _repair_portions(cursor, apps)
        if connection.vendor == "postgresql":
            # Deleted portions queue foreign-key checks until commit, and PostgreSQL alters
            # no table with pending trigger events: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _range(field, limit, *, null=True):
    within = models.Q(**{f"{field}__gte": 0}) & models.Q(**{f"{field}__lte": limit})
    return within | models.Q(**{f"{field}__isnull": True}) if null else within


class Migration(migrations.Migration):
    dependencies = [("foods", "0006_remove_food_owner")]

    operations = [
        # Backwards, this runs last: the rebuilt foods_food gets its search triggers back.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers, elidable=False),
        migrations.RunPython(repair_out_of_range, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="food", name="food_magnesium_non_negative"),
        migrations.RemoveConstraint(model_name="food", name="food_energy_non_negative"),
        migrations.RemoveConstraint(model_name="foodnutrient", name="foodnutrient_non_negative"),
        migrations.RemoveConstraint(model_name="portion", name="portion_amount_positive"),
        migrations.RemoveConstraint(model_name="portion", name="portion_gram_weight_positive"),
        migrations.AddConstraint(
            model_name="food",
            constraint=models.CheckConstraint(
                condition=_range("magnesium_mg_per_100g", Decimal("100000")),
                name="food_magnesium_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="food",
            constraint=models.CheckConstraint(
                condition=_range("energy_kcal_per_100g", Decimal("1000")),
                name="food_energy_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="food",
            constraint=models.CheckConstraint(
                condition=_range("net_carbs_g_per_100g", Decimal("100")),
                name="food_net_carbs_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="foodnutrient",
            constraint=models.CheckConstraint(
                condition=_range("amount_per_100g", Decimal("99999999.9999"), null=False),
                name="foodnutrient_amount_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="portion",
            constraint=models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=Decimal("10000")),
                name="portion_amount_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="portion",
            constraint=models.CheckConstraint(
                condition=models.Q(gram_weight__gte=Decimal("0.1"))
                & models.Q(gram_weight__lte=Decimal("10000")),
                name="portion_gram_weight_range",
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop, elidable=False),
    ]
