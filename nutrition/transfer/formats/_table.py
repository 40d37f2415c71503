"""What every reader shares: the CSV table, its header, and cells read as numbers and days.

Every problem is an `ImportFileError` naming the 1-based line of the file (the header is 1),
so a person can open the file and find it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import ImportFileError

# The contract's limit on rows per file (data rows, not counting the header and blank lines).
MAX_ROWS = 100_000
# The years the site handles (as mgsite.dates, which this plain-Python package cannot import).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
BOM = "\ufeff"


def key(name: str) -> str:
    """A header name compared without case or surrounding and repeated spaces."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Header:
    names: tuple[str, ...]  # as written, stripped
    line: int = 1  # the file's line it is on (blank lines may come before it)

    def index(self, name: str) -> int | None:
        """The position of a column by its name (any case), or None when the file lacks it."""
        wanted = key(name)
        for i, written in enumerate(self.names):
            if key(written) == wanted:
                return i
        return None

    def has(self, *names: str) -> bool:
        return all(self.index(n) is not None for n in names)

    def missing(self, names: Iterable[str]) -> list[str]:
        return [n for n in names if self.index(n) is None]

    def first_line(self) -> str:
        text = ",".join(self.names)
        return text if len(text) <= 80 else text[:80] + "…"


@dataclass(frozen=True)
class Row:
    line: int  # the 1-based line where the row starts
    cells: tuple[str, ...]  # the kept columns' cells, in `Table.kept` order

    def cell(self, index: int | None) -> str:
        """The stripped cell of a column, "" when the file has no such column (index None)."""
        return "" if index is None else self.cells[index].strip()


@dataclass(frozen=True)
class Table:
    header: Header
    kept: tuple[str, ...]  # the column names whose cells the rows keep, as the reader asked
    rows: tuple[Row, ...]

    def column(self, name: str) -> int | None:
        """Where a kept column's cell is in each row, or None when the file lacks it."""
        if self.header.index(name) is None:
            return None
        for i, kept in enumerate(self.kept):
            if key(kept) == key(name):
                return i
        raise KeyError(f"the reader did not ask to keep {name!r}")


def keep_all(header: Header) -> tuple[str, ...]:
    return header.names


def normalized(text: str) -> str:
    """The text without a leading byte-order mark, with every line end as "\\n" (CRLF, LF and
    a lone CR, as old Mac spreadsheets write, all read the same)."""
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _lines(text: str) -> Iterator[str]:
    """The lines of a normalized text, each with its "\n", one at a time (io.StringIO would
    hold a copy at four bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def read_table(text: str, keep: Callable[[Header], Sequence[str]] = keep_all) -> Table:
    """The header and the data rows of a CSV export; blank lines are left out.

    `keep` is told the header and answers which columns the reader will look at (it may raise
    ImportFileError, line 1, when the header is not one it reads): rows hold only those cells,
    so 100,000 rows of a 90-column export take a few cells each in memory.

    Raises ImportFileError for an empty file, a broken quote or NUL byte (csv's own errors,
    with the line), a row whose cell count differs from the header's, and more than MAX_ROWS
    rows."""
    text = normalized(text)
    if text.startswith(("PK\x03\x04", "PK\x05\x06")):
        raise ImportFileError(
            "This is a zip or spreadsheet (.xlsx) file, not CSV: unzip the export and choose "
            "its CSV file, or save the spreadsheet's sheet as CSV.",
            line=1,
        )
    if (nul := text.find("\x00")) >= 0:
        # A database column cannot hold it, and a text export never has one.
        raise ImportFileError(
            "The line holds a NUL character, which a CSV export never has: is this the "
            "tracker's CSV file?",
            line=text.count("\n", 0, nul) + 1,
        )
    reader = csv.reader(_lines(text), strict=True)
    header: Header | None = None
    kept: tuple[str, ...] = ()
    positions: list[int] = []
    columns = header_line = 0
    rows: list[Row] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            message = f"The line cannot be read as CSV ({error})."
            raise ImportFileError(message, line=start) from None
        line = start
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # a blank line (or one of empty cells) between rows
        if header is None:
            header = Header(tuple(c.strip() for c in cells), line)
            header_line, columns = line, len(cells)
            kept = tuple(n for n in keep(header) if header.index(n) is not None)
            positions = [header.index(n) for n in kept]  # type: ignore[misc]
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows; split it into smaller periods.",
                line=line,
            )
        if len(cells) != columns:
            raise ImportFileError(
                f"The row has {len(cells)} cells where the header (line {header_line}) has "
                f"{columns} columns.",
                line=line,
            )
        rows.append(Row(line, tuple([cells[p] for p in positions])))
    if header is None:
        raise ImportFileError("The file is empty.", line=1)
    return Table(header, kept, tuple(rows))


# --- Numbers -------------------------------------------------------------------------------
# Plain decimals with a dot ("80.00", "-3", ".5", "1.0E-4") and, in quoted cells, thousands
# separated by commas ("1,050.0", as MyFitnessPal writes big calories). A comma as the decimal
# mark is refused: "1,5" could be 1.5 or 15.
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d)?", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+", re.ASCII)
MAX_NUMBER_CHARS = 30
# Larger than any figure of a diary or a lab report: a slip or a broken file, refused.
TOO_LARGE = Decimal(10) ** 12


def number(cell: str, *, line: int, column: str) -> Decimal | None:
    """The cell as an exact Decimal, None when blank; ImportFileError when not a number."""
    text = cell.strip()
    if not text:
        return None
    value = None
    if len(text) <= MAX_NUMBER_CHARS:
        if _PLAIN.fullmatch(text):
            value = Decimal(text)
        elif _THOUSANDS.fullmatch(text):
            value = Decimal(text.replace(",", ""))
        elif _DECIMAL_COMMA.fullmatch(text):
            raise ImportFileError(
                f'"{column}" holds "{text}": write decimals with a dot '
                f"({text.replace(',', '.')}); a comma could be a decimal mark or a thousands "
                "separator.",
                line=line,
            )
    if value is None:
        shown = text if len(text) <= 30 else text[:30] + "…"
        raise ImportFileError(f'"{column}" should be a number, not "{shown}".', line=line)
    if abs(value) >= TOO_LARGE:
        raise ImportFileError(f'"{column}" holds {text}, too large to be a real figure.', line=line)
    return value


def not_negative(value: Decimal | None, *, line: int, column: str) -> Decimal | None:
    if value is not None and value < 0:
        raise ImportFileError(f'"{column}" cannot be negative ({value}).', line=line)
    return value


# --- Days ----------------------------------------------------------------------------------
# ISO days (what Cronometer, MacroFactor and MyFitnessPal write) and year-first slashes are
# read as they are. A day with slashes and the year last (a file saved again by a spreadsheet)
# is day-first or month-first: the whole file is read one way, decided by a day that can only
# be read one way (13/10/2026 is day-first, 10/13/2026 month-first); when every such day could
# be either ("1/4/2018"), the file is refused rather than guessed.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_YEAR_LAST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"


def _day(year: int, month: int, day: int, *, line: int, column: str, text: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        message = f'"{column}" holds "{text}", which is not a real date.'
        raise ImportFileError(message, line=line) from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ImportFileError(
            f'"{column}" holds {text}; dates must be between {EARLIEST_YEAR} and {LATEST_YEAR}.',
            line=line,
        )
    return value


class Days:
    """The days of one column of a file, read with one rule for the whole file."""

    def __init__(self, rows: Sequence[Row], index: int, column: str) -> None:
        self.column = column
        self.order: str | None = None
        day_first_line = month_first_line = None
        for row in rows:
            match = _YEAR_LAST.fullmatch(row.cells[index].strip())
            if not match:
                continue
            first, second = int(match[1]), int(match[2])
            if first > 12 and day_first_line is None:
                day_first_line = row.line
            elif second > 12 and month_first_line is None:
                month_first_line = row.line
        if day_first_line and month_first_line:
            raise ImportFileError(
                f"The dates mix day-first (line {day_first_line}) and month-first "
                f"(line {month_first_line}) orders; export the file again from the tracker.",
                line=max(day_first_line, month_first_line),
            )
        if day_first_line:
            self.order = DAY_FIRST
        elif month_first_line:
            self.order = MONTH_FIRST

    def read(self, cell: str, *, line: int) -> date:
        text = cell.strip()
        column = self.column
        if match := _ISO.fullmatch(text) or _YEAR_FIRST.fullmatch(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            return _day(year, month, day, line=line, column=column, text=text)
        if match := _YEAR_LAST.fullmatch(text):
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            if first == second or self.order == DAY_FIRST:
                return _day(year, second, first, line=line, column=column, text=text)
            if self.order == MONTH_FIRST:
                return _day(year, first, second, line=line, column=column, text=text)
            raise ImportFileError(
                f'"{column}" holds {text}, which could be day-first or month-first, and no date '
                "in the file tells which; export the file again from the tracker (it writes "
                "dates as YYYY-MM-DD).",
                line=line,
            )
        if not text:
            raise ImportFileError(f'"{column}" is empty; every row needs its date.', line=line)
        shown = text if len(text) <= 30 else text[:30] + "…"
        raise ImportFileError(
            f'"{column}" holds "{shown}", which is not a date (expected YYYY-MM-DD).', line=line
        )


# --- Summary rows --------------------------------------------------------------------------
# Rows some exports (or a person's spreadsheet) add under the diary: "Totals", "Daily Totals",
# "Weekly Total". They repeat the rows above, so they are skipped, with the reason.
_SUMMARY = re.compile(r"(?:daily |weekly |monthly |grand )?totals?:?", re.ASCII)
SUMMARY_REASON = "a totals row, which repeats the rows above it"


def is_summary(*cells: str) -> bool:
    return any("total" in c.casefold() and _SUMMARY.fullmatch(key(c)) for c in cells)
