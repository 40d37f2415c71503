"""Reader for a USDA FoodData Central CSV download (SR Legacy, Foundation, Survey or Branded).

Nutrients are matched to ours by `nutrient_nbr` (the SR28 number: magnesium is 304), so the
same nutrient from SR28 and from FoodData Central is one row. Portions come from
food_portion.csv and measure_unit.csv; branded foods add their brand, their barcode
(`gtin_upc`) and their label serving size as a portion, from branded_food.csv when present.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from nutrition.foods.barcodes import canonical_gtin
from nutrition.foods.importers.common import (
    FoodRow,
    GroupRow,
    ImportResult,
    MalformedFile,
    NutrientRow,
    PortionRow,
    Progress,
    ValueRow,
    Writer,
    check_portion,
    fit,
    nutrient_key,
    parse_decimal,
)
from nutrition.foods.models import Food, FoodGroup, Nutrient

REQUIRED_FILES = (
    "food.csv",
    "food_nutrient.csv",
    "nutrient.csv",
    "food_portion.csv",
    "measure_unit.csv",
    "food_category.csv",
)

# FoodData Central data types we keep. Lab samples and acquisitions ("sub_sample_food",
# "market_acquisition", ...) describe how Foundation foods were measured, not foods to log.
DATA_TYPES = {
    "sr_legacy_food": Food.DataType.SR_LEGACY,
    "foundation_food": Food.DataType.FOUNDATION,
    "survey_fndds_food": Food.DataType.SURVEY,
    "branded_food": Food.DataType.BRANDED,
}

_UNITS = {"MG": "mg", "G": "g", "UG": "µg", "KCAL": "kcal", "KJ": "kJ", "IU": "IU"}
# Label serving-size units as the food keeps them. Servings in g or ml become a household
# portion; millilitres count as grams (density 1): labels give no density, and for the
# drinks that use them the error is a few per cent.
_LABEL_UNITS = {
    "g": "g",
    "grm": "g",
    "gm": "g",
    "gram": "g",
    "grams": "g",
    "ml": "ml",
    "mlt": "ml",
    "milliliter": "ml",
}
# The label serving comes after a food's household portions (their seq_num are far smaller).
LABEL_SERVING_SEQ = 2_000_000
_UNDETERMINED_UNIT = "undetermined"


def _rows(path: Path, columns: tuple[str, ...], progress: Progress) -> Iterator[tuple[int, dict]]:
    """(line number, {column: text}) for each record; the header must name `columns`."""
    with (
        path.open(encoding="utf-8-sig", newline="") as f,
        progress(path.name, path.stat().st_size) as bar,
    ):

        def lines() -> Iterator[str]:
            pending = 0
            for text in f:
                pending += len(text)  # characters: close enough to bytes for a progress bar
                if pending > 1 << 20:
                    bar.update(pending)
                    pending = 0
                yield text
            bar.update(pending)

        reader = csv.reader(lines())
        try:
            header = [name.strip() for name in next(reader)]
            missing = [c for c in columns if c not in header]
            if missing:
                raise MalformedFile(path, 1, f"missing column(s) {', '.join(missing)}")
            width = len(header)
            for record in reader:
                if not record:
                    continue
                if len(record) != width:
                    raise MalformedFile(
                        path, reader.line_num, f"{len(record)} fields, expected {width}"
                    )
                yield reader.line_num, dict(zip(header, record, strict=True))
        except StopIteration:
            raise MalformedFile(path, 1, "the file is empty") from None
        except csv.Error as exc:
            raise MalformedFile(path, reader.line_num, str(exc)) from None
        except UnicodeDecodeError:
            # Decoded a block at a time: the line is the last one read whole, or near it.
            raise MalformedFile(
                path, reader.line_num + 1, "the file is not UTF-8 text near this line"
            ) from None


def _whole(path: Path, line: int, text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise MalformedFile(path, line, f"{what} {text!r} is not a whole number")
    return int(text)


def _number(text: str) -> str:
    """nutrient_nbr as our key: "304", "304.0" and "205.2" give "304", "304", "205.2"."""
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text


def read_groups(folder: Path, progress: Progress, codes: dict[str, str]) -> Iterator[GroupRow]:
    """Food categories; fills `codes` (category id -> our group code)."""
    path = folder / "food_category.csv"
    width = FoodGroup._meta.get_field("code").max_length
    for line, row in _rows(path, ("id", "description"), progress):
        code = (row.get("code") or "").strip() or f"fdc{row['id'].strip()}"
        if len(code) > width:
            raise MalformedFile(path, line, f"category code {code!r} is too long")
        codes[row["id"].strip()] = code
        yield GroupRow(code=code, name=row["description"].strip())


def read_nutrients(
    folder: Path, progress: Progress, numbers: dict[str, str | None]
) -> Iterator[NutrientRow]:
    """Nutrients that carry a nutrient_nbr; fills `numbers` (nutrient id -> nbr or None)."""
    path = folder / "nutrient.csv"
    for _line, row in _rows(path, ("id", "name", "unit_name", "nutrient_nbr"), progress):
        number = _number(row["nutrient_nbr"])
        numbers[row["id"].strip()] = number or None
        if not number:
            continue
        rank = (row.get("rank") or "").strip().removesuffix(".0")
        name = fit(row["name"].strip(), Nutrient, "name")
        unit = row["unit_name"].strip()
        yield NutrientRow(
            usda_number=number,
            key=nutrient_key(number, "", name),
            name=name,
            unit=_UNITS.get(unit.upper(), unit),
            display_order=int(rank) if rank.isdigit() else 0,
            decimals=1,
        )


def read_units(folder: Path, progress: Progress) -> dict[str, str]:
    path = folder / "measure_unit.csv"
    return {
        row["id"].strip(): row["name"].strip()
        for _line, row in _rows(path, ("id", "name"), progress)
    }


class Branded(NamedTuple):
    """What branded_food.csv says of one product, read by column name."""

    brand: str
    barcode: str
    ingredients: str
    serving_size: Decimal | None
    serving_size_unit: str
    household_serving: str
    available_on: date | None
    discontinued_on: date | None
    # The label serving as a household portion, when the label gives it in g or ml; and why
    # it cannot be one (beyond the bounds), which counts only for a food that is kept.
    serving_grams: Decimal | None
    serving_problem: str | None


def _date(path: Path, line: int, text: str, what: str) -> date | None:
    """A date as FoodData Central writes it: 2021-10-28 (recent releases) or 10/28/2021."""
    text = text.strip()
    if not text:
        return None
    try:
        if "/" in text:
            month, day, year = text.split(" ")[0].split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise MalformedFile(path, line, f"{what} {text!r} is not a date") from None


def branded_fields(path: Path, line: int, row: dict[str, str]) -> Branded:
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    unit_text = get("serving_size_unit").lower()
    unit = _LABEL_UNITS.get(unit_text, unit_text)
    size_text = get("serving_size")
    size = parse_decimal(path, line, size_text, "serving_size", places=3) if size_text else None
    grams = problem = None
    if size and unit in ("g", "ml"):
        grams = size
        try:
            check_portion(path, line, Decimal(1), size)
        except MalformedFile as exc:
            problem = exc.message
    return Branded(
        brand=fit(get("brand_name") or get("brand_owner"), Food, "brand"),
        barcode=canonical_gtin(get("gtin_upc")) or "",
        ingredients=get("ingredients"),
        serving_size=size,
        serving_size_unit=fit(unit, Food, "serving_size_unit"),
        household_serving=fit(get("household_serving_fulltext"), Food, "household_serving"),
        available_on=_date(path, line, get("available_date"), "available_date"),
        discontinued_on=_date(path, line, get("discontinued_date"), "discontinued_date"),
        serving_grams=grams,
        serving_problem=problem,
    )


def read_branded(folder: Path, progress: Progress) -> dict[str, tuple[int, Branded]]:
    """fdc_id -> (line, label fields): the SQLite path, for small downloads (PostgreSQL
    streams the file into a staging table instead, `fdc_postgres`)."""
    path = folder / "branded_food.csv"
    if not path.is_file():
        return {}
    return {
        str(_whole(path, line, row["fdc_id"], "fdc_id")): (line, branded_fields(path, line, row))
        for line, row in _rows(path, ("fdc_id",), progress)
    }


class Release:
    """What a food.csv holds: its data types and its newest publication date."""

    def __init__(self) -> None:
        self.data_types: set[str] = set()
        self.latest: date | None = None

    def saw(self, data_type: str, published: date | None) -> None:
        self.data_types.add(data_type)
        if published and (self.latest is None or published > self.latest):
            self.latest = published

    @property
    def day(self) -> date:
        """The day products missing from it are discontinued: its newest publication date."""
        return self.latest or timezone.localdate()


def food_fields(
    path: Path, line: int, row: dict[str, str]
) -> tuple[str, str | None, str, date | None]:
    """(fdc_id, our data type or None for a kind we do not keep, name, publication date)."""
    fdc_id = str(_whole(path, line, row["fdc_id"], "fdc_id"))
    data_type = DATA_TYPES.get(row["data_type"].strip())
    name = row["description"].strip()
    if data_type is not None and not name:
        raise MalformedFile(path, line, "description is empty")
    published = _date(path, line, row.get("publication_date") or "", "publication_date")
    return fdc_id, data_type, fit(name, Food, "name"), published


def read_foods(
    folder: Path,
    progress: Progress,
    *,
    codes: dict[str, str],
    branded: dict[str, tuple[int, Branded]],
    skipped: set[str],
    release: Release,
) -> Iterator[FoodRow]:
    path = folder / "food.csv"
    for line, row in _rows(path, ("fdc_id", "data_type", "description"), progress):
        fdc_id, data_type, name, published = food_fields(path, line, row)
        if data_type is None:
            skipped.add(fdc_id)
            continue
        label = branded.get(fdc_id, (0, None))[1]
        published = published or (label.available_on if label else None)
        release.saw(data_type, published)
        yield FoodRow(
            line=line,
            source_id=fdc_id,
            group_code=codes.get((row.get("food_category_id") or "").strip()),
            name=name,
            common_names="",
            brand=label.brand if label else "",
            scientific_name="",
            data_type=data_type,
            barcode=label.barcode if label else "",
            ingredients=label.ingredients if label else "",
            serving_size=label.serving_size if label else None,
            serving_size_unit=label.serving_size_unit if label else "",
            household_serving=label.household_serving if label else "",
            published_on=published,
            discontinued_on=label.discontinued_on if label else None,
        )


def read_values(
    folder: Path, progress: Progress, numbers: dict[str, str | None]
) -> Iterator[ValueRow]:
    path = folder / "food_nutrient.csv"
    for line, row in _rows(path, ("fdc_id", "nutrient_id", "amount"), progress):
        nutrient_id = row["nutrient_id"].strip()
        if nutrient_id not in numbers:
            raise MalformedFile(path, line, f"unknown nutrient_id {nutrient_id!r}")
        number = numbers[nutrient_id]
        amount = row["amount"].strip()
        if number is None or not amount:
            continue  # no SR number to match on, or no value measured
        fdc_id = str(_whole(path, line, row["fdc_id"], "fdc_id"))
        yield line, fdc_id, number, parse_decimal(path, line, amount, "amount")


def read_portions(
    folder: Path,
    progress: Progress,
    *,
    units: dict[str, str],
    branded: dict[str, tuple[int, Branded]],
    skipped_foods: set[str],
    known_foods: dict[str, int],
    skip_counts: dict[str, int],
) -> Iterator[PortionRow]:
    """Household portions, numbered 1, 2, … per food in the file's seq_num order, then the
    label serving of branded foods."""
    path = folder / "food_portion.csv"
    by_food: dict[str, list[tuple[int, int, PortionRow]]] = defaultdict(list)
    columns = ("id", "fdc_id", "gram_weight")
    for line, row in _rows(path, columns, progress):
        fdc_id = str(_whole(path, line, row["fdc_id"], "fdc_id"))
        grams_text = row["gram_weight"].strip()
        grams = parse_decimal(path, line, grams_text, "gram_weight", places=3) if grams_text else 0
        if not grams:
            skip_counts["portions without a weight"] = (
                skip_counts.get("portions without a weight", 0) + 1
            )
            continue
        amount_text = (row.get("amount") or "").strip()
        amount = parse_decimal(path, line, amount_text, "amount", places=3) if amount_text else 0
        amount = amount or Decimal(1)
        if fdc_id not in skipped_foods:  # lab samples are not kept: nor are their portions
            check_portion(path, line, amount, grams)
        unit = units.get((row.get("measure_unit_id") or "").strip(), "")
        words = [
            unit if unit and unit != _UNDETERMINED_UNIT else "",
            (row.get("modifier") or "").strip(),
        ]
        description = " ".join(w for w in words if w) or (
            (row.get("portion_description") or "").strip() or "serving"
        )
        seq_text = (row.get("seq_num") or "").strip()
        seq = int(seq_text) if seq_text.isdigit() else 1_000_000
        by_food[fdc_id].append(
            (
                seq,
                _whole(path, line, row["id"], "id"),
                PortionRow(line, fdc_id, 0, amount, description, grams),
            )
        )
    branded_path = folder / "branded_food.csv"
    for fdc_id, (line, label) in branded.items():
        if fdc_id not in known_foods or label.serving_grams is None:
            continue
        if label.serving_problem:
            raise MalformedFile(branded_path, line, label.serving_problem)
        row = PortionRow(line, fdc_id, 0, Decimal(1), serving_name(label), label.serving_grams)
        by_food[fdc_id].append((LABEL_SERVING_SEQ, 0, row))
    for rows in by_food.values():
        rows.sort(key=lambda r: (r[0], r[1]))
        for seq, (_, _, row) in enumerate(rows, start=1):
            yield row._replace(seq=seq)


def serving_name(label: Branded) -> str:
    household = label.household_serving
    return f"serving ({household})" if household else "serving"


def check_folder(folder: Path) -> None:
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise MalformedFile(
            folder, None, f"not a FoodData Central CSV folder: missing {', '.join(missing)}"
        )


@transaction.atomic
def load(folder: Path, *, progress: Progress) -> ImportResult:
    """Load (or bring up to date) the FoodData Central CSV files in `folder`, all or nothing.

    Foods of the data types the file holds that it no longer lists are marked discontinued
    (`discontinued_on`, the release's newest publication date), never deleted; a food that
    comes back has the mark cleared. PostgreSQL streams the files through staging tables
    (`fdc_postgres`), in bounded memory whatever their size; SQLite reads them here.
    """
    check_folder(folder)
    if connection.vendor == "postgresql":
        # Imported here: that module builds on this one's readers.
        from nutrition.foods.importers import fdc_postgres

        return fdc_postgres.load(folder, progress=progress)
    writer = Writer(source_slug="usda-fdc")
    codes: dict[str, str] = {}
    writer.upsert_groups(read_groups(folder, progress, codes))
    numbers: dict[str, str | None] = {}
    # SR28's names and units stay: FoodData Central only adds the nutrients SR28 lacks.
    writer.upsert_nutrients(read_nutrients(folder, progress, numbers), update_existing=False)
    units = read_units(folder, progress)
    branded = read_branded(folder, progress)
    release = Release()
    foods = read_foods(
        folder,
        progress,
        codes=codes,
        branded=branded,
        skipped=writer.skipped_foods,
        release=release,
    )
    writer.upsert_foods(foods, folder / "food.csv")
    writer.discontinue_missing(release.data_types, on=release.day)
    writer.upsert_values(read_values(folder, progress, numbers), folder / "food_nutrient.csv")
    portions = read_portions(
        folder,
        progress,
        units=units,
        branded=branded,
        skipped_foods=writer.skipped_foods,
        known_foods=writer.food_ids,
        skip_counts=writer.result.skipped,
    )
    writer.upsert_portions(portions, folder / "food_portion.csv")
    return writer.finish()
