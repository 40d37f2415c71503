"""What every reader shares, through `parse`: the file's encoding and line ends, the format
detection, the CSV edge cases, limits, days, numbers and amounts."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition.transfer import formats
from nutrition.transfer.formats import (
    CRONOMETER_BIOMETRICS,
    CRONOMETER_SERVINGS,
    FORMATS,
    MACROFACTOR,
    MAX_ROWS,
    MYFITNESSPAL,
    ImportFileError,
    parse,
)

SERVINGS_HEADER = "Day,Group,Food Name,Amount,Energy (kcal),Magnesium (mg)"
HEADERS = {
    CRONOMETER_SERVINGS: SERVINGS_HEADER + "\n2026-03-01,Breakfast,Oats,40.00 g,150,55.20\n",
    CRONOMETER_BIOMETRICS: "Day,Group,Metric,Unit,Amount\n2026-03-01,Uncategorized,Weight,kg,80\n",
    MACROFACTOR: (
        "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal)\n"
        "2026-03-01,07:30 AM,Oats,g,40.0,40.0,150\n"
    ),
    MYFITNESSPAL: "Date,Meal,Calories,Fat (g),Protein (g),Note\n2026-03-01,Breakfast,400,10,30,\n",
}


def servings(*rows: str, header: str = SERVINGS_HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def error_of(text: str, format: str | None = None) -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        parse(text, format)
    return raised.value


# --- Detection ------------------------------------------------------------------------------
@pytest.mark.parametrize("format", FORMATS)
def test_each_format_is_detected_from_its_header(format):
    assert parse(HEADERS[format]).format == format


@pytest.mark.parametrize("format", FORMATS)
def test_a_format_given_is_read_when_the_header_fits(format):
    assert parse(HEADERS[format], format).format == format


def test_a_header_of_none_of_the_formats_says_which_are_read():
    error = error_of("Food,Qty,Magnesium\nOats,1,55\n")
    assert error.line == 1
    for label in formats.LABELS.values():
        assert label in error.message
    assert "Food,Qty,Magnesium" in error.message


def test_a_format_given_that_the_header_does_not_fit_names_the_missing_columns():
    error = error_of(HEADERS[MYFITNESSPAL], CRONOMETER_SERVINGS)
    assert error.line == 1
    assert "Cronometer (servings)" in error.message
    assert '"Day"' in error.message and '"Food Name"' in error.message


def test_an_empty_format_is_detected():
    assert parse(HEADERS[MACROFACTOR], "").format == MACROFACTOR


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_with_semicolons_or_tabs_says_to_save_it_with_commas(separator):
    header = separator.join(["Day", "Group", "Food Name", "Amount"])
    error = error_of(f"{header}\n2026-03-01{separator}Lunch{separator}Rice{separator}1 cup\n")
    assert error.line == 1
    assert "comma-separated" in error.message


def test_an_unknown_format_name_is_refused():
    error = error_of(HEADERS[CRONOMETER_SERVINGS], "lose-it")
    assert '"lose-it"' in error.message


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Date,Energy (kcal),Protein (g),Completed", "daily summary"),
        ("Day,Group,Exercise,Minutes,Calories Burned", "exercises export"),
        ("Day,Group,Note", "notes export"),
        ("Date,Body Fat %,Weight", "measurements export"),
        ("Date,Exercise,Type,Exercise Calories,Exercise Minutes", "exercise export"),
    ],
)
def test_the_same_trackers_other_exports_say_what_to_choose(header, says):
    error = error_of(header + "\n")
    assert error.line == 1
    assert says in error.message


def test_a_header_after_blank_lines_is_named_by_its_line():
    error = error_of("\n\nFood,Qty\nOats,1\n")
    assert error.line == 3
    assert 'Its header is "Food,Qty"' in error.message


def test_header_names_are_read_whatever_their_case_and_spacing():
    parsed = parse(" day ,GROUP,food  name,Amount,magnesium (MG)\n2026-03-01,Lunch,Rice,1 cup,20\n")
    assert parsed.format == CRONOMETER_SERVINGS
    assert parsed.foods[0].magnesium_mg == Decimal("20")


def test_a_myfitnesspal_like_header_that_names_foods_is_not_the_nutrition_export():
    error = error_of("Date,Meal,Food,Calories\n2026-03-01,Breakfast,Eggs,140\n")
    assert "matches none" in error.message


def test_columns_are_read_by_name_in_any_order():
    parsed = parse(
        "Magnesium (mg),Amount,Food Name,Group,Day\n"
        '12.5,30.00 g,"Cheese, cheddar",Snacks,2026-03-02\n'
    )
    (cheese,) = parsed.foods
    assert (cheese.name, cheese.group, cheese.day) == (
        "Cheese, cheddar",
        "Snacks",
        date(2026, 3, 2),
    )
    assert cheese.magnesium_mg == Decimal("12.5")
    assert cheese.grams == Decimal("30.00")


# --- Encoding and line ends ----------------------------------------------------------------
def test_a_bom_crlf_and_cr_files_read_as_lf():
    text = servings(
        '2026-03-01,Breakfast,"Oats, rolled",40.00 g,150,55.20',
        "2026-03-01,Lunch,Rice,1 cup,200,",
    )
    plain = parse(text)
    for variant in (
        "\ufeff" + text,
        text.replace("\n", "\r\n"),
        "\ufeff" + text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
    ):
        assert parse(variant) == plain


def test_only_a_bom_is_an_empty_file():
    error = error_of("\ufeff")
    assert error.line == 1
    assert "empty" in error.message


def test_a_header_without_rows_reads_as_nothing_with_a_note():
    parsed = parse(SERVINGS_HEADER + "\r\n")
    assert parsed.rows == 0 and parsed.foods == []
    assert parsed.notes == ["The file has a header but no rows."]


def test_blank_lines_are_left_out_and_line_numbers_stay_the_files():
    parsed = parse(
        "\n" + SERVINGS_HEADER + "\n\n2026-03-01,Lunch,Rice,1 cup,200,20\n\n,,,,,\n"
        "2026-03-02,Lunch,Rice,1 cup,200,20\n"
    )
    assert parsed.rows == 2
    assert [f.line for f in parsed.foods] == [4, 7]


def test_a_quoted_name_over_two_lines_keeps_the_next_rows_line_numbers():
    parsed = parse(
        servings('2026-03-01,Lunch,"Soup,\nhomemade",1 bowl,200,30', "2026-03-01,,Tea,1 cup,2,1")
    )
    soup, tea = parsed.foods
    assert soup.name == "Soup,\nhomemade" and soup.line == 2
    assert tea.line == 4


def test_quotes_inside_names_are_read():
    parsed = parse(servings('2026-03-01,Dinner,"Pizza, 12"" round",2 slice,500,40'))
    assert parsed.foods[0].name == 'Pizza, 12" round'


def test_an_unclosed_quote_names_the_line_it_starts_on():
    error = error_of(
        servings("2026-03-01,Lunch,Rice,1 cup,200,20", '2026-03-01,Lunch,"Rice,1 cup,200,20')
    )
    assert error.line == 3
    assert "CSV" in error.message


def test_text_after_a_closing_quote_names_its_line():
    error = error_of(servings('2026-03-01,Lunch,"Rice" brown,1 cup,200,20'))
    assert error.line == 2


def test_a_nul_character_names_its_line():
    error = error_of(
        servings("2026-03-01,Lunch,Rice,1 cup,200,20", "2026-03-01,Lunch,Ri\x00ce,1 cup,200,20")
    )
    assert error.line == 3
    assert "NUL" in error.message


def test_a_zip_or_xlsx_file_says_to_choose_the_csv():
    error = error_of("PK\x03\x04\x14\x00\x06\x00")
    assert error.line == 1
    assert ".xlsx" in error.message


@pytest.mark.parametrize(
    "row", ["2026-03-01,Lunch,Rice,1 cup,200", "2026-03-01,Lunch,Rice,1 cup,200,20,"]
)
def test_a_row_with_another_number_of_cells_names_its_line(row):
    error = error_of(servings("2026-03-01,Lunch,Rice,1 cup,200,20", row))
    assert error.line == 3
    assert "header (line 1) has 6 columns" in error.message


def test_a_cell_longer_than_csv_allows_names_its_line():
    error = error_of(
        servings(
            "2026-03-01,Lunch,Rice,1 cup,200,20", f"2026-03-01,Lunch,{'x' * 200_000},1 cup,200,20"
        )
    )
    assert error.line == 3


# --- Limits -------------------------------------------------------------------------------
def test_max_rows_are_read():
    row = "2026-03-01,Lunch,Rice,1 cup,200,20\n"
    parsed = parse(SERVINGS_HEADER + "\n" + row * MAX_ROWS)
    assert parsed.rows == MAX_ROWS == 100_000


def test_one_row_more_than_max_rows_names_the_line():
    row = "2026-03-01,Lunch,Rice,1 cup,200,20\n"
    error = error_of(SERVINGS_HEADER + "\n" + row * (MAX_ROWS + 1))
    assert error.line == MAX_ROWS + 2
    assert "100,000" in error.message


# --- Summary rows ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "row",
    [
        "Totals,,,,2350,410.5",
        "2026-03-01,Daily Totals,,,2350,410.5",
        "2026-03-01,Total,,,2350,410.5",
        "Weekly Total:,,,,2350,410.5",
    ],
)
def test_totals_rows_are_skipped_with_the_reason(row):
    parsed = parse(servings("2026-03-01,Lunch,Rice,1 cup,200,20", row))
    assert len(parsed.foods) == 1
    assert parsed.rows == 2
    assert parsed.skipped == [(3, "a totals row, which repeats the rows above it")]


@pytest.mark.parametrize("name", ["Total Cereal", "Total", "Totals"])
def test_a_food_called_total_is_a_food(name):
    parsed = parse(servings(f"2026-03-01,Breakfast,{name},1 cup,100,20"))
    assert parsed.foods[0].name == name


# --- Days -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("2026/03/01", date(2026, 3, 1)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("5/5/2026", date(2026, 5, 5)),  # the same either way
    ],
)
def test_days_read_without_a_doubt(written, day):
    assert parse(servings(f"{written},Lunch,Rice,1 cup,200,20")).foods[0].day == day


@pytest.mark.parametrize(
    "written",
    ["2026-02-30", "2026-13-01", "01-03-2026", "March 1, 2026", "1/3/26", "20260301", "yesterday"],
)
def test_a_day_that_is_not_one_names_its_line(written):
    error = error_of(
        servings("2026-03-01,Lunch,Rice,1 cup,200,20", f'"{written}",Lunch,Rice,1 cup,200,20')
    )
    assert error.line == 3
    assert '"Day"' in error.message


def test_an_empty_day_names_its_line():
    error = error_of(servings(",Lunch,Rice,1 cup,200,20"))
    assert error.line == 2
    assert "empty" in error.message


@pytest.mark.parametrize("written", ["1899-12-31", "2101-01-01"])
def test_days_outside_the_sites_years_are_refused(written):
    error = error_of(servings(f"{written},Lunch,Rice,1 cup,200,20"))
    assert error.line == 2
    assert "1900" in error.message and "2100" in error.message


def test_a_day_first_file_is_read_day_first_throughout():
    parsed = parse(
        servings("03/04/2026,Lunch,Rice,1 cup,200,20", "13/04/2026,Lunch,Rice,1 cup,200,20")
    )
    assert [f.day for f in parsed.foods] == [date(2026, 4, 3), date(2026, 4, 13)]


def test_a_month_first_file_is_read_month_first_throughout():
    parsed = parse(
        servings("03/04/2026,Lunch,Rice,1 cup,200,20", "12/14/2017,Lunch,Rice,1 cup,200,20")
    )
    assert [f.day for f in parsed.foods] == [date(2026, 3, 4), date(2017, 12, 14)]


def test_an_ambiguous_day_with_nothing_to_decide_is_refused_not_guessed():
    error = error_of(
        servings("2026-03-01,Lunch,Rice,1 cup,200,20", "1/4/2018,Lunch,Rice,1 cup,200,20")
    )
    assert error.line == 3
    assert "1/4/2018" in error.message
    assert "day-first or month-first" in error.message


def test_a_file_mixing_day_first_and_month_first_is_refused():
    error = error_of(
        servings(
            "13/04/2026,Lunch,Rice,1 cup,200,20",
            "2026-03-01,Lunch,Rice,1 cup,200,20",
            "04/14/2026,Lunch,Rice,1 cup,200,20",
        )
    )
    assert error.line == 4
    assert "line 2" in error.message and "line 4" in error.message


# --- Numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("55.20", Decimal("55.20")),
        ("0", Decimal("0")),
        (".5", Decimal("0.5")),
        ("7.", Decimal("7")),
        (" 12 ", Decimal("12")),
        ("1.5E-4", Decimal("0.00015")),
        ('"1,234.5"', Decimal("1234.5")),
        ('"12,345,678"', Decimal("12345678")),
        ("", None),
    ],
)
def test_numbers_are_read_exactly(written, value):
    parsed = parse(servings(f"2026-03-01,Lunch,Rice,1 cup,200,{written}"))
    assert parsed.foods[0].magnesium_mg == value


@pytest.mark.parametrize(
    "written",
    [
        "abc",
        '"12,34.5"',
        "NaN",
        "Infinity",
        "1e999",
        "1E+20",
        "0x10",
        "5 mg",
        "1.2.3",
        "--1",
        "\u0665\u0665",  # Arabic-Indic digits: not what a tracker writes
    ],
)
def test_a_non_number_in_a_number_column_names_the_line_and_column(written):
    error = error_of(servings(f"2026-03-01,Lunch,Rice,1 cup,200,{written}"))
    assert error.line == 2
    assert '"Magnesium (mg)" should be a number' in error.message


def test_a_decimal_comma_is_refused_with_how_to_write_it():
    error = error_of(servings('2026-03-01,Lunch,Rice,1 cup,200,"55,20"'))
    assert error.line == 2
    assert "(55.20)" in error.message and "decimal mark" in error.message


@pytest.mark.parametrize("written", ["1000000000000", '"1,000,000,000,000"', "-1000000000000.5"])
def test_a_figure_too_large_to_be_real_is_refused(written):
    error = error_of(servings(f"2026-03-01,Lunch,Rice,1 cup,{written},20"))
    assert error.line == 2
    assert "too large" in error.message


def test_a_negative_magnesium_is_refused():
    error = error_of(servings("2026-03-01,Lunch,Rice,1 cup,200,-3"))
    assert error.line == 2
    assert "negative" in error.message


def test_a_non_number_in_energy_names_its_column():
    error = error_of(servings("2026-03-01,Lunch,Rice,1 cup,lots,20"))
    assert '"Energy (kcal)"' in error.message


# --- Amounts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "grams"),
    [
        ("80.00 g", Decimal("80.00")),
        ("80g", Decimal("80")),
        ("80 grams", Decimal("80")),
        ("1.5 kg", Decimal("1500.0")),
        ("500 mg", Decimal("0.500")),
        ("2 oz", Decimal("56.699046250")),
        ("1.00 oz", Decimal("28.34952312500")),
        ("1 lb", Decimal("453.592370")),
        ("0.5 lbs", Decimal("226.7961850")),
        ("1 x 30 g", Decimal("30")),
        ("2 × 30g", Decimal("60")),
        ("1,000.00 g", Decimal("1000.00")),
        ("1 cup", None),
        ("1.5 serving", None),
        ("1.00 full recipe", None),
        ("8 fl oz", None),
        ("250 ml", None),
        ("2.00 large", None),
        ("½ cup", None),
        ("", None),
        ("200000 g", None),  # more than anyone eats: a slip, not a weight
    ],
)
def test_amounts_keep_their_text_and_give_grams_when_they_state_a_weight(amount, grams):
    (food,) = parse(servings(f'2026-03-01,Lunch,Rice,"{amount}",200,20')).foods
    assert food.amount_text == amount
    assert food.grams == grams
