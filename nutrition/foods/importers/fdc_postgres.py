"""The FoodData Central loader on PostgreSQL: any size in bounded memory.

Each CSV file is streamed into a temporary staging table with COPY; the foods, their
nutrient values and portions are then written with a few set-based statements, comparing
with what is stored so that a second run writes nothing.

- food.csv, branded_food.csv and food_portion.csv pass through the same Python readers as
  on SQLite (`fdc`), row by row, into typed staging tables: every rule (numbers, bounds,
  barcodes, dates) lives in one place.
- food_nutrient.csv, the big one (about twenty rows per product), goes to the server as it
  is; one pass over the staging table finds the first line breaking a rule, and the
  Python reader is asked about that line to name the problem in the same words.
- Everything runs inside the caller's transaction: a malformed line anywhere, found before
  any write, leaves the database as it was.
- A first load of many foods drops the foods' and values' secondary indexes and foreign
  keys and builds them again at the end (one sort instead of a million index insertions;
  the search index's GIN among them). That happens inside the transaction too, so a
  failure restores them, but until it commits other writers of foods wait, and readers of
  foods wait while the indexes are away. A later run with few new foods keeps them.
"""

# SQL here interpolates only table and column names of our own; values are parameters.
# ruff: noqa: S608
from __future__ import annotations

import csv
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from nutrition.foods import bounds, search
from nutrition.foods.importers import fdc
from nutrition.foods.importers.common import (
    CARBOHYDRATE_NUMBER,
    ENERGY_KCAL_NUMBER,
    FIBER_NUMBER,
    MAGNESIUM_NUMBER,
    ImportResult,
    MalformedFile,
    Progress,
    Writer,
    _bulk_load,
    _run_deferred_checks,
    check_portion,
    parse_decimal,
)
from nutrition.foods.models import Food, FoodNutrient, Portion

log = logging.getLogger(__name__)

# A first load bigger than this many new foods rebuilds indexes instead of updating them.
BULK_FOODS = 20_000
_BLOCK = 1 << 20


def load(folder: Path, *, progress: Progress) -> ImportResult:
    """Called by `fdc.load` inside its transaction."""
    writer = Writer(source_slug="usda-fdc")
    codes: dict[str, str] = {}
    writer.upsert_groups(fdc.read_groups(folder, progress, codes))
    numbers: dict[str, str | None] = {}
    writer.upsert_nutrients(fdc.read_nutrients(folder, progress, numbers), update_existing=False)
    units = fdc.read_units(folder, progress)
    with connection.cursor() as cursor:
        # Room for the hash joins and index builds of a large load, for this transaction.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        stage = _Stage(cursor, folder, progress)
        stage.maps(writer, codes, numbers)
        with _timed("food.csv staged"):
            stage.foods()
        with _timed("branded_food.csv staged"):
            stage.branded()
        with _timed("food_portion.csv staged"):
            stage.portions(units)
        with _timed("food_nutrient.csv copied"):
            stage.values()
        with _timed("values checked"):
            stage.check()
        _write(cursor, writer, stage)
        cursor.execute(f"DROP TABLE {', '.join(_TABLES)}")
    if writer.result.changed:
        # The triggers kept the index in step with every write; the refresh rebuilds the
        # typo vocabulary and statistics (and, after a bulk load, folds the new rows in).
        with _timed("search index refreshed"):
            search.refresh_index()
    return writer.result


@contextmanager
def _timed(what: str) -> Iterator[None]:
    """Each step's time in the log (LOG_LEVEL=INFO): where a large load spends it."""
    started = time.perf_counter()
    yield
    log.info("%s in %.1f s", what, time.perf_counter() - started)


_TABLES = (
    "fdc_category",
    "fdc_nutrient",
    "fdc_food",
    "fdc_branded",
    "fdc_portion",
    "fdc_value",
    "fdc_summary",
    "fdc_id_map",
    "fdc_value_change",
)


class _Stage:
    """The staging tables of one load (temporary: dropped at the end of the transaction)."""

    def __init__(self, cursor, folder: Path, progress: Progress) -> None:
        self.cursor, self.folder, self.progress = cursor, folder, progress
        self.value_count = 0
        self.numbers: dict[str, str | None] = {}
        self.writer: Writer | None = None

    def _table(self, name: str, columns: str) -> None:
        # Dropped at the end of the load too: a caller's outer transaction (a test) may run
        # several loads before it commits.
        self.cursor.execute(f"DROP TABLE IF EXISTS {name}")
        self.cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")

    def _copy(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
        with self.cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    # --- small lookup tables --------------------------------------------------------------
    def maps(self, writer: Writer, codes: dict[str, str], numbers: dict[str, str | None]):
        self._table("fdc_category", "category_id text PRIMARY KEY, group_id integer")
        self._copy(
            "fdc_category",
            ("category_id", "group_id"),
            ((cid, writer.group_ids.get(code)) for cid, code in codes.items()),
        )
        self._table(
            "fdc_nutrient",
            "nutrient_id bigint PRIMARY KEY, number text, pk integer, most numeric",
        )
        self._copy(
            "fdc_nutrient",
            ("nutrient_id", "number", "pk", "most"),
            (
                (
                    nid,
                    number,
                    writer.nutrient_ids.get(number) if number else None,
                    writer.nutrient_limits.get(number) if number else None,
                )
                for nid, number in numbers.items()
                if nid.isdigit()
            ),
        )
        self.numbers = numbers
        self.writer = writer

    # --- food.csv ---------------------------------------------------------------------------
    def foods(self) -> None:
        """Every food of the file; those we do not keep (lab samples) with no data type, so
        that their values and portions are passed over rather than unknown."""
        self._table(
            "fdc_food",
            "line integer NOT NULL, fdc_id bigint NOT NULL, data_type text, name text, "
            "category_id text, published_on date",
        )
        path = self.folder / "food.csv"

        def rows() -> Iterator[tuple]:
            for line, row in fdc._rows(path, ("fdc_id", "data_type", "description"), self.progress):
                fdc_id, data_type, name, published = fdc.food_fields(path, line, row)
                category = (row.get("food_category_id") or "").strip()
                yield line, int(fdc_id), data_type, name, category, published

        self._copy(
            "fdc_food",
            ("line", "fdc_id", "data_type", "name", "category_id", "published_on"),
            rows(),
        )
        self.cursor.execute("CREATE INDEX ON fdc_food (fdc_id)")
        self._no_repeats("fdc_food", path)
        self.cursor.execute("ANALYZE fdc_food")

    def _no_repeats(self, table: str, path: Path) -> None:
        self.cursor.execute(
            f"SELECT line, fdc_id FROM (SELECT line, fdc_id, row_number() OVER "
            f"(PARTITION BY fdc_id ORDER BY line) AS n FROM {table}) AS t WHERE n > 1 "
            "ORDER BY line LIMIT 1"
        )
        repeat = self.cursor.fetchone()
        if repeat:
            raise MalformedFile(path, repeat[0], f"food {repeat[1]} appears twice")

    # --- branded_food.csv -------------------------------------------------------------------
    def branded(self) -> None:
        self._table(
            "fdc_branded",
            "line integer NOT NULL, fdc_id bigint NOT NULL, brand text, barcode text, "
            "ingredients text, serving_size numeric, serving_size_unit text, "
            "household_serving text, available_on date, discontinued_on date, "
            "serving_grams numeric, serving_name text, serving_problem text",
        )
        path = self.folder / "branded_food.csv"
        if not path.is_file():
            return

        def rows() -> Iterator[tuple]:
            for line, row in fdc._rows(path, ("fdc_id",), self.progress):
                fdc_id = fdc._whole(path, line, row["fdc_id"], "fdc_id")
                label = fdc.branded_fields(path, line, row)
                yield (
                    line,
                    fdc_id,
                    label.brand,
                    label.barcode,
                    label.ingredients,
                    label.serving_size,
                    label.serving_size_unit,
                    label.household_serving,
                    label.available_on,
                    label.discontinued_on,
                    label.serving_grams,
                    fdc.serving_name(label),
                    label.serving_problem,
                )

        self._copy(
            "fdc_branded",
            (
                "line",
                "fdc_id",
                "brand",
                "barcode",
                "ingredients",
                "serving_size",
                "serving_size_unit",
                "household_serving",
                "available_on",
                "discontinued_on",
                "serving_grams",
                "serving_name",
                "serving_problem",
            ),
            rows(),
        )
        self.cursor.execute("CREATE INDEX ON fdc_branded (fdc_id)")
        self._no_repeats("fdc_branded", path)
        # A label serving beyond the bounds matters for a food that is kept.
        self.cursor.execute(
            "SELECT b.line, b.serving_problem FROM fdc_branded b JOIN fdc_food f "
            "ON f.fdc_id = b.fdc_id AND f.data_type IS NOT NULL "
            "WHERE b.serving_problem IS NOT NULL ORDER BY b.line LIMIT 1"
        )
        bad = self.cursor.fetchone()
        if bad:
            raise MalformedFile(path, bad[0], bad[1])
        self.cursor.execute("ANALYZE fdc_branded")

    # --- food_portion.csv -------------------------------------------------------------------
    def portions(self, units: dict[str, str]) -> None:
        """Household portions, checked as on SQLite (`fdc.read_portions` does the same for
        a small file); kept in the file's seq_num order, the label serving last."""
        self._table(
            "fdc_portion",
            "line integer NOT NULL, fdc_id bigint NOT NULL, seq bigint, portion_id bigint, "
            "amount numeric, description text, gram_weight numeric, problem text",
        )
        path = self.folder / "food_portion.csv"
        skipped = {"n": 0}

        def rows() -> Iterator[tuple]:
            for line, row in fdc._rows(path, ("id", "fdc_id", "gram_weight"), self.progress):
                fdc_id = fdc._whole(path, line, row["fdc_id"], "fdc_id")
                grams_text = row["gram_weight"].strip()
                grams = (
                    parse_decimal(path, line, grams_text, "gram_weight", places=3)
                    if grams_text
                    else 0
                )
                if not grams:
                    skipped["n"] += 1
                    continue
                amount_text = (row.get("amount") or "").strip()
                amount = (
                    parse_decimal(path, line, amount_text, "amount", places=3) if amount_text else 0
                ) or Decimal(1)
                problem = None
                try:
                    check_portion(path, line, amount, grams)
                except MalformedFile as exc:
                    problem = exc.message
                unit = units.get((row.get("measure_unit_id") or "").strip(), "")
                words = [
                    unit if unit and unit != fdc._UNDETERMINED_UNIT else "",
                    (row.get("modifier") or "").strip(),
                ]
                description = " ".join(w for w in words if w) or (
                    (row.get("portion_description") or "").strip() or "serving"
                )
                seq_text = (row.get("seq_num") or "").strip()
                seq = int(seq_text) if seq_text.isdigit() else 1_000_000
                portion_id = fdc._whole(path, line, row["id"], "id")
                yield line, fdc_id, seq, portion_id, amount, description, grams, problem

        self._copy(
            "fdc_portion",
            (
                "line",
                "fdc_id",
                "seq",
                "portion_id",
                "amount",
                "description",
                "gram_weight",
                "problem",
            ),
            rows(),
        )
        if skipped["n"]:
            self.writer.result.skipped["portions without a weight"] = skipped["n"]
        # Out of bounds (for a food that is not a passed-over lab sample), then unknown foods.
        self.cursor.execute(
            "SELECT p.line, p.problem FROM fdc_portion p LEFT JOIN fdc_food f "
            "ON f.fdc_id = p.fdc_id WHERE p.problem IS NOT NULL "
            "AND (f.fdc_id IS NULL OR f.data_type IS NOT NULL) ORDER BY p.line LIMIT 1"
        )
        bad = self.cursor.fetchone()
        if bad:
            raise MalformedFile(path, bad[0], bad[1])
        self.cursor.execute(
            "SELECT p.line, p.fdc_id FROM fdc_portion p WHERE NOT EXISTS "
            "(SELECT 1 FROM fdc_food f WHERE f.fdc_id = p.fdc_id) ORDER BY p.line LIMIT 1"
        )
        bad = self.cursor.fetchone()
        if bad:
            raise MalformedFile(path, bad[0], f"unknown food {str(bad[1])!r}")

    # --- food_nutrient.csv ------------------------------------------------------------------
    def values(self) -> None:
        """The file as it is, into text columns (line numbers from an identity column)."""
        path = self.folder / "food_nutrient.csv"
        with path.open("rb") as f, self.progress(path.name, path.stat().st_size) as bar:
            first = f.readline()
            try:
                header = next(csv.reader([first.decode("utf-8-sig")]), [])
            except UnicodeDecodeError:
                raise MalformedFile(path, 1, "the header is not UTF-8 text") from None
            header = [name.strip() for name in header]
            if not header:
                raise MalformedFile(path, 1, "the file is empty")
            missing = [c for c in ("fdc_id", "nutrient_id", "amount") if c not in header]
            if missing:
                raise MalformedFile(path, 1, f"missing column(s) {', '.join(missing)}")
            # The three columns we use are typed (COPY converts them in C: a text that is no
            # number fails there, and the Python reader names the problem); the rest is text.
            typed = {"fdc_id": "bigint", "nutrient_id": "bigint", "amount": "numeric"}
            names_in_file = []
            for i, name in enumerate(header):
                if name in typed and name not in names_in_file:
                    names_in_file.append(name)
                else:
                    names_in_file.append(f"c{i}")
            columns = ", ".join(f"{n} {typed.get(n, 'text')}" for n in names_in_file)
            self._table(
                "fdc_value",
                f"line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), {columns}",
            )
            names = ", ".join(names_in_file)
            bar.update(len(first))
            try:
                with self.cursor.cursor.copy(
                    f"COPY fdc_value ({names}) FROM STDIN "
                    "(FORMAT csv, FORCE_NULL (fdc_id, nutrient_id, amount))"
                ) as copy:
                    while block := f.read(_BLOCK):
                        copy.write(block)
                        bar.update(len(block))
            except psycopg.errors.DataError as exc:
                # "COPY fdc_value, line 12: ..." counts the records sent, after the header.
                where = re.search(r"line (\d+)", exc.diag.context or "")
                line = int(where.group(1)) + 1 if where else None
                if line is not None and exc.sqlstate != "22021":  # 22021: not UTF-8
                    self._explain(path, line, kept=None)
                raise MalformedFile(path, line, exc.diag.message_primary or str(exc)) from None

    def _explain(self, path: Path, line: int, *, kept: bool | None) -> None:
        """Read record `line` of food_nutrient.csv with the Python reader and raise its
        problem in the same words as the SQLite path; return when that reader finds none.
        (Only after a failure: it reads the file again up to that line.)"""
        for number, row in fdc._rows(path, ("fdc_id", "nutrient_id", "amount"), _quiet):
            if number >= line:
                self._value_problem(path, number, row, kept=kept)
                return

    def _value_problem(self, path: Path, line: int, row: dict, *, kept: bool | None) -> None:
        nutrient_id = row["nutrient_id"].strip()
        if nutrient_id not in self.numbers:
            raise MalformedFile(path, line, f"unknown nutrient_id {nutrient_id!r}")
        number = self.numbers[nutrient_id]
        amount_text = row["amount"].strip()
        if number is None or not amount_text:
            return
        food = str(fdc._whole(path, line, row["fdc_id"], "fdc_id"))
        amount = parse_decimal(path, line, amount_text, "amount")
        if kept is None:
            return
        if not kept:
            raise MalformedFile(path, line, f"unknown food {food!r}")
        limit = self.writer.nutrient_limits[number]
        if amount > limit:
            unit = self.writer.nutrient_units[number]
            raise MalformedFile(
                path,
                line,
                f"nutrient {number} of food {food}: 100 g of a food cannot hold "
                f"{amount.normalize():f} {unit} (at most {limit:,} {unit})",
            )

    def check(self) -> None:
        """One pass over the values: the first line breaking a rule, and how many values
        there are to write."""
        self.cursor.execute(
            """
            SELECT min(v.line) FILTER (WHERE n.nutrient_id IS NULL OR (
                       n.number IS NOT NULL AND v.amount IS NOT NULL AND (
                           f.fdc_id IS NULL OR v.amount < 0 OR v.amount = 'NaN'
                           OR (f.data_type IS NOT NULL AND round(v.amount, 4) > n.most)))),
                   count(*) FILTER (WHERE n.pk IS NOT NULL AND v.amount IS NOT NULL
                                    AND f.data_type IS NOT NULL)
            FROM fdc_value v
            LEFT JOIN fdc_nutrient n ON n.nutrient_id = v.nutrient_id
            LEFT JOIN fdc_food f ON f.fdc_id = v.fdc_id
            """
        )
        line, self.value_count = self.cursor.fetchone()
        if line is None:
            return
        path = self.folder / "food_nutrient.csv"
        self.cursor.execute(
            "SELECT f.data_type IS NOT NULL FROM fdc_value v JOIN fdc_food f "
            "ON f.fdc_id = v.fdc_id WHERE v.line = %s",
            [line],
        )
        found = self.cursor.fetchone()
        self._explain(path, line, kept=bool(found and found[0]))
        raise MalformedFile(path, line, "not a valid nutrient value")


class _QuietBar:
    def update(self, n: int) -> None:
        pass


class _Quiet:
    def __enter__(self) -> _QuietBar:
        return _QuietBar()

    def __exit__(self, *exc) -> None:
        return None


def _quiet(label: str, total: int | None) -> _Quiet:
    return _Quiet()


def _summary_sql(stage_column: str, existing: str, number: str, ids: dict[str, int]) -> str:
    """A food's amount of one summary nutrient after the load: the file's value, else the
    stored one (values missing from the file are kept, as on SQLite)."""
    pk = ids.get(number)
    if pk is None:
        return stage_column
    return (
        f"coalesce({stage_column}, (SELECT fn.amount_per_100g FROM foods_foodnutrient fn "
        f"WHERE fn.food_id = {existing}.id AND fn.nutrient_id = {int(pk)}))"
    )


def _write(cursor, writer: Writer, stage: _Stage) -> None:
    source = writer.source.pk
    now = timezone.now()
    ids = writer.nutrient_ids

    # The summary nutrients of each food, from the file.
    cursor.execute("DROP TABLE IF EXISTS fdc_summary, fdc_id_map")
    started = time.perf_counter()
    cursor.execute(
        """
        CREATE TEMP TABLE fdc_summary ON COMMIT DROP AS
        SELECT v.fdc_id,
               -- a repeated line: the first one counts, as for the values themselves
               (array_agg(a ORDER BY v.line) FILTER (WHERE n.number = %(mg)s))[1] AS magnesium,
               (array_agg(a ORDER BY v.line) FILTER (WHERE n.number = %(kcal)s))[1] AS energy,
               (array_agg(a ORDER BY v.line) FILTER (WHERE n.number = %(carb)s))[1]
                   AS carbohydrate,
               (array_agg(a ORDER BY v.line) FILTER (WHERE n.number = %(fiber)s))[1] AS fiber
        FROM fdc_value v
        JOIN fdc_nutrient n ON n.nutrient_id = v.nutrient_id
             AND n.number IN (%(mg)s, %(kcal)s, %(carb)s, %(fiber)s)
        JOIN fdc_food f ON f.fdc_id = v.fdc_id AND f.data_type IS NOT NULL
        CROSS JOIN LATERAL (SELECT round(v.amount, 4) AS a) AS x
        WHERE v.amount IS NOT NULL
        GROUP BY 1
        """,
        {
            "mg": MAGNESIUM_NUMBER,
            "kcal": ENERGY_KCAL_NUMBER,
            "carb": CARBOHYDRATE_NUMBER,
            "fiber": FIBER_NUMBER,
        },
    )
    cursor.execute("CREATE INDEX ON fdc_summary (fdc_id)")
    cursor.execute("ANALYZE fdc_summary")
    log.info("summaries in %.1f s", time.perf_counter() - started)
    # The rule of services.food_summary_values, set-based: within the bounds or no figure.
    magnesium = _summary_sql("s.magnesium", "e", MAGNESIUM_NUMBER, ids)
    energy = _summary_sql("s.energy", "e", ENERGY_KCAL_NUMBER, ids)
    carbohydrate = _summary_sql("s.carbohydrate", "e", CARBOHYDRATE_NUMBER, ids)
    fiber = _summary_sql("s.fiber", "e", FIBER_NUMBER, ids)

    cursor.execute(
        "SELECT coalesce(max(id), 0) FROM foods_food",
    )
    (last_id_before,) = cursor.fetchone()
    cursor.execute(
        "SELECT count(*) FROM fdc_food f WHERE f.data_type IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM foods_food e WHERE e.data_source_id = %s AND e.source_id = f.fdc_id::text)",
        [source],
    )
    (new_foods,) = cursor.fetchone()
    bulk = new_foods >= BULK_FOODS

    fields = (
        "name",
        "brand",
        "food_group_id",
        "data_type",
        "barcode",
        "ingredients",
        "serving_size",
        "serving_size_unit",
        "household_serving",
        "published_on",
        "discontinued_on",
        "magnesium_mg_per_100g",
        "energy_kcal_per_100g",
        "net_carbs_g_per_100g",
    )
    # The file's foods as the table would hold them (summary figures rounded as the columns
    # round them), beside the stored row of each one there already.
    wanted = f"""
        SELECT f.fdc_id, e.id AS food_id,
            f.name, coalesce(b.brand, '') AS brand, cat.group_id AS food_group_id,
            f.data_type, coalesce(b.barcode, '') AS barcode,
            coalesce(b.ingredients, '') AS ingredients, b.serving_size,
            coalesce(b.serving_size_unit, '') AS serving_size_unit,
            coalesce(b.household_serving, '') AS household_serving,
            coalesce(f.published_on, b.available_on) AS published_on,
            b.discontinued_on,
            CASE WHEN mg <= %(mg_most)s THEN round(mg, 3) END AS magnesium_mg_per_100g,
            CASE WHEN kcal <= %(kcal_most)s THEN round(kcal, 3) END AS energy_kcal_per_100g,
            CASE WHEN net <= %(carb_most)s THEN round(net, 3) END AS net_carbs_g_per_100g
        FROM fdc_food f
        LEFT JOIN fdc_branded b ON b.fdc_id = f.fdc_id
        LEFT JOIN fdc_category cat ON cat.category_id = f.category_id
        LEFT JOIN fdc_summary s ON s.fdc_id = f.fdc_id
        LEFT JOIN foods_food e ON e.data_source_id = %(source)s AND e.source_id = f.fdc_id::text
        CROSS JOIN LATERAL (SELECT {magnesium} AS mg, {energy} AS kcal,
                                   {carbohydrate} AS carb, {fiber} AS fib) AS t
        CROSS JOIN LATERAL (SELECT CASE WHEN carb IS NOT NULL
                THEN greatest(carb - coalesce(fib, 0), 0) END AS net) AS u
        WHERE f.data_type IS NOT NULL
    """
    params = {
        "source": source,
        "now": now,
        "mg_most": _most("magnesium"),
        "kcal_most": _most("energy_kcal"),
        "carb_most": _most("carbohydrate"),
    }
    names = ", ".join(fields)
    # Compared first, written after: an INSERT … ON CONFLICT would run the search trigger
    # (BEFORE INSERT) for every row of the file, changed or not.
    cursor.execute("SELECT count(*) FROM fdc_food WHERE data_type IS NOT NULL")
    (kept,) = cursor.fetchone()
    created = updated = 0
    with _timed("foods written"), _bulk_load(Food._meta.db_table, enabled=bulk):
        if new_foods:
            cursor.execute(
                f"INSERT INTO foods_food (data_source_id, source_id, common_names, "
                f"scientific_name, verified, private, created_at, updated_at, {names}) "
                f"SELECT %(source)s, w.fdc_id::text, '', '', false, false, %(now)s, %(now)s, "
                f"{', '.join(f'w.{name}' for name in fields)} FROM ({wanted}) AS w "
                "WHERE w.food_id IS NULL",
                params,
            )
            created = cursor.rowcount
        if new_foods < kept:  # a first load has nothing to compare
            cursor.execute(
                f"UPDATE foods_food e SET {', '.join(f'{name} = w.{name}' for name in fields)}, "
                f"updated_at = %(now)s FROM ({wanted}) AS w WHERE e.id = w.food_id "
                f"AND ({', '.join(f'e.{name}' for name in fields)}) "
                f"IS DISTINCT FROM ({', '.join(f'w.{name}' for name in fields)})",
                params,
            )
            updated = cursor.rowcount
    # The planner needs to know the table grew (a million rows instead of thousands).
    # (Only the columns joined on here: the search document's finer statistics are the
    # search refresh's business, at the end.)
    cursor.execute("ANALYZE foods_food (id, data_source_id, source_id, data_type, discontinued_on)")
    cursor.execute(
        "SELECT count(*), array_agg(DISTINCT data_type), max(published_on) "
        "FROM fdc_food WHERE data_type IS NOT NULL"
    )
    kept, data_types, latest = cursor.fetchone()
    tally = writer.result.tallies["foods"]
    tally.created, tally.updated, tally.unchanged = created, updated, kept - created - updated
    cursor.execute("SELECT count(*) FROM fdc_food WHERE data_type IS NULL")
    writer.result.skipped["foods"] = cursor.fetchone()[0]

    # Our ids of the file's foods.
    cursor.execute(
        "CREATE TEMP TABLE fdc_id_map ON COMMIT DROP AS SELECT f.fdc_id, e.id AS food_id "
        "FROM fdc_food f JOIN foods_food e ON e.data_source_id = %s "
        "AND e.source_id = f.fdc_id::text WHERE f.data_type IS NOT NULL",
        [source],
    )
    cursor.execute("CREATE UNIQUE INDEX ON fdc_id_map (fdc_id)")
    cursor.execute("CREATE UNIQUE INDEX ON fdc_id_map (food_id)")
    cursor.execute("ANALYZE fdc_id_map")

    # Products the release no longer lists, among the data types it holds.
    release_day = latest or timezone.localdate()
    cursor.execute(
        "UPDATE foods_food e SET discontinued_on = %s, updated_at = %s "
        "WHERE e.data_source_id = %s AND e.data_type = ANY(%s) AND e.discontinued_on IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM fdc_id_map m WHERE m.food_id = e.id)",
        [release_day, now, source, data_types or []],
    )
    writer.result.discontinued = cursor.rowcount

    # Nutrient values.
    value_rows = """
        SELECT m.food_id, n.pk AS nutrient_id, round(v.amount, 4) AS amount
        FROM fdc_value v
        JOIN fdc_nutrient n ON n.nutrient_id = v.nutrient_id AND n.pk IS NOT NULL
        JOIN fdc_id_map m ON m.fdc_id = v.fdc_id
        WHERE v.amount IS NOT NULL
    """
    table = FoodNutrient._meta.db_table
    values = writer.result.tallies["nutrient values"]
    cursor.execute("DROP TABLE IF EXISTS fdc_value_change")
    # Foods there before: the values that differ from the stored ones, in one pass.
    with _timed("values compared"):
        cursor.execute(
            "CREATE TEMP TABLE fdc_value_change ON COMMIT DROP AS "
            "SELECT x.food_id, x.nutrient_id, x.amount, x.line, fn.id IS NULL AS new "
            f"FROM ({value_rows.replace('AS amount', 'AS amount, v.line')} "
            "AND m.food_id <= %(last)s) AS x "
            f"LEFT JOIN {table} fn ON fn.food_id = x.food_id AND fn.nutrient_id = x.nutrient_id "
            "WHERE fn.amount_per_100g IS DISTINCT FROM x.amount",
            {"last": last_id_before},
        )
        if cursor.rowcount:
            # A repeated line: only the first one of a food and nutrient counts.
            cursor.execute(
                "DELETE FROM fdc_value_change c USING (SELECT m.food_id, n.pk, min(v.line) "
                "AS line FROM fdc_value v JOIN fdc_nutrient n ON n.nutrient_id = v.nutrient_id "
                "JOIN fdc_id_map m ON m.fdc_id = v.fdc_id WHERE v.amount IS NOT NULL AND "
                "(m.food_id, n.pk) IN (SELECT food_id, nutrient_id FROM fdc_value_change) "
                "GROUP BY 1, 2) AS first WHERE c.food_id = first.food_id "
                "AND c.nutrient_id = first.pk AND c.line <> first.line"
            )
        cursor.execute(
            f"UPDATE {table} fn SET amount_per_100g = c.amount FROM fdc_value_change c "
            "WHERE NOT c.new AND fn.food_id = c.food_id AND fn.nutrient_id = c.nutrient_id"
        )
        values.updated = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {table} (food_id, nutrient_id, amount_per_100g) "
            "SELECT food_id, nutrient_id, amount FROM fdc_value_change WHERE new "
            "ON CONFLICT (food_id, nutrient_id) DO NOTHING"
        )
        values.created = cursor.rowcount
    # New foods: all their values are new (a repeated line keeps the first value).
    with _timed("values inserted"):
        if bulk:
            # Millions of rows: into the bare table, then every index built by one sort.
            with _without_indexes(cursor, table) as rebuilt:
                cursor.execute(
                    f"INSERT INTO {table} (food_id, nutrient_id, amount_per_100g) "
                    f"{value_rows} AND m.food_id > %(last)s",
                    {"last": last_id_before},
                )
                values.created += cursor.rowcount
                # A repeated line keeps its first value, as the ON CONFLICT below does.
                rebuilt.before_unique = (
                    f"DELETE FROM {table} a USING {table} b WHERE a.food_id > %s "
                    "AND a.food_id = b.food_id AND a.nutrient_id = b.nutrient_id AND a.id > b.id",
                    [last_id_before],
                )
            values.created -= rebuilt.removed
        else:
            cursor.execute(
                f"INSERT INTO {table} (food_id, nutrient_id, amount_per_100g) "
                f"{value_rows} AND m.food_id > %(last)s "
                "ON CONFLICT (food_id, nutrient_id) DO NOTHING",
                {"last": last_id_before},
            )
            values.created += cursor.rowcount
    values.unchanged = max(stage.value_count - values.created - values.updated, 0)

    # Portions: the file's household ones in seq_num order, then the label serving.
    table = Portion._meta.db_table
    with _timed("portions written"):
        cursor.execute(
            f"""
        WITH up AS (
            INSERT INTO {table} (food_id, seq, amount, description, gram_weight)
            SELECT m.food_id,
                   row_number() OVER (PARTITION BY m.food_id ORDER BY p.seq, p.portion_id),
                   p.amount, left(p.description, 200), p.gram_weight
            FROM (
                SELECT fdc_id, seq, portion_id, amount, description, gram_weight
                FROM fdc_portion
                UNION ALL
                SELECT fdc_id, %(label_seq)s, 0, 1, serving_name, serving_grams
                FROM fdc_branded WHERE serving_grams IS NOT NULL
            ) AS p
            JOIN fdc_id_map m ON m.fdc_id = p.fdc_id
            ON CONFLICT (food_id, seq) DO UPDATE SET amount = EXCLUDED.amount,
                description = EXCLUDED.description, gram_weight = EXCLUDED.gram_weight
            WHERE ({table}.amount, {table}.description, {table}.gram_weight)
                  IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.description, EXCLUDED.gram_weight)
            RETURNING xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up
        """,
            {"label_seq": fdc.LABEL_SERVING_SEQ},
        )
    portions = writer.result.tallies["portions"]
    portions.created, portions.updated = cursor.fetchone()
    cursor.execute(
        "SELECT (SELECT count(*) FROM fdc_portion p JOIN fdc_id_map m USING (fdc_id)) + "
        "(SELECT count(*) FROM fdc_branded b JOIN fdc_id_map m USING (fdc_id) "
        "WHERE b.serving_grams IS NOT NULL)"
    )
    portions.unchanged = cursor.fetchone()[0] - portions.created - portions.updated


class _Rebuilt:
    def __init__(self) -> None:
        # (sql, params) run when a unique index cannot be built (a repeated line), then
        # the build is tried again; `removed` says how many rows it deleted.
        self.before_unique: tuple[str, list] | None = None
        self.removed = 0


@contextmanager
def _without_indexes(cursor, table: str) -> Iterator[_Rebuilt]:
    """Drop every index, key and foreign key of `table` (none may refer to it), then build
    them again: a sort each instead of one insertion per row and index, about three times
    faster for millions of rows. Inside the load's transaction: a failure restores them."""
    quote = connection.ops.quote_name
    cursor.execute("SELECT count(*) FROM pg_constraint WHERE confrelid = %s::regclass", [table])
    if cursor.fetchone()[0]:
        raise RuntimeError(f"{table} is referenced by a foreign key")  # pragma: no cover
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') "
        "ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    _run_deferred_checks(cursor)  # ALTER TABLE waits for no pending trigger events
    for name, _, _ in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    rebuilt = _Rebuilt()
    yield rebuilt
    started = time.perf_counter()
    for name, definition, kind in sorted(constraints, key=lambda c: "puf".index(c[2])):
        statement = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        if kind == "u" and rebuilt.before_unique:
            try:
                with transaction.atomic():
                    cursor.execute(statement)
                continue
            except IntegrityError:
                cursor.execute(*rebuilt.before_unique)
                rebuilt.removed += cursor.rowcount
        cursor.execute(statement)
    for _, sql in indexes:
        cursor.execute(sql)
    log.info("%s indexes and keys built in %.1f s", table, time.perf_counter() - started)


def _most(key: str) -> Decimal:
    return bounds.SUMMARY_LIMITS[key]
