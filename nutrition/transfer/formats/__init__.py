"""Readers of other trackers' exports: pure functions over text, no Django.

`parse(text, format=None)` detects the format from the header (or takes the one given) and
returns a `ParsedFile` (see `base`); a malformed file raises `ImportFileError` naming the line.
Each reader's module says the header it expects and how it varies:

- `cronometer`: the "Servings" export (Day,Group,Food Name,Amount,…,Magnesium (mg),…) and
  the "Biometrics" export (Day,Group,Metric,Unit,Amount);
- `macrofactor`: the food log (Date,Time,Food Name,Serving Size,Serving Qty,
  Serving Weight (g),Calories (kcal),…,Magnesium (mg),…);
- `myfitnesspal`: the "Nutrition" export (Date,Meal,Calories,Fat (g),…,Note), totals per meal
  with no food names and no magnesium.

The text is UTF-8 already decoded, with or without a byte-order mark, with CRLF, LF or CR
line ends. At most `MAX_ROWS` data rows.
"""

from __future__ import annotations

from collections.abc import Callable

from . import _table, cronometer, macrofactor, myfitnesspal
from ._table import MAX_ROWS
from .base import (
    CRONOMETER_BIOMETRICS,
    CRONOMETER_SERVINGS,
    FORMATS,
    LABELS,
    MACROFACTOR,
    MYFITNESSPAL,
    BiometricLine,
    FoodLine,
    ImportFileError,
    ParsedFile,
)

__all__ = [
    "CRONOMETER_BIOMETRICS",
    "CRONOMETER_SERVINGS",
    "FORMATS",
    "LABELS",
    "MACROFACTOR",
    "MAX_ROWS",
    "MYFITNESSPAL",
    "BiometricLine",
    "FoodLine",
    "ImportFileError",
    "ParsedFile",
    "detect",
    "parse",
]

# The columns that identify each format, and its reader. The order matters where one header
# could fit two: none of these sets is a subset of another's header in the real exports.
_READERS: dict[str, tuple[tuple[str, ...], Callable[[_table.Table], ParsedFile]]] = {
    CRONOMETER_SERVINGS: (cronometer.SERVINGS_REQUIRED, cronometer.parse_servings),
    CRONOMETER_BIOMETRICS: (cronometer.BIOMETRICS_REQUIRED, cronometer.parse_biometrics),
    MACROFACTOR: (macrofactor.REQUIRED, macrofactor.parse_food_log),
    MYFITNESSPAL: (myfitnesspal.REQUIRED, myfitnesspal.parse_nutrition),
}


# Other exports of the same trackers, which people pick by mistake: the header columns that
# give each away, and what to choose instead.
_OTHER_EXPORTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("Date", "Completed"),
        'This is Cronometer\'s daily summary ("Daily Nutrition"), which has no foods: '
        'export "Servings" (Food & Recipe Entries) instead.',
    ),
    (
        ("Day", "Exercise"),
        'This is Cronometer\'s exercises export: export "Servings" or "Biometrics" instead.',
    ),
    (
        ("Day", "Note"),
        'This is Cronometer\'s notes export: export "Servings" or "Biometrics" instead.',
    ),
    (
        ("Date", "Exercise"),
        "This is MyFitnessPal's exercise export: choose its Nutrition file instead.",
    ),
    (
        ("Date", "Weight"),
        "This is MyFitnessPal's measurements export: choose its Nutrition file instead.",
    ),
)


def _supported() -> str:
    return ", ".join(LABELS[f] for f in FORMATS)


def _first_line(table: _table.Table) -> str:
    text = ",".join(table.header)
    return text if len(text) <= 80 else text[:80] + "…"


def detect(table: _table.Table) -> str:
    """The format whose header the table has; ImportFileError (line 1) when none fits."""
    fits = [f for f, (required, _) in _READERS.items() if table.has(*required)]
    fits = [f for f in fits if not (f == MYFITNESSPAL and myfitnesspal.names_foods(table))]
    if len(fits) == 1:
        return fits[0]
    if not fits:
        for columns, hint in _OTHER_EXPORTS:
            if table.has(*columns):
                raise ImportFileError(hint, line=1)
        message = (
            f"This file's header matches none of the exports this site reads ({_supported()}). "
            f'Its first line is "{_first_line(table)}".'
        )
    else:
        message = (
            "This file's header fits more than one export ("
            + ", ".join(LABELS[f] for f in fits)
            + "); choose the format."
        )
    raise ImportFileError(message, line=1)


def parse(text: str, format: str | None = None) -> ParsedFile:
    """Read an export. With `format`, the header must be that format's; without, it is detected.

    Raises ImportFileError with the 1-based line of anything the reader cannot take: an
    unknown format, a header that fits none (or not the one given), a malformed row (a bad
    date, a non-number in a number column, a wrong number of cells), more than MAX_ROWS rows.
    Nothing is partly read: the caller gets the whole file or the error."""
    if format is not None and format not in _READERS:
        raise ImportFileError(f'"{format}" is not a format this site reads ({_supported()}).')
    table = _table.read_table(text)
    if format is None:
        format = detect(table)
    else:
        required, _ = _READERS[format]
        missing = table.missing(required)
        if missing:
            columns = ", ".join(f'"{m}"' for m in missing)
            raise ImportFileError(
                f"This is not a {LABELS[format]} export: its header has no {columns} column"
                f'{"s" if len(missing) > 1 else ""}. Its first line is "{_first_line(table)}".',
                line=1,
            )
    _, reader = _READERS[format]
    parsed = reader(table)
    if not table.rows:
        parsed.notes.append("The file has a header but no rows.")
    return parsed
