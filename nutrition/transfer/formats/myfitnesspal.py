"""MyFitnessPal's "Nutrition" export (a Premium feature: the export zip, `File-Export-….zip`,
holds it as `Nutrition-Summary-….csv`). One row per meal per day — the meal's totals, with no
food names and no magnesium:

    Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,
    Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),
    Vitamin A,Vitamin C,Calcium,Iron,Note
    2026-09-28,Breakfast,550.0,15.0,4,1,2,0,30,400,300,60.0,8,10,45.0,0,0,0,0,
    2026-09-28,Dinner,"1,000.0",30.0,8,2,3,0,90,900,800,90.0,10,8,90.0,0,0,0,0,late meal

The nutrient columns follow the person's tracked nutrients (Calories, Fat (g),
Carbohydrates (g) and Protein (g) always; the others as chosen); vitamins and minerals other
than sodium and potassium are a percentage of the daily value, and magnesium is never one
of them. Big figures carry thousands separators in quoted cells. Required: Date, Meal,
Calories; a file that also names foods ("Food" or "Food Name") is not this export.

So nothing can be imported as magnesium: the reader returns no FoodLines, counts the rows,
and says so in a note the preview shows. The rows are still read (a bad date or number is an
error naming the line) so the person learns about a broken file rather than an empty one.

Source: the header public importers of the real export read (the same 20 columns in each).
"""

from __future__ import annotations

from . import _table
from .base import MYFITNESSPAL, ParsedFile

DATE = "Date"
MEAL = "Meal"
CALORIES = "Calories"
REQUIRED = (DATE, MEAL, CALORIES)
COLUMNS = REQUIRED
FOOD_COLUMNS = ("Food", "Food Name")


def names_foods(header: _table.Header) -> bool:
    return any(header.index(c) is not None for c in FOOD_COLUMNS)


def nothing_to_import(rows: int, days: int) -> str:
    meals = "meal total" if rows == 1 else "meal totals"
    day_word = "day" if days == 1 else "days"
    return (
        f"MyFitnessPal's nutrition export has no magnesium and no food names (it has "
        f"{rows} {meals} over {days} {day_word}, calories and macronutrients only), so "
        "nothing in it can be imported as magnesium."
    )


def parse_nutrition(table: _table.Table) -> ParsedFile:
    parsed = ParsedFile(format=MYFITNESSPAL)
    date_i = table.column(DATE)
    meal_i = table.column(MEAL)
    calories_i = table.column(CALORIES)
    days = _table.Days(table.rows, date_i, DATE)
    seen = set()
    meal_rows = 0
    for row in table.rows:
        parsed.rows += 1
        if _table.is_summary(row.cells[date_i], row.cells[meal_i]):
            parsed.skipped.append((row.line, _table.SUMMARY_REASON))
            continue
        seen.add(days.read(row.cells[date_i], line=row.line))
        _table.number(row.cells[calories_i], line=row.line, column=CALORIES)
        meal_rows += 1
    parsed.notes.append(nothing_to_import(meal_rows, len(seen)))
    return parsed
