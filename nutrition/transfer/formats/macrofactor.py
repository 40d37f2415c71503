"""MacroFactor's food log export (a CSV the app writes with a byte-order mark; the same
columns are the "Food Log" sheet of its XLSX export, which a person saves as CSV). One row per
food logged, every figure for the whole row (what was eaten), not per serving:

    Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal),Fat (g),
    Carbs (g),Protein (g),Alcohol (g),"B12, Cobalamin (mcg)","B1, Thiamine (mg)",…,
    Calcium (mg),…,Iron (mg),…,Magnesium (mg),Manganese (mg),…,Water (g),Zinc (mg)
    2026-10-05,07:30 AM,"Oats, rolled",cup,1.0,80.0,300,5,54,10,,…,110.4,…
    2026-10-05,13:02,Greek yogurt,g,170.0,170.0,100,0,6,17,,…,,…

What varies, all read by column name:
- Micronutrient columns ("Magnesium (mg)" among them) are written for every food, blank where
  the food has no value; a file from an older version or cut down by hand may lack them, and
  the foods are then matched by name (a note says so).
- "Time" is "07:30 AM" or "13:02" by the phone's clock; there is no meal column (MacroFactor
  has no meals), so `group` is "".
- Dates are ISO; a food log saved again by a spreadsheet may have 13/10/2026 or 10/13/2026
  (read as the whole file's dates decide, see `_table.Days`).

The amount is "Serving Qty Serving Size" ("1.0 cup", "170.0 g"); the weight is "Serving
Weight (g)", the weight of the whole row (2 cups of pasta at 140 g a cup is 280.0), or, when
that is blank, what the amount states. Required: Date, Food Name, Serving Qty. Magnesium is
kept exactly as written.

Source: a real export's header (61 columns, October 2026) quoted verbatim in a public test
suite, and public importers of the same file.
"""

from __future__ import annotations

from . import _table
from ._amounts import grams_in
from .base import MACROFACTOR, FoodLine, ParsedFile

DATE = "Date"
FOOD_NAME = "Food Name"
SERVING_SIZE = "Serving Size"
SERVING_QTY = "Serving Qty"
SERVING_WEIGHT = "Serving Weight (g)"
CALORIES = "Calories (kcal)"
MAGNESIUM = "Magnesium (mg)"
REQUIRED = (DATE, FOOD_NAME, SERVING_QTY)
COLUMNS = (DATE, FOOD_NAME, SERVING_SIZE, SERVING_QTY, SERVING_WEIGHT, CALORIES, MAGNESIUM)

NO_MAGNESIUM_COLUMN = (
    "This MacroFactor food log has no magnesium column, so each food is matched by name and "
    "its magnesium estimated."
)


def parse_food_log(table: _table.Table) -> ParsedFile:
    parsed = ParsedFile(format=MACROFACTOR)
    date_i = table.column(DATE)
    name_i = table.column(FOOD_NAME)
    qty_i = table.column(SERVING_QTY)
    size_i = table.column(SERVING_SIZE)
    weight_i = table.column(SERVING_WEIGHT)
    kcal_i = table.column(CALORIES)
    magnesium_i = table.column(MAGNESIUM)
    if magnesium_i is None:
        parsed.notes.append(NO_MAGNESIUM_COLUMN)
    days = _table.Days(table.rows, date_i, DATE)
    for row in table.rows:
        parsed.rows += 1
        if _table.is_summary(row.cells[date_i]):
            parsed.skipped.append((row.line, _table.SUMMARY_REASON))
            continue
        day = days.read(row.cells[date_i], line=row.line)
        name = row.cells[name_i].strip()
        if not name:
            parsed.skipped.append((row.line, "no food name"))
            continue
        quantity = _table.not_negative(
            _table.number(row.cells[qty_i], line=row.line, column=SERVING_QTY),
            line=row.line,
            column=SERVING_QTY,
        )
        size = row.cell(size_i)
        amount_text = " ".join(p for p in (row.cells[qty_i].strip(), size) if p)
        weight = _table.not_negative(
            _table.number(row.cell(weight_i), line=row.line, column=SERVING_WEIGHT),
            line=row.line,
            column=SERVING_WEIGHT,
        )
        if weight is None and quantity is not None:
            weight = grams_in(amount_text)
        parsed.foods.append(
            FoodLine(
                line=row.line,
                day=day,
                group="",
                name=name,
                amount_text=amount_text,
                grams=weight,
                magnesium_mg=_table.not_negative(
                    _table.number(row.cell(magnesium_i), line=row.line, column=MAGNESIUM),
                    line=row.line,
                    column=MAGNESIUM,
                ),
                energy_kcal=_table.number(row.cell(kcal_i), line=row.line, column=CALORIES),
            )
        )
    return parsed
