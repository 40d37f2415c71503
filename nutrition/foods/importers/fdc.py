"""Reader for a USDA FoodData Central CSV download (SR Legacy, Foundation, Survey or Branded).

Nutrients are matched to ours by `nutrient_nbr` (the SR28 number: magnesium is 304), so the
same nutrient from SR28 and from FoodData Central is one row. Portions come from
food_portion.csv and measure_unit.csv; branded foods add their brand, their barcode
(`gtin_upc`) and their label serving size as a portion, from branded_food.csv when present.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.db import transaction

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
# Label serving-size units taken as grams. Millilitres count as grams (density 1): labels
# give no density, and for the drinks that use them the error is a few per cent.
_GRAM_UNITS = {"g", "grm", "gm", "gram", "grams", "ml", "mlt", "milliliter"}
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


def read_branded(folder: Path, progress: Progress) -> dict[str, dict[str, str]]:
    path = folder / "branded_food.csv"
    if not path.is_file():
        return {}
    wanted = ("brand_owner", "brand_name", "gtin_upc", "serving_size", "serving_size_unit")
    return {
        row["fdc_id"].strip(): {
            k: (row.get(k) or "").strip() for k in (*wanted, "household_serving_fulltext")
        }
        | {"line": str(line)}
        for line, row in _rows(path, ("fdc_id",), progress)
    }


def read_foods(
    folder: Path,
    progress: Progress,
    *,
    codes: dict[str, str],
    branded: dict[str, dict[str, str]],
    skipped: set[str],
) -> Iterator[FoodRow]:
    path = folder / "food.csv"
    for line, row in _rows(path, ("fdc_id", "data_type", "description"), progress):
        fdc_id = str(_whole(path, line, row["fdc_id"], "fdc_id"))
        data_type = DATA_TYPES.get(row["data_type"].strip())
        if data_type is None:
            skipped.add(fdc_id)
            continue
        name = row["description"].strip()
        if not name:
            raise MalformedFile(path, line, "description is empty")
        brand = branded.get(fdc_id, {})
        yield FoodRow(
            line=line,
            source_id=fdc_id,
            group_code=codes.get((row.get("food_category_id") or "").strip()),
            name=fit(name, Food, "name"),
            common_names="",
            brand=fit(brand.get("brand_name") or brand.get("brand_owner") or "", Food, "brand"),
            scientific_name="",
            data_type=data_type,
            barcode=canonical_gtin(brand.get("gtin_upc", "")) or "",
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
    branded: dict[str, dict[str, str]],
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
    for fdc_id, info in branded.items():
        if fdc_id not in known_foods or not info.get("serving_size"):
            continue
        if info.get("serving_size_unit", "").lower() not in _GRAM_UNITS:
            continue
        line = int(info["line"])
        grams = parse_decimal(branded_path, line, info["serving_size"], "serving_size", places=3)
        if not grams:
            continue
        check_portion(branded_path, line, Decimal(1), grams)
        household = info.get("household_serving_fulltext", "")
        description = f"serving ({household})" if household else "serving"
        row = PortionRow(line, fdc_id, 0, Decimal(1), description, grams)
        by_food[fdc_id].append((2_000_000, 0, row))
    for rows in by_food.values():
        rows.sort(key=lambda r: (r[0], r[1]))
        for seq, (_, _, row) in enumerate(rows, start=1):
            yield row._replace(seq=seq)


def check_folder(folder: Path) -> None:
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise MalformedFile(
            folder, None, f"not a FoodData Central CSV folder: missing {', '.join(missing)}"
        )


@transaction.atomic
def load(folder: Path, *, progress: Progress) -> ImportResult:
    """Load (or bring up to date) the FoodData Central CSV files in `folder`, all or nothing."""
    check_folder(folder)
    writer = Writer(source_slug="usda-fdc")
    codes: dict[str, str] = {}
    writer.upsert_groups(read_groups(folder, progress, codes))
    numbers: dict[str, str | None] = {}
    # SR28's names and units stay: FoodData Central only adds the nutrients SR28 lacks.
    writer.upsert_nutrients(read_nutrients(folder, progress, numbers), update_existing=False)
    units = read_units(folder, progress)
    branded = read_branded(folder, progress)
    foods = read_foods(folder, progress, codes=codes, branded=branded, skipped=writer.skipped_foods)
    writer.upsert_foods(foods, folder / "food.csv")
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
