"""MacroFactor's food log, read by nutrition.transfer.formats."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from nutrition.transfer.formats import MACROFACTOR, ImportFileError, parse

# The header of a real food log export, as MacroFactor writes it (BOM, every micronutrient).
HEADER = (
    "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal),Fat (g),"
    'Carbs (g),Protein (g),Alcohol (g),"B12, Cobalamin (mcg)","B1, Thiamine (mg)",'
    '"B2, Riboflavin (mg)","B3, Niacin (mg)","B5, Pantothenic Acid (mg)","B6, Pyridoxine (mg)",'
    "Caffeine (mg),Calcium (mg),Cholesterol (mg),Choline (mg),Copper (mg),Cysteine (g),"
    "Monounsaturated Fat (g),Polyunsaturated Fat (g),Saturated Fat (g),Trans Fat (g),Fiber (g),"
    "Folate (mcg),Histidine (g),Iron (mg),Isoleucine (g),Leucine (g),Lysine (g),Magnesium (mg),"
    "Manganese (mg),Methionine (g),Omega-3 ALA (g),Omega-3 DHA (g),Omega-3 EPA (g),Omega-3 (g),"
    "Omega-6 (g),Phenylalanine (g),Phosphorus (mg),Potassium (mg),Selenium (mcg),Sodium (mg),"
    "Starch (g),Sugars (g),Sugars Added (g),Threonine (g),Tryptophan (g),Tyrosine (g),Valine (g),"
    "Vitamin A (mcg),Vitamin C (mg),Vitamin D (mcg),Vitamin E (mg),Vitamin K (mcg),Water (g),"
    "Zinc (mg)"
)
COLUMNS = 61


def row(**cells: str) -> str:
    """A row of the real header with the given cells (by column name), blank elsewhere."""
    names = next(csv.reader(io.StringIO(HEADER)))
    assert len(names) == COLUMNS
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([cells.get(n, "") for n in names])
    return out.getvalue()


def test_the_real_header_is_detected_and_rows_become_food_lines():
    text = (
        "\ufeff"
        + HEADER
        + "\r\n"
        + row(
            **{
                "Date": "2026-10-05",
                "Time": "07:30 AM",
                "Food Name": "Oats, rolled",
                "Serving Size": "cup",
                "Serving Qty": "1.0",
                "Serving Weight (g)": "80.0",
                "Calories (kcal)": "300",
                "Magnesium (mg)": "110.4",
            }
        )
        + "\r\n"
        + row(
            **{
                "Date": "2026-10-05",
                "Time": "13:02",
                "Food Name": "Greek yogurt",
                "Serving Size": "g",
                "Serving Qty": "170.0",
                "Serving Weight (g)": "170.0",
                "Calories (kcal)": "100",
            }
        )
        + "\r\n"
    )
    parsed = parse(text)
    assert parsed.format == MACROFACTOR
    assert parsed.rows == 2
    oats, yogurt = parsed.foods
    assert (oats.line, oats.day, oats.group, oats.name) == (
        2,
        date(2026, 10, 5),
        "",
        "Oats, rolled",
    )
    assert oats.amount_text == "1.0 cup"
    assert oats.grams == Decimal("80.0")
    assert oats.magnesium_mg == Decimal("110.4")
    assert oats.energy_kcal == Decimal("300")
    assert yogurt.amount_text == "170.0 g"
    assert yogurt.magnesium_mg is None  # a blank cell: unknown, not zero
    assert parsed.notes == []


def test_the_weight_is_the_whole_rows():
    parsed = parse(
        "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal)\n"
        '2026-10-14,7:38 PM,"Pasta, cooked",cup,2,280,440\n'
    )
    (pasta,) = parsed.foods
    assert pasta.amount_text == "2 cup"
    assert pasta.grams == Decimal("280")


def test_without_a_weight_the_amount_gives_it_when_it_states_one():
    parsed = parse(
        "Date,Food Name,Serving Size,Serving Qty,Serving Weight (g)\n"
        "2026-10-14,Cheddar,oz,2,\n"
        "2026-10-14,Apple,medium,1,\n"
    )
    cheddar, apple = parsed.foods
    assert cheddar.grams == Decimal("56.699046250")
    assert apple.grams is None


def test_without_micronutrient_columns_a_note_says_foods_will_be_matched():
    parsed = parse(
        "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal),"
        "Protein (g),Carbs (g),Fat (g)\n"
        "2026-10-13,07:30 AM,Synthetic Oats,cup,1,80,300,10,54,5\n"
    )
    assert parsed.foods[0].magnesium_mg is None
    assert len(parsed.notes) == 1 and "no magnesium column" in parsed.notes[0]


def test_day_first_dates_of_a_resaved_file_are_read_day_first():
    parsed = parse(
        "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal)\n"
        "03/10/2026,07:30 AM,Synthetic Oats,cup,1,80,300\n"
        "13/10/2026,7:38 PM,Pasta,cup,2,280,440\n"
    )
    assert [f.day for f in parsed.foods] == [date(2026, 10, 3), date(2026, 10, 13)]


def test_a_row_without_a_name_is_skipped_with_the_reason():
    parsed = parse("Date,Food Name,Serving Qty\n2026-10-14,,1\n2026-10-14,Tea,1\n")
    assert [f.name for f in parsed.foods] == ["Tea"]
    assert parsed.skipped == [(2, "no food name")]


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ("2026-10-14,Tea,one,100,1.5", '"Serving Qty"'),
        ("2026-10-14,Tea,1,heavy,1.5", '"Serving Weight (g)"'),
        ("2026-10-14,Tea,1,100,?", '"Magnesium (mg)"'),
        ("2026-10-14,Tea,-1,100,1.5", '"Serving Qty"'),
        ("2026-10-14,Tea,1,-100,1.5", '"Serving Weight (g)"'),
    ],
)
def test_a_bad_number_names_its_line_and_column(cells, column):
    with pytest.raises(ImportFileError) as raised:
        parse(
            "Date,Food Name,Serving Qty,Serving Weight (g),Magnesium (mg)\n"
            f"2026-10-14,Tea,1,240,1.5\n{cells}\n"
        )
    assert raised.value.line == 3
    assert column in raised.value.message
