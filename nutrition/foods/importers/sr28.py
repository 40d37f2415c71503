"""Reader for the USDA SR28 release (ASCII files: Latin-1, `^`-separated, `~`-quoted text).

Each reader streams one file and yields plain tuples, so the 40 MB NUT_DATA file is never
held in memory. A line that does not follow the format raises `MalformedFile` with the file
and line number.
"""

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from nutrition.foods.importers.common import (
    SUMMARY_NUMBERS,
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
    nutrient_key,
    parse_decimal,
)
from nutrition.foods.models import Food

_FOUR_PLACES = Decimal("0.0001")

FILES = ("FD_GROUP.txt", "NUTR_DEF.txt", "FOOD_DES.txt", "NUT_DATA.txt", "WEIGHT.txt")

# Fields per line (the SR28 documentation, Release 28, tables 1 to 6).
_FIELD_COUNTS = {
    "FD_GROUP.txt": 2,
    "NUTR_DEF.txt": 6,
    "FOOD_DES.txt": 14,
    "NUT_DATA.txt": 18,
    "WEIGHT.txt": 7,
}


def _split_quoted(line: str) -> list[str]:
    """Split a line whose `~`-quoted text fields may themselves contain `^`."""
    fields: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == "~":
            end = line.find("~", i + 1)
            if end < 0:
                raise ValueError("a text field opened with ~ is never closed")
            fields.append(line[i : end + 1])
            i = end + 1
            if i < n and line[i] != "^":
                raise ValueError("text after the closing ~ of a field")
        else:
            end = line.find("^", i)
            end = n if end < 0 else end
            fields.append(line[i:end])
            i = end
        if i >= n:
            return fields
        i += 1  # the ^
        if i == n:
            fields.append("")
            return fields


def _unquote(field: str) -> str:
    if field[:1] == "~":
        if len(field) < 2 or field[-1] != "~":
            raise ValueError(f"unbalanced ~ in {field!r}")
        return field[1:-1]
    return field


def _lines(path: Path, progress: Progress) -> Iterator[tuple[int, list[str]]]:
    """(line number, raw fields) for each line of an SR28 file; fields keep their ~ quotes."""
    expected = _FIELD_COUNTS[path.name]
    with (
        path.open(encoding="latin-1", newline="") as f,
        progress(path.name, path.stat().st_size) as bar,
    ):
        pending = 0
        for number, line in enumerate(f, start=1):
            # Latin-1 is one byte per character, so len(line) counts bytes for the bar.
            pending += len(line)
            if pending > 1 << 20:
                bar.update(pending)
                pending = 0
            line = line.rstrip("\r\n")
            if not line:
                continue
            fields = line.split("^")
            if len(fields) != expected:
                try:
                    fields = _split_quoted(line)
                except ValueError as exc:
                    raise MalformedFile(path, number, str(exc)) from None
                if len(fields) != expected:
                    raise MalformedFile(path, number, f"{len(fields)} fields, expected {expected}")
            yield number, fields
        bar.update(pending)


def _text(path: Path, number: int, field: str, what: str, *, required: bool = False) -> str:
    try:
        value = _unquote(field)
    except ValueError as exc:
        raise MalformedFile(path, number, f"{what}: {exc}") from None
    if required and not value:
        raise MalformedFile(path, number, f"{what} is empty")
    return value


def read_groups(folder: Path, progress: Progress) -> Iterator[GroupRow]:
    path = folder / "FD_GROUP.txt"
    for number, f in _lines(path, progress):
        yield GroupRow(
            code=_text(path, number, f[0], "FdGrp_Cd", required=True),
            name=_text(path, number, f[1], "FdGrp_Desc", required=True),
        )


def read_nutrients(folder: Path, progress: Progress) -> Iterator[NutrientRow]:
    path = folder / "NUTR_DEF.txt"
    for number, f in _lines(path, progress):
        usda_number = _text(path, number, f[0], "Nutr_No", required=True)
        tagname = _text(path, number, f[2], "Tagname")
        name = _text(path, number, f[3], "NutrDesc", required=True)
        decimals = _text(path, number, f[4], "Num_Dec")
        order = _text(path, number, f[5], "SR_Order")
        if not decimals.isdigit() or not order.isdigit():
            raise MalformedFile(path, number, "Num_Dec and SR_Order must be whole numbers")
        yield NutrientRow(
            usda_number=usda_number,
            key=nutrient_key(usda_number, tagname, name),
            name=name,
            unit=_text(path, number, f[1], "Units", required=True),
            display_order=int(order),
            decimals=int(decimals),
        )


def read_foods(folder: Path, progress: Progress) -> Iterator[FoodRow]:
    path = folder / "FOOD_DES.txt"
    for number, f in _lines(path, progress):
        yield FoodRow(
            line=number,
            source_id=_text(path, number, f[0], "NDB_No", required=True),
            group_code=_text(path, number, f[1], "FdGrp_Cd") or None,
            name=_text(path, number, f[2], "Long_Desc", required=True),
            common_names=_text(path, number, f[4], "ComName"),
            brand=_text(path, number, f[5], "ManufacName"),
            scientific_name=_text(path, number, f[9], "SciName"),
            data_type=Food.DataType.SR_LEGACY,
            barcode="",
        )


def read_values(folder: Path, progress: Progress) -> Iterator[ValueRow]:
    """(line, NDB_No, Nutr_No, Nutr_Val per 100 g) for each line of NUT_DATA.

    The hot loop of the import (679,045 lines), so it reads the file itself: a line with the
    expected shape takes the quick path; anything else goes through the general checks.
    """
    path = folder / "NUT_DATA.txt"
    separators = _FIELD_COUNTS[path.name] - 1
    with (
        path.open(encoding="latin-1", newline="") as f,
        progress(path.name, path.stat().st_size) as bar,
    ):
        pending = 0
        for number, line in enumerate(f, start=1):
            pending += len(line)
            if pending > 1 << 20:
                bar.update(pending)
                pending = 0
            if line.count("^") == separators:
                food, nutrient, amount, _ = line.split("^", 3)
                if (
                    len(food) > 2
                    and food[0] == food[-1] == "~"
                    and len(nutrient) > 2
                    and nutrient[0] == nutrient[-1] == "~"
                ):
                    amount = parse_decimal(path, number, amount, "Nutr_Val")
                    yield number, food[1:-1], nutrient[1:-1], amount
                    continue
            if line.strip():
                yield _checked_value(path, number, line)
        bar.update(pending)


def read_summary_amounts(folder: Path, progress: Progress) -> dict[str, dict[str, Decimal]]:
    """A quick first look at NUT_DATA for the four nutrients kept on each food (magnesium,
    energy, carbohydrate, fibre), so new foods are written once, complete. Lines it cannot
    read are left to `read_values`, which reports them."""
    path = folder / "NUT_DATA.txt"
    wanted = {f"~{number}~" for number in SUMMARY_NUMBERS}
    found: dict[str, dict[str, Decimal]] = defaultdict(dict)
    with (
        path.open(encoding="latin-1", newline="") as f,
        progress(f"{path.name} (summary)", path.stat().st_size) as bar,
    ):
        pending = 0
        for line in f:
            pending += len(line)
            if pending > 1 << 22:
                bar.update(pending)
                pending = 0
            fields = line.split("^", 3)
            if len(fields) == 4 and fields[1] in wanted:
                try:
                    amount = Decimal(fields[2]).quantize(_FOUR_PLACES)
                except InvalidOperation:
                    continue
                found[fields[0].strip("~")][fields[1].strip("~")] = amount
        bar.update(pending)
    return found


def _checked_value(path: Path, number: int, line: str) -> ValueRow:
    line = line.rstrip("\r\n")
    expected = _FIELD_COUNTS[path.name]
    try:
        fields = _split_quoted(line)
    except ValueError as exc:
        raise MalformedFile(path, number, str(exc)) from None
    if len(fields) != expected:
        raise MalformedFile(path, number, f"{len(fields)} fields, expected {expected}")
    return (
        number,
        _text(path, number, fields[0], "NDB_No", required=True),
        _text(path, number, fields[1], "Nutr_No", required=True),
        parse_decimal(path, number, fields[2], "Nutr_Val"),
    )


def read_portions(folder: Path, progress: Progress) -> Iterator[PortionRow]:
    path = folder / "WEIGHT.txt"
    for number, f in _lines(path, progress):
        seq = _text(path, number, f[1], "Seq")
        if not seq.isdigit():
            raise MalformedFile(path, number, f"Seq {seq!r} is not a whole number")
        amount = parse_decimal(path, number, f[2], "Amount", positive=True, places=3)
        grams = parse_decimal(path, number, f[4], "Gm_Wgt", positive=True, places=3)
        check_portion(path, number, amount, grams)
        yield PortionRow(
            line=number,
            food=_text(path, number, f[0], "NDB_No", required=True),
            seq=int(seq),
            amount=amount,
            description=_text(path, number, f[3], "Msre_Desc", required=True),
            gram_weight=grams,
        )


def check_folder(folder: Path) -> None:
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise MalformedFile(folder, None, f"not an SR28 folder: missing {', '.join(missing)}")


@transaction.atomic
def load(folder: Path, *, progress: Progress) -> ImportResult:
    """Load (or bring up to date) the SR28 release in `folder`, all or nothing."""
    check_folder(folder)
    writer = Writer(source_slug="usda-sr28")
    writer.upsert_groups(read_groups(folder, progress))
    writer.upsert_nutrients(read_nutrients(folder, progress), update_existing=True)
    summaries = read_summary_amounts(folder, progress)
    writer.upsert_foods(read_foods(folder, progress), folder / "FOOD_DES.txt", summaries=summaries)
    writer.upsert_values(read_values(folder, progress), folder / "NUT_DATA.txt")
    writer.upsert_portions(read_portions(folder, progress), folder / "WEIGHT.txt")
    return writer.finish()
