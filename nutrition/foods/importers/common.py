"""What the SR28 and FoodData Central importers share: sources, nutrient keys, the writer.

Nutrient keys are part of the project's contract: the well-known ones are fixed here by
their USDA number (SR28 Nutr_No, FoodData Central nutrient_nbr); every other nutrient gets a
key derived from its SR28 Tagname, or its name where there is none.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple, Protocol

from django.db import connection
from django.utils import timezone

from nutrition.foods import bounds, search, services
from nutrition.foods.models import DataSource, Food, FoodGroup, FoodNutrient, Nutrient, Portion

MAGNESIUM_NUMBER = "304"
ENERGY_KCAL_NUMBER = "208"
CARBOHYDRATE_NUMBER = "205"
FIBER_NUMBER = "291"
SUMMARY_NUMBERS = frozenset(
    {MAGNESIUM_NUMBER, ENERGY_KCAL_NUMBER, CARBOHYDRATE_NUMBER, FIBER_NUMBER}
)

FIXED_NUTRIENT_KEYS: dict[str, str] = {
    "304": "magnesium",
    "208": "energy_kcal",
    "268": "energy_kj",
    "205": "carbohydrate",
    "291": "fiber",
    "269": "sugars",
    "203": "protein",
    "204": "fat",
    "301": "calcium",
    "306": "potassium",
    "307": "sodium",
    "255": "water",
    # SR28 gives the Tagname VITD to both of these: tell them apart by unit.
    "324": "vitd_iu",
    "328": "vitd",
}

# The rows of the DataSource table (also created by migration 0003_data_sources).
SOURCES: dict[str, dict[str, str]] = {
    "usda-sr28": {
        "name": "USDA National Nutrient Database for Standard Reference, Release 28",
        "licence": "Public domain (U.S. Government work)",
        "attribution": (
            "U.S. Department of Agriculture, Agricultural Research Service, Nutrient Data "
            "Laboratory. USDA National Nutrient Database for Standard Reference, Release 28 "
            "(Slightly revised). Version Current: May 2016."
        ),
        "url": "https://www.ars.usda.gov/nutrientdata",
    },
    "usda-fdc": {
        "name": "USDA FoodData Central",
        "licence": "Public domain (CC0 1.0)",
        "attribution": (
            "U.S. Department of Agriculture, Agricultural Research Service. FoodData Central. "
            "fdc.nal.usda.gov."
        ),
        "url": "https://fdc.nal.usda.gov/",
    },
    "custom": {
        "name": "Custom foods",
        "licence": "",
        "attribution": "Foods added by the site's editors or by people for their own diary.",
        "url": "",
    },
}

_NON_KEY = re.compile(r"[^a-z0-9]+")


def nutrient_key(usda_number: str, tagname: str, name: str) -> str:
    """The key for a nutrient: fixed for the well-known ones, else from its Tagname or name."""
    if usda_number in FIXED_NUTRIENT_KEYS:
        return FIXED_NUTRIENT_KEYS[usda_number]
    base = _NON_KEY.sub("_", (tagname or name).lower()).strip("_")
    # Fatty-acid names ("18:2 i") would give keys starting with a digit: prefix the number.
    if not base or base[0].isdigit():
        base = f"n{usda_number}_{base}".rstrip("_")
    return base[:60]


class MalformedFile(Exception):
    """A file that does not follow its format: names the file and, where known, the line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class Bar(Protocol):
    def update(self, n: int) -> object: ...


# progress(label, total bytes or None) -> a context manager giving something with update(n).
Progress = Callable[[str, int | None], AbstractContextManager[Bar]]


class GroupRow(NamedTuple):
    code: str
    name: str


class NutrientRow(NamedTuple):
    usda_number: str
    key: str
    name: str
    unit: str
    display_order: int
    decimals: int


class FoodRow(NamedTuple):
    line: int
    source_id: str
    group_code: str | None
    name: str
    common_names: str
    brand: str
    scientific_name: str
    data_type: str
    barcode: str
    # What a branded product's label says (FoodData Central branded_food.csv).
    ingredients: str = ""
    serving_size: Decimal | None = None
    serving_size_unit: str = ""
    household_serving: str = ""
    published_on: date | None = None
    discontinued_on: date | None = None


class PortionRow(NamedTuple):
    line: int
    food: str  # the food's source id
    seq: int
    amount: Decimal
    description: str
    gram_weight: Decimal


# (line, food source id, nutrient USDA number, amount per 100 g): a plain tuple, as the
# readers yield hundreds of thousands of them.
ValueRow = tuple[int, str, str, Decimal]

_PLACES = {places: Decimal(1).scaleb(-places) for places in range(5)}
# Largest amounts the columns hold: FoodNutrient max_digits=12, decimal_places=4;
# Portion max_digits=10, decimal_places=3.
_LIMITS = {4: bounds.COLUMN_LIMIT, 3: Decimal("9999999.999")}


def parse_decimal(
    path: Path, line: int, text: str, what: str, *, positive: bool = False, places: int = 4
) -> Decimal:
    """A non-negative (or positive) number, rounded to the column's decimal places; checked
    as rounded, so it fits the column and a positive one stays above 0."""
    limit = _LIMITS[places]
    try:
        value = Decimal(text)
        # NaN raises InvalidOperation here; so does a number too long to round.
        in_range = 0 <= value <= limit and value.quantize(_PLACES[places]) <= limit
    except InvalidOperation:
        raise MalformedFile(path, line, f"{what} {text!r} is not a number") from None
    value = value.quantize(_PLACES[places]) if in_range else value
    if not in_range or (positive and not value):
        low = "more than 0" if positive else "at least 0"
        raise MalformedFile(path, line, f"{what} {text!r} must be {low} and at most {limit:,}")
    return value


def check_portion(path: Path, line: int, amount: Decimal, grams: Decimal) -> None:
    """A household portion weighs 0.1 g to 10 kg and counts above 0 and at most 10,000 of
    its unit (`bounds`): anything else is a mistake in the file."""
    problem = bounds.portion_grams_problem(grams)
    if problem:
        raise MalformedFile(path, line, f"portion weight {grams} g: {problem}")
    problem = bounds.portion_amount_problem(amount)
    if problem:
        raise MalformedFile(path, line, f"portion amount {amount}: {problem}")


def fit(value: str, model: type, field_name: str) -> str:
    """Cut text to the column's max_length (FoodData Central descriptions can run long)."""
    return value[: model._meta.get_field(field_name).max_length]


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Ids per `IN (...)` list: below SQLite's smallest compile-time variable limit (999).
_IN_BATCH = 900
# Value rows compared and written per round trip.
_VALUE_CHUNK = 50_000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportResult:
    source: str
    tallies: dict[str, Tally]
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    # Foods of the loaded data types that the file no longer lists (marked, never deleted).
    discontinued: int = 0

    @property
    def changed(self) -> bool:
        return self.discontinued > 0 or any(t.created or t.updated for t in self.tallies.values())

    def summary(self) -> str:
        parts = "; ".join(f"{name}: {tally}" for name, tally in self.tallies.items())
        gone = f"; {self.discontinued} discontinued" if self.discontinued else ""
        skipped = "".join(f"; {name}: {n} skipped" for name, n in self.skipped.items() if n)
        return f"{self.source}: {parts}{gone}{skipped} in {self.seconds:.1f} s"


class Writer:
    """Upserts one source's rows on their natural keys, writing only what changed.

    Rows are compared with what is stored (in memory, by key) so a second run writes
    nothing; new rows go in with bulk inserts (COPY on PostgreSQL). The caller owns the
    transaction, so any error leaves the stored data as it was.
    """

    def __init__(self, *, source_slug: str) -> None:
        self.source, _ = DataSource.objects.get_or_create(
            slug=source_slug, defaults=SOURCES[source_slug]
        )
        self.group_ids: dict[str, int] = {}
        self.nutrient_ids: dict[str, int] = {}
        # The most 100 g may hold of each nutrient, by USDA number (`bounds`, by its unit).
        self.nutrient_limits: dict[str, Decimal] = {}
        self.nutrient_units: dict[str, str] = {}
        self.food_ids: dict[str, int] = {}
        self.new_food_ids: set[int] = set()
        # Foods whose values are known to be in the database (compare before writing).
        self._foods_with_flushed_values: set[int] = set()
        # Foods a reader chose to leave out (e.g. FoodData Central lab samples).
        self.skipped_foods: set[str] = set()
        self.result = ImportResult(
            source=source_slug,
            tallies={
                name: Tally()
                for name in ("food groups", "nutrients", "foods", "nutrient values", "portions")
            },
        )

    # --- groups and nutrients (tens of rows) ------------------------------------------------
    def upsert_groups(self, rows: Iterable[GroupRow]) -> None:
        tally = self.result.tallies["food groups"]
        existing = {g.code: g for g in FoodGroup.objects.all()}
        new, changed = [], []
        for row in rows:
            group = existing.get(row.code)
            name = fit(row.name, FoodGroup, "name")
            if group is None:
                group = FoodGroup(code=row.code, name=name)
                existing[row.code] = group
                new.append(group)
            elif group.name != name:
                group.name = name
                changed.append(group)
            else:
                tally.unchanged += 1
        FoodGroup.objects.bulk_create(new)
        FoodGroup.objects.bulk_update(changed, ["name"])
        tally.created += len(new)
        tally.updated += len(changed)
        self.group_ids = {code: g.pk for code, g in existing.items()}

    def upsert_nutrients(self, rows: Iterable[NutrientRow], *, update_existing: bool) -> None:
        """New nutrients are created; known ones keep their key (others refer to it) and,
        with `update_existing`, take the file's name, unit and order."""
        tally = self.result.tallies["nutrients"]
        fields = ["name", "unit", "display_order", "decimals"]
        existing = {n.usda_number: n for n in Nutrient.objects.all()}
        keys = {n.key for n in existing.values()}
        new, changed = [], []
        for row in rows:
            nutrient = existing.get(row.usda_number)
            if nutrient is None:
                key = row.key
                if key in keys:
                    key = f"{key[:50]}_{row.usda_number.replace('.', '_')}"
                keys.add(key)
                nutrient = Nutrient(**(row._asdict() | {"key": key}))
                existing[row.usda_number] = nutrient
                new.append(nutrient)
            elif update_existing and any(getattr(nutrient, f) != getattr(row, f) for f in fields):
                for f in fields:
                    setattr(nutrient, f, getattr(row, f))
                changed.append(nutrient)
            else:
                tally.unchanged += 1
        Nutrient.objects.bulk_create(new)
        Nutrient.objects.bulk_update(changed, fields)
        tally.created += len(new)
        tally.updated += len(changed)
        self.nutrient_ids = {number: n.pk for number, n in existing.items()}
        self.nutrient_units = {number: n.unit for number, n in existing.items()}
        self.nutrient_limits = {
            number: bounds.per_100g_limit(n.unit, n.key) for number, n in existing.items()
        }

    # --- foods (thousands of rows) ----------------------------------------------------------
    _FOOD_FIELDS = (
        "name",
        "common_names",
        "brand",
        "scientific_name",
        "food_group_id",
        "data_type",
        "barcode",
        "ingredients",
        "serving_size",
        "serving_size_unit",
        "household_serving",
        "published_on",
        "discontinued_on",
    )

    def upsert_foods(
        self,
        rows: Iterable[FoodRow],
        path: Path,
        *,
        summaries: Mapping[str, Mapping[str, Decimal]] | None = None,
    ) -> None:
        """`summaries` (source id -> {USDA number: amount} for magnesium, energy,
        carbohydrate and fibre), when the reader has them, lets new foods go in with their
        summary columns filled instead of being updated again after their values."""
        tally = self.result.tallies["foods"]
        summaries = summaries or {}
        for batch in chunks(rows, _IN_BATCH):
            wanted: dict[str, tuple] = {}
            for row in batch:
                if row.source_id in self.food_ids or row.source_id in wanted:
                    raise MalformedFile(path, row.line, f"food {row.source_id} appears twice")
                group_id = None
                if row.group_code:
                    group_id = self.group_ids.get(row.group_code)
                    if group_id is None:
                        raise MalformedFile(
                            path, row.line, f"unknown food group {row.group_code!r}"
                        )
                wanted[row.source_id] = tuple(
                    group_id if name == "food_group_id" else getattr(row, name)
                    for name in self._FOOD_FIELDS
                )
            stored = Food.objects.filter(
                data_source=self.source, source_id__in=list(wanted)
            ).values_list("source_id", "pk", *self._FOOD_FIELDS)
            changed, now = [], timezone.now()
            for source_id, pk, *values in stored:
                self.food_ids[source_id] = pk
                new_values = wanted.pop(source_id)
                if tuple(values) == new_values:
                    tally.unchanged += 1
                else:
                    fields = dict(zip(self._FOOD_FIELDS, new_values, strict=True))
                    changed.append(Food(pk=pk, updated_at=now, **fields))
            Food.objects.bulk_update(changed, [*self._FOOD_FIELDS, "updated_at"], batch_size=200)
            tally.updated += len(changed)
            # What is left in `wanted` is new. Plain inserts (the ORM's per-value preparation
            # costs more than the database's work here), then one query for the new ids.
            if wanted:
                stamp = connection.ops.adapt_datetimefield_value(now)
                rows_in = [
                    (
                        self.source.pk,
                        source_id,
                        *_adapted(values),
                        *_summary(summaries.get(source_id, {})),
                        False,
                        False,
                        stamp,
                        stamp,
                    )
                    for source_id, values in wanted.items()
                ]
                columns = (
                    "data_source_id",
                    "source_id",
                    *(Food._meta.get_field(f).column for f in self._FOOD_FIELDS),
                    "magnesium_mg_per_100g",
                    "energy_kcal_per_100g",
                    "net_carbs_g_per_100g",
                    "verified",
                    "private",
                    "created_at",
                    "updated_at",
                )
                with connection.cursor() as cursor:
                    _insert_rows(cursor, Food._meta.db_table, columns, rows_in)
                for source_id, pk in Food.objects.filter(
                    data_source=self.source, source_id__in=list(wanted)
                ).values_list("source_id", "pk"):
                    self.food_ids[source_id] = pk
                    self.new_food_ids.add(pk)
                tally.created += len(wanted)

    def _food_id(self, path: Path, line: int, source_id: str) -> int | None:
        food_id = self.food_ids.get(source_id)
        if food_id is None and source_id not in self.skipped_foods:
            raise MalformedFile(path, line, f"unknown food {source_id!r}")
        return food_id

    # --- nutrient values (hundreds of thousands of rows) ------------------------------------
    def upsert_values(self, rows: Iterable[ValueRow], path: Path) -> None:
        """Values per 100 g; one beyond its nutrient's physical bound (`bounds`, by unit) is
        a mistake in the file, like one that is not a number."""
        buffer: list[tuple[int, int, Decimal | float]] = []
        food_ids, nutrient_ids, skipped = self.food_ids, self.nutrient_ids, self.skipped_foods
        limits = self.nutrient_limits
        # SQLite keeps these decimals as REAL: binding floats skips the Decimal-to-text
        # adapter, and compares exactly with what is read back raw on the next run.
        as_stored = float if connection.vendor == "sqlite" else _unchanged
        # A first load (thousands of foods, all new) brings hundreds of thousands of rows.
        first_load = len(self.new_food_ids) >= _BULK_LOAD_FOODS
        with _bulk_load(FoodNutrient._meta.db_table, enabled=first_load):
            for line, food, nutrient, amount in rows:
                food_id = food_ids.get(food)
                nutrient_id = nutrient_ids.get(nutrient)
                if food_id is None:
                    if food in skipped:
                        continue
                    raise MalformedFile(path, line, f"unknown food {food!r}")
                if nutrient_id is None:
                    raise MalformedFile(path, line, f"unknown nutrient {nutrient!r}")
                if amount > limits[nutrient]:
                    unit = self.nutrient_units[nutrient]
                    raise MalformedFile(
                        path,
                        line,
                        f"nutrient {nutrient} of food {food}: 100 g of a food cannot hold "
                        f"{amount.normalize():f} {unit} (at most {limits[nutrient]:,} {unit})",
                    )
                buffer.append((food_id, nutrient_id, as_stored(amount)))
                if len(buffer) >= _VALUE_CHUNK:
                    self._write_values(buffer)
                    buffer = []
            self._write_values(buffer)

    def _write_values(self, rows: list[tuple[int, int, Decimal | float]]) -> None:
        tally = self.result.tallies["nutrient values"]
        # Only foods that may already have values need a look at what is stored: on a first
        # load every food is new and nothing is read back.
        to_read = {
            food_id
            for food_id, _, _ in rows
            if food_id not in self.new_food_ids or food_id in self._foods_with_flushed_values
        }
        stored: dict[tuple[int, int], object] = {}
        table = FoodNutrient._meta.db_table
        with connection.cursor() as cursor:
            for batch in chunks(to_read, _IN_BATCH):
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"SELECT food_id, nutrient_id, amount_per_100g FROM {table} "  # noqa: S608
                    f"WHERE food_id IN ({marks})",
                    batch,
                )
                for food_id, nutrient_id, amount in cursor.fetchall():
                    stored[food_id, nutrient_id] = amount
        new, changed = [], []
        for food_id, nutrient_id, amount in rows:
            key = (food_id, nutrient_id)
            old = stored.get(key)
            if old is None:
                new.append((food_id, nutrient_id, amount))
            elif old != amount:
                changed.append((amount, food_id, nutrient_id))
            else:
                tally.unchanged += 1
                continue
            stored[key] = amount  # a repeated line in the file updates, never inserts twice
        self._foods_with_flushed_values.update(food_id for food_id, _, _ in rows)
        with connection.cursor() as cursor:
            if new:
                columns = ("food_id", "nutrient_id", "amount_per_100g")
                _insert_rows(cursor, table, columns, new)
            if changed:
                cursor.executemany(
                    f"UPDATE {table} SET amount_per_100g = %s "  # noqa: S608 (our table name)
                    "WHERE food_id = %s AND nutrient_id = %s",
                    changed,
                )
        tally.created += len(new)
        tally.updated += len(changed)

    # --- portions (tens of thousands of rows) -----------------------------------------------
    def upsert_portions(self, rows: Iterable[PortionRow], path: Path) -> None:
        tally = self.result.tallies["portions"]
        wanted: dict[tuple[int, int], PortionRow] = {}
        for row in rows:
            food_id = self._food_id(path, row.line, row.food)
            if food_id is None:
                continue
            if (food_id, row.seq) in wanted:
                raise MalformedFile(
                    path, row.line, f"portion {row.seq} of food {row.food} appears twice"
                )
            wanted[food_id, row.seq] = row
        known = {food_id for food_id, _ in wanted if food_id not in self.new_food_ids}
        stored: dict[tuple[int, int], tuple] = {}
        for batch in chunks(known, _IN_BATCH):
            for pk, food_id, seq, amount, description, grams in Portion.objects.filter(
                food_id__in=batch
            ).values_list("pk", "food_id", "seq", "amount", "description", "gram_weight"):
                stored[food_id, seq] = (pk, amount, description, grams)
        new, changed = [], []
        as_stored = float if connection.vendor == "sqlite" else _unchanged
        for (food_id, seq), row in wanted.items():
            amount, grams = row.amount, row.gram_weight
            description = fit(row.description, Portion, "description")
            old = stored.get((food_id, seq))
            if old is None:
                new.append((food_id, seq, as_stored(amount), description, as_stored(grams)))
            elif old[1:] != (amount, description, grams):
                changed.append(
                    Portion(
                        pk=old[0],
                        food_id=food_id,
                        seq=seq,
                        amount=amount,
                        description=description,
                        gram_weight=grams,
                    )
                )
            else:
                tally.unchanged += 1
        if new:
            columns = ("food_id", "seq", "amount", "description", "gram_weight")
            with connection.cursor() as cursor:
                _insert_rows(cursor, Portion._meta.db_table, columns, new)
        Portion.objects.bulk_update(
            changed, ["amount", "description", "gram_weight"], batch_size=200
        )
        tally.created += len(new)
        tally.updated += len(changed)

    # --- products a newer release no longer lists ---------------------------------------------
    def discontinue_missing(self, data_types: Iterable[str], *, on: date) -> None:
        """Foods of this source and of `data_types` that the file did not list are marked
        discontinued on `on`: never deleted, as diary entries keep pointing at them. Only the
        data types the file holds count, so a partial download (Foundation foods alone)
        leaves the branded products alone."""
        gone = [
            pk
            for pk, source_id in Food.objects.filter(
                data_source=self.source,
                data_type__in=list(data_types),
                discontinued_on__isnull=True,
            ).values_list("pk", "source_id")
            if source_id not in self.food_ids
        ]
        now = timezone.now()
        for batch in chunks(gone, _IN_BATCH):
            Food.objects.filter(pk__in=batch).update(discontinued_on=on, updated_at=now)
        self.result.discontinued += len(gone)

    # --- the end ----------------------------------------------------------------------------
    def finish(self) -> ImportResult:
        """Refresh the foods' magnesium, energy and net-carb columns, then the search index."""
        services.foods_refresh_summaries(food_ids=self.food_ids.values())
        search.refresh_index()
        self.result.skipped["foods"] = len(self.skipped_foods)
        return self.result


_BULK_LOAD_FOODS = 1000


@contextmanager
def _bulk_load(table: str, *, enabled: bool) -> Iterator[None]:
    """Drop the table's foreign keys (PostgreSQL) and plain indexes for a large load, then
    put them back: one set-based check and one index build instead of one per row (the
    PostgreSQL manual's advice in "Populating a Database"). It all happens inside the
    import's transaction, so readers never see the table without them, and a failure
    rolls the drops back with everything else. No `finally`: after an error the
    transaction is rolled back, which restores them.
    """
    if not enabled:
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
        elif connection.vendor == "sqlite":
            foreign_keys = []  # part of the table definition: they stay
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
        else:
            foreign_keys, indexes = [], []
        if foreign_keys:
            _run_deferred_checks(cursor)  # ALTER TABLE waits for no pending trigger events
        for name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)
        if foreign_keys:
            _run_deferred_checks(cursor)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _adapted(values: tuple) -> tuple:
    """Dates as the backend's raw SQL wants them (ISO text on SQLite)."""
    return tuple(
        connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in values
    )


def _summary(amounts: Mapping[str, Decimal]) -> tuple:
    return services.food_summary_values(
        magnesium=amounts.get(MAGNESIUM_NUMBER),
        energy_kcal=amounts.get(ENERGY_KCAL_NUMBER),
        carbohydrate=amounts.get(CARBOHYDRATE_NUMBER),
        fiber=amounts.get(FIBER_NUMBER),
    )


def _run_deferred_checks(cursor) -> None:
    """PostgreSQL: check the deferred foreign keys of rows written so far, now."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _unchanged(value: Decimal) -> Decimal:
    return value


def _insert_rows(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain inserts of new rows: COPY on PostgreSQL, one prepared statement on SQLite."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
