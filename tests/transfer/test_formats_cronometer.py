"""Cronometer's servings and biometrics exports, read by nutrition.transfer.formats."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition import labs
from nutrition.transfer.formats import (
    CRONOMETER_BIOMETRICS,
    CRONOMETER_SERVINGS,
    ImportFileError,
    parse,
)

# A servings export with every nutrient tracked, cut to the columns around those read
# (Cronometer writes Day,Time,Group,Food Name,Amount,Energy (kcal),…,Magnesium (mg),…,Category).
SERVINGS = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Iron (mg),Magnesium (mg),"
    "Manganese (mg),Protein (g),Category\n"
    '2026-03-13,08:14 AM,Breakfast,"Oats, Rolled, Dry",80.00 g,311.00,3.5,138.00,3.9,10.7,'
    '"Cereal Grains"\n'
    "2026-03-13,,Uncategorized,Lumberjack Burger,1.00 full recipe,1204.10,6.1,81.30,0.4,"
    '53.89,""\n'
    "2026-03-14,12:30 PM,Lunch,Almonds,1.00 oz,164.00,1.0,76.50,0.6,6.0,Nuts and Seeds\n"
)


def error_of(text: str, format: str | None = None) -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        parse(text, format)
    return raised.value


# --- Servings -------------------------------------------------------------------------------
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
    assert burger.amount_text == "1.00 full recipe"
    assert burger.grams is None
    assert burger.magnesium_mg == Decimal("81.30")
    assert almonds.grams == Decimal("28.34952312500")
    assert parsed.notes == []
    assert parsed.skipped == []
    assert parsed.biometrics == []


def test_the_oldest_layout_without_time_group_or_category_is_read():
    # Exports from before groups and time stamps (Day,Food Name,Amount,Energy (kcal),…).
    parsed = parse(
        "Day,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),"
        "Calcium (mg),Copper (mg),Iron (mg),Magnesium (mg),Manganese (mg)\n"
        "2018-01-04,Egg,2.00 large,143.00,0.00,0.00,76.15,56.00,0.07,1.75,12.00,0.03\n"
    )
    (egg,) = parsed.foods
    assert egg.group == ""
    assert egg.magnesium_mg == Decimal("12.00")
    assert egg.grams is None


def test_a_blank_magnesium_cell_is_unknown_not_zero():
    parsed = parse(
        "Day,Group,Food Name,Amount,Magnesium (mg)\n"
        "2026-03-13,Dinner,Grandma's soup,1.00 serving,\n"
        "2026-03-13,Dinner,Water,500.00 g,0.00\n"
    )
    soup, water = parsed.foods
    assert soup.magnesium_mg is None
    assert water.magnesium_mg == Decimal("0.00")


def test_without_a_magnesium_column_foods_are_read_and_a_note_says_they_will_be_matched():
    parsed = parse(
        "Day,Time,Group,Food Name,Amount,Energy (kcal),Protein (g),Carbs (g),Fat (g)\n"
        "2024-08-12,08:30 AM,Breakfast,Oats with banana,1 cup,420,14,68,10\n"
    )
    (oats,) = parsed.foods
    assert oats.magnesium_mg is None
    assert len(parsed.notes) == 1
    assert "no magnesium column" in parsed.notes[0]
    assert "matched by name" in parsed.notes[0]


def test_energy_in_kilojoules_is_given_in_kilocalories():
    parsed = parse(
        "Day,Food Name,Amount,Energy (kJ),Magnesium (mg)\n2026-03-13,Oats,80.00 g,1301.22,138\n"
    )
    assert parsed.foods[0].energy_kcal == Decimal("1301.22") / Decimal("4.184")


def test_a_row_without_a_food_name_is_skipped_with_the_reason():
    parsed = parse(
        "Day,Group,Food Name,Amount,Magnesium (mg)\n2026-03-13,Dinner,,1.00 serving,20\n"
    )
    assert parsed.foods == []
    assert parsed.rows == 1
    assert parsed.skipped == [(2, "no food name")]


def test_a_bad_magnesium_cell_names_its_line():
    text = SERVINGS + "2026-03-15,,Dinner,Rice,1 cup,200,0.1,n/a,0.2,4,Grains\n"
    error = error_of(text)
    assert error.line == 5
    assert "Magnesium (mg)" in error.message
    assert "n/a" in error.message


def test_a_bad_day_names_its_line():
    error = error_of(SERVINGS + "2026-02-30,,Dinner,Rice,1 cup,200,0.1,20,0.2,4,Grains\n")
    assert error.line == 5
    assert "2026-02-30" in error.message


# --- Biometrics -----------------------------------------------------------------------------
BIOMETRICS = (
    "Day,Time,Group,Metric,Unit,Amount\n"
    "2026-02-01,07:10 AM,Uncategorized,Weight,kg,83.52\n"
    "2026-02-01,07:15 AM,Uncategorized,Blood Glucose,mg/dL,97\n"
    "2026-02-01,,Uncategorized,Blood Pressure,mmHg,120/80\n"
    "2026-02-02,,Uncategorized,Weight (Garmin),kg,83.524\n"
    "2026-02-02,,Uncategorized,HbA1c,%,5.8\n"
    "2026-02-03,,Uncategorized,Blood Glucose,mmol/L,5.4\n"
    "2026-02-03,,Uncategorized,Steps,steps,10250\n"
)


def test_biometrics_lab_metrics_get_the_records_analyte_and_unit():
    parsed = parse(BIOMETRICS)
    assert parsed.format == CRONOMETER_BIOMETRICS
    assert parsed.rows == 7
    assert parsed.foods == []
    by_line = {b.line: b for b in parsed.biometrics}
    assert sorted(by_line) == [2, 3, 5, 6, 7, 8]
    glucose = by_line[3]
    assert (glucose.day, glucose.metric, glucose.value, glucose.unit) == (
        date(2026, 2, 1),
        "Blood Glucose",
        Decimal("97"),
        "mg/dL",
    )
    assert (glucose.analyte, glucose.unit_code) == ("glucose_fasting", "mg/dL")
    assert (by_line[6].analyte, by_line[6].unit_code) == ("hba1c", "%")
    assert (by_line[7].analyte, by_line[7].unit_code) == ("glucose_fasting", "mmol/L")


def test_other_metrics_have_no_analyte_and_are_kept_for_the_importer_to_report():
    by_line = {b.line: b for b in parse(BIOMETRICS).biometrics}
    for line, metric in ((2, "Weight"), (5, "Weight (Garmin)"), (8, "Steps")):
        assert by_line[line].metric == metric
        assert by_line[line].analyte is None
        assert by_line[line].unit_code is None
    assert by_line[8].value == Decimal("10250")


def test_a_reading_that_is_not_one_number_is_skipped_with_the_reason():
    parsed = parse(BIOMETRICS)
    assert parsed.skipped == [(4, "Blood Pressure: 120/80 mmHg is not a single number")]


def test_a_note_says_blood_glucose_is_taken_as_fasting():
    notes = parse(BIOMETRICS).notes
    assert any("fasting glucose" in n and "before eating" in n for n in notes)


def test_no_glucose_no_fasting_note():
    parsed = parse("Day,Group,Metric,Unit,Amount\n2026-02-02,Uncategorized,HbA1c,mmol/mol,40\n")
    assert parsed.notes == []
    assert parsed.biometrics[0].unit_code == "mmol/mol"


def test_lab_metrics_synced_from_a_device_are_not_lab_results():
    parsed = parse(
        "Day,Group,Metric,Unit,Amount\n"
        "2026-02-02,Uncategorized,Blood Glucose (Dexcom),mg/dL,101\n"
        "2026-02-02,Uncategorized,Blood Glucose (Dexcom),mg/dL,140\n"
    )
    assert [b.analyte for b in parsed.biometrics] == [None, None]
    assert parsed.notes == [
        "2 readings synced from a device (such as a continuous glucose monitor) are not lab "
        "results, so they are not added to the health record."
    ]


@pytest.mark.parametrize(
    ("metric", "unit", "analyte", "code"),
    [
        ("Blood Glucose", "mg/dl", "glucose_fasting", "mg/dL"),
        ("Fasting Glucose", "mmol/l", "glucose_fasting", "mmol/L"),
        ("hba1c", "mmol/mol", "hba1c", "mmol/mol"),
        ("Hemoglobin A1c", "%", "hba1c", "%"),
        ("Insulin", "µIU/mL", "insulin_fasting", "uIU/mL"),
        ("Fasting Insulin", "mIU/L", "insulin_fasting", "uIU/mL"),
        ("Insulin", "pmol/L", "insulin_fasting", "pmol/L"),
        ("Magnesium", "mg/dL", "magnesium_serum", "mg/dL"),
        ("Serum Magnesium", "mEq/L", "magnesium_serum", "mEq/L"),
        ("Creatinine", "µmol/L", "creatinine_serum", "umol/L"),
        ("eGFR", "mL/min/1.73m²", "egfr", "mL/min/1.73m2"),
        ("Triglycerides", "mg/dL", "triglycerides", "mg/dL"),
        ("HDL Cholesterol", "mmol/L", "hdl_cholesterol", "mmol/L"),
    ],
)
def test_lab_names_and_units_map_to_the_records_codes(metric, unit, analyte, code):
    (line,) = parse(f"Day,Metric,Unit,Amount\n2026-02-02,{metric},{unit},5\n").biometrics
    assert (line.analyte, line.unit_code) == (analyte, code)
    assert line.unit == unit  # as written
    assert labs.ANALYTES[analyte].unit(code) is not None


def test_a_lab_metric_in_a_unit_the_record_does_not_take_is_skipped_with_the_reason():
    parsed = parse("Day,Metric,Unit,Amount\n2026-02-02,Blood Glucose,g/L,0.95\n")
    assert parsed.biometrics == []
    ((line, reason),) = parsed.skipped
    assert line == 2
    assert '"g/L"' in reason and "mmol/L" in reason and "mg/dL" in reason


def test_a_lab_metric_with_a_non_number_names_its_line():
    error = error_of("Day,Metric,Unit,Amount\n2026-02-02,Weight,kg,80\n2026-02-02,HbA1c,%,high\n")
    assert error.line == 3
    assert '"Amount" should be a number' in error.message


def test_a_lab_metric_without_a_value_names_its_line():
    error = error_of("Day,Metric,Unit,Amount\n2026-02-02,HbA1c,%,\n")
    assert error.line == 2


def test_the_oldest_biometrics_layout_with_month_first_days_is_read():
    # Day,Metric,Unit,Amount with the days of a file saved again by a US spreadsheet.
    parsed = parse(
        "Day,Metric,Unit,Amount\n"
        "12/14/2017,Weight (Nokia),lbs,183.731\n"
        "1/4/2018,Blood Glucose,mg/dL,99\n"
    )
    weight, glucose = parsed.biometrics
    assert weight.day == date(2017, 12, 14)
    assert glucose.day == date(2018, 1, 4)
    assert glucose.analyte == "glucose_fasting"


def test_a_row_without_a_metric_is_skipped():
    parsed = parse("Day,Metric,Unit,Amount\n2026-02-02,,kg,80\n")
    assert parsed.skipped == [(2, "no metric named")]
