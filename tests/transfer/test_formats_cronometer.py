"""Cronometer's servings and biometrics exports, read by nutrition.transfer.formats."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition.transfer.formats import (
    CRONOMETER_BIOMETRICS,
    CRONOMETER_SERVINGS,
    ImportFileError,
    parse,
)

# The header of a real servings export with every nutrient tracked (Cronometer's column set),
# cut to the columns a reader looks at plus a few around them.
SERVINGS = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Iron (mg),Magnesium (mg),"
    "Manganese (mg),Protein (g),Category\n"
    '2026-03-13,08:14 AM,Breakfast,"Oats, Rolled, Dry",80.00 g,311.00,3.5,138.00,3.9,10.7,'
    '"Cereal Grains"\n'
    "2026-03-13,,Uncategorized,Lumberjack Burger,1.00 full recipe,1204.10,6.1,81.30,0.4,"
    '53.89,""\n'
    "2026-03-14,12:30 PM,Lunch,Almonds,1.00 oz,164.00,1.0,76.50,0.6,6.0,Nuts and Seeds\n"
)


def test_servings_rows_become_food_lines_with_the_files_magnesium():
    parsed = parse(SERVINGS)
    assert parsed.format == CRONOMETER_SERVINGS
    assert parsed.rows == 3
    oats, burger, almonds = parsed.foods
    assert oats.line == 2
    assert oats.day == date(2026, 3, 13)
    assert oats.group == "Breakfast"
    assert oats.name == "Oats, Rolled, Dry"
    assert oats.amount_text == "80.00 g"
    assert oats.grams == Decimal("80.00")
    assert oats.magnesium_mg == Decimal("138.00")
    assert str(oats.magnesium_mg) == "138.00"  # exactly as written
    assert oats.energy_kcal == Decimal("311.00")
    assert burger.group == "Uncategorized"
    assert burger.grams is None
    assert burger.magnesium_mg == Decimal("81.30")
    assert almonds.grams == Decimal("28.349523125")
    assert parsed.notes == []
    assert parsed.skipped == []


def test_a_bad_magnesium_cell_names_its_line():
    text = SERVINGS + "2026-03-15,,Dinner,Rice,1 cup,200,0.1,n/a,0.2,4,Grains\n"
    with pytest.raises(ImportFileError) as raised:
        parse(text)
    assert raised.value.line == 5
    assert "Magnesium (mg)" in raised.value.message


def test_biometrics_lab_metrics_get_the_records_analyte():
    parsed = parse(
        "Day,Time,Group,Metric,Unit,Amount\n"
        "2026-02-01,07:10 AM,Uncategorized,Weight,kg,83.52\n"
        "2026-02-01,,Uncategorized,Blood Glucose,mg/dL,97\n"
    )
    assert parsed.format == CRONOMETER_BIOMETRICS
    weight, glucose = parsed.biometrics
    assert weight.analyte is None
    assert (glucose.analyte, glucose.unit_code, glucose.value) == (
        "glucose_fasting",
        "mg/dL",
        Decimal("97"),
    )
