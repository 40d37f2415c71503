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
from dataclasses import dataclass

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
    "parse",
]


@dataclass(frozen=True)
class _Reader:
    required: tuple[str, ...]  # the columns that identify the format
    columns: tuple[str, ...]  # every column the reader looks at
    read: Callable[[_table.Table], ParsedFile]


# None of the required sets fits another format's real header.
_READERS: dict[str, _Reader] = {
    CRONOMETER_SERVINGS: _Reader(
        cronometer.SERVINGS_REQUIRED, cronometer.SERVINGS_COLUMNS, cronometer.parse_servings
    ),
    CRONOMETER_BIOMETRICS: _Reader(
        cronometer.BIOMETRICS_REQUIRED, cronometer.BIOMETRICS_COLUMNS, cronometer.parse_biometrics
    ),
    MACROFACTOR: _Reader(macrofactor.REQUIRED, macrofactor.COLUMNS, macrofactor.parse_food_log),
    MYFITNESSPAL: _Reader(
        myfitnesspal.REQUIRED, myfitnesspal.COLUMNS, myfitnesspal.parse_nutrition
    ),
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


def _detect(header: _table.Header) -> str:
    """The format whose columns the header has; ImportFileError (the header's line) when none
    fits."""
    fits = [f for f, reader in _READERS.items() if header.has(*reader.required)]
    fits = [f for f in fits if not (f == MYFITNESSPAL and myfitnesspal.names_foods(header))]
    if len(fits) == 1:
        return fits[0]
    if not fits:
        if len(header.names) == 1 and (";" in header.names[0] or "\t" in header.names[0]):
            raise ImportFileError(
                "This file has semicolons or tabs between its columns (a spreadsheet saved it "
                "so): export it again from the tracker, or save it as comma-separated CSV.",
                line=header.line,
            )
        for columns, hint in _OTHER_EXPORTS:
            if header.has(*columns):
                raise ImportFileError(hint, line=header.line)
        message = (
            f"This file's header matches none of the exports this site reads ({_supported()}). "
            f'Its header is "{header.first_line()}".'
        )
    else:
        message = (
            "This file's header fits more than one export ("
            + ", ".join(LABELS[f] for f in fits)
            + "); choose the format."
        )
    raise ImportFileError(message, line=header.line)


def _check(header: _table.Header, format: str) -> None:
    missing = header.missing(_READERS[format].required)
    if missing:
        columns = ", ".join(f'"{m}"' for m in missing)
        raise ImportFileError(
            f"This is not a {LABELS[format]} export: its header has no {columns} column"
            f'{"s" if len(missing) > 1 else ""}. Its header is "{header.first_line()}".',
            line=header.line,
        )


class _HeaderSeen(Exception):
    def __init__(self, format: str) -> None:
        self.format = format


def detect(text: str, format: str | None = None) -> str:
    """The format of an export from its header alone (the rows are not read): the one given,
    when the header is that format's, else the one detected. ImportFileError as `parse`."""

    def stop(header: _table.Header) -> tuple[str, ...]:
        if format is None:
            raise _HeaderSeen(_detect(header))
        _check(header, format)
        raise _HeaderSeen(format)

    if format is not None and format not in _READERS:
        raise ImportFileError(f'"{format}" is not a format this site reads ({_supported()}).')
    try:
        _table.read_table(text, stop)
    except _HeaderSeen as seen:
        return seen.format
    raise ImportFileError("The file is empty: export it again from the tracker.", line=1)


def parse(text: str, format: str | None = None) -> ParsedFile:
    """Read an export. With `format`, the header must be that format's; without (None or ""),
    it is detected.

    Raises ImportFileError with the 1-based line of anything the reader cannot take: an
    unknown format, a header that fits none (or not the one given), a malformed row (a bad
    date, a non-number in a number column, a wrong number of cells), more than MAX_ROWS rows.
    Nothing is partly read: the caller gets the whole file or the error."""
    format = format or None  # an empty form field is "detect"
    if format is not None and format not in _READERS:
        raise ImportFileError(f'"{format}" is not a format this site reads ({_supported()}).')
    chosen: list[str] = []

    def keep(header: _table.Header) -> tuple[str, ...]:
        if format is None:
            chosen.append(_detect(header))
        else:
            _check(header, format)
            chosen.append(format)
        return _READERS[chosen[0]].columns

    table = _table.read_table(text, keep)
    parsed = _READERS[chosen[0]].read(table)
    if not table.rows:
        parsed.notes.append("The file has a header but no rows.")
    return parsed
