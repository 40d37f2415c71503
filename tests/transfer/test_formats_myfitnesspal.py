"""MyFitnessPal's nutrition export: meal totals with no food names and no magnesium."""

import pytest

from nutrition.transfer.formats import MYFITNESSPAL, ImportFileError, parse

HEADER = (
    "Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,"
    "Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),"
    "Vitamin A,Vitamin C,Calcium,Iron,Note"
)
NUTRITION = (
    HEADER + "\n"
    "2026-09-28,Breakfast,550.0,15.0,4,1,2,0,30,400,300,60.0,8,10,45.0,0,0,0,0,\n"
    "2026-09-28,Lunch,700.0,20.0,5,1,2,0,60,700,500,70.0,6,5,60.0,0,0,0,0,\n"
    '2026-09-28,Dinner,"1,000.0",30.0,8,2,3,0,90,900,800,90.0,10,8,90.0,0,0,0,0,"late, meal"\n'
    "2026-09-29,Breakfast,600.0,18.0,4,1,2,0,30,400,300,55.0,8,10,50.0,0,0,0,0,\n"
)


def test_nothing_is_imported_and_a_note_says_why_with_the_rows_counted():
    parsed = parse(NUTRITION)
    assert parsed.format == MYFITNESSPAL
    assert parsed.foods == []
    assert parsed.biometrics == []
    assert parsed.rows == 4
    assert parsed.notes == [
        "MyFitnessPal's nutrition export has no magnesium and no food names (it has 4 meal "
        "totals over 2 days, calories and macronutrients only), so nothing in it can be "
        "imported as magnesium."
    ]


def test_a_short_column_set_with_a_bom_and_crlf_is_read():
    parsed = parse(
        "\ufeffDate,Meal,Calories,Fat (g),Protein (g),Carbohydrates (g),Note\r\n"
        "2026-01-05,Snacks,150,1,2,30,\r\n"
    )
    assert parsed.rows == 1
    assert "1 meal total over 1 day" in parsed.notes[0]


def test_a_totals_row_is_skipped_and_not_counted_as_a_meal():
    parsed = parse(
        "Date,Meal,Calories,Fat (g),Protein (g),Note\n"
        "2026-01-15,Breakfast,300,8,12,\n"
        "Totals,,300,8,12,\n"
    )
    assert parsed.rows == 2
    assert parsed.skipped == [(3, "a totals row, which repeats the rows above it")]
    assert "1 meal total over 1 day" in parsed.notes[0]


def test_the_rows_are_still_checked_so_a_broken_file_is_not_taken_for_an_empty_one():
    with pytest.raises(ImportFileError) as raised:
        parse(NUTRITION + "2026-09-30,Lunch,lots,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,\n")
    assert raised.value.line == 6
    assert '"Calories"' in raised.value.message


def test_month_first_days_of_a_us_export_are_read():
    parsed = parse("Date,Meal,Calories,Note\n09/29/2026,Dinner,900,\n09/28/2026,Dinner,800,\n")
    assert "2 meal totals over 2 days" in parsed.notes[0]
