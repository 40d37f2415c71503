"""Properties of the readers over generated files: whatever the names, numbers, days, byte-order
mark and line ends, a file written by a CSV writer (as the trackers write theirs) reads back
to what was written, and per-day sums are the sums of the rows."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nutrition.amounts import OUNCE_GRAMS
from nutrition.transfer.formats import CRONOMETER_SERVINGS, MACROFACTOR, parse

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

# Any text a food can be called, commas, quotes and any script included ("Total" too: only
# the day and group columns mark a totals row); not line breaks (a CR inside a cell is read as
# a line end, as every line end is) or NUL (refused), and not blank (skipped, with its test).
names = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
tricky_names = st.one_of(
    names,
    st.sampled_from(
        [
            "Cheese, cheddar",
            'Pizza, 12" round',
            '"Quoted"',
            "Ça, c'est du pâté",
            "咖啡, 黑",
            "Total",
        ]
    ),
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
magnesium = st.one_of(st.none(), st.decimals(min_value="0", max_value="2000", places=2))
groups = st.sampled_from(["Breakfast", "Lunch", "Dinner", "Snacks", "Uncategorized", ""])
rows = st.lists(st.tuples(days, groups, tricky_names, magnesium), min_size=1, max_size=25)


def write(header, records, *, bom=False, line_end="\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(records)
    return ("\ufeff" if bom else "") + out.getvalue()


def servings_file(records, **kwargs) -> str:
    return write(
        ("Day", "Group", "Food Name", "Amount", "Magnesium (mg)"),
        [
            (day.isoformat(), group, name, "1.00 serving", "" if mg is None else f"{mg}")
            for day, group, name, mg in records
        ],
        **kwargs,
    )


@SETTINGS
@given(rows)
def test_any_name_group_day_and_magnesium_round_trip(records):
    parsed = parse(servings_file(records))
    assert parsed.format == CRONOMETER_SERVINGS
    assert parsed.rows == len(records)
    assert [(f.day, f.group, f.name, f.magnesium_mg) for f in parsed.foods] == records
    assert [f.line for f in parsed.foods] == list(range(2, len(records) + 2))


@SETTINGS
@given(rows)
def test_per_day_sums_are_the_sums_of_the_rows(records):
    expected: dict[date, Decimal] = defaultdict(Decimal)
    for day, _, _, mg in records:
        if mg is not None:
            expected[day] += mg
    read: dict[date, Decimal] = defaultdict(Decimal)
    for food in parse(servings_file(records)).foods:
        if food.magnesium_mg is not None:
            read[food.day] += food.magnesium_mg
    assert read == expected


@SETTINGS
@given(rows, st.booleans(), st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_bom_and_line_ends_do_not_change_what_is_read(records, bom, line_end):
    assert parse(servings_file(records, bom=bom, line_end=line_end)) == parse(
        servings_file(records)
    )


@SETTINGS
@given(st.decimals(min_value="0", max_value="999999999", places=2), st.booleans())
def test_numbers_with_or_without_thousands_separators_read_the_same(value, grouped):
    written = f"{value:,}" if grouped else f"{value}"
    text = write(
        ("Day", "Food Name", "Amount", "Magnesium (mg)"), [("2026-03-01", "x", "1 g", written)]
    )
    assert parse(text).foods[0].magnesium_mg == value


units = st.sampled_from(
    [
        ("g", Decimal(1)),
        ("kg", Decimal(1000)),
        ("mg", Decimal("0.001")),
        ("oz", OUNCE_GRAMS),
        ("lb", OUNCE_GRAMS * 16),
    ]
)


@SETTINGS
@given(
    st.decimals(min_value="0", max_value="50", places=2),
    st.integers(min_value=1, max_value=4),
    units,
    st.booleans(),
    st.booleans(),
)
def test_a_stated_weight_gives_exact_grams(quantity, count, unit, times, spaced):
    name, factor = unit
    gap = " " if spaced else ""
    amount = f"{count} x {quantity}{gap}{name}" if times else f"{quantity}{gap}{name}"
    text = write(("Day", "Food Name", "Amount"), [("2026-03-01", "x", amount)])
    (food,) = parse(text).foods
    assert food.amount_text == amount
    grams = (count if times else 1) * quantity * factor
    # Over 100 kg is a slip, not a portion eaten: no weight.
    assert food.grams == (grams if grams <= 100_000 else None)


@SETTINGS
@given(st.lists(days, min_size=1, max_size=10), st.booleans())
def test_slashed_days_read_as_the_file_decides(written_days, day_first):
    # A day that can only be read one way (the 13th or later) decides the whole file's order.
    decider = date(2026, 1, 13)
    all_days = [decider, *written_days]

    def slashed(d: date) -> str:
        first, second = (d.day, d.month) if day_first else (d.month, d.day)
        return f"{first}/{second}/{d.year}"

    text = write(("Date", "Food Name", "Serving Qty"), [(slashed(d), "x", "1") for d in all_days])
    parsed = parse(text)
    assert parsed.format == MACROFACTOR
    assert [f.day for f in parsed.foods] == all_days
