"""Importers refuse a value beyond its physical bound (`nutrition.foods.bounds`) or beyond its
column, as they refuse one that is not a number: the file and line are named and nothing is
changed. Values at the bounds load (SR28's own extremes are well inside them)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError

from nutrition.foods.models import Food, FoodNutrient, Portion
from tests.foods import test_import_fdc as fdc
from tests.foods import test_import_sr28 as sr28

pytestmark = pytest.mark.django_db

VITAMIN_A_IU = "~318~^~IU~^~VITA_IU~^~Vitamin A, IU~^~0~^~7500~"
NUTRIENTS = [*sr28.NUTRIENTS, VITAMIN_A_IU]


def _value(ndb: str, number: str, amount: str) -> str:
    return f"~{ndb}~^~{number}~^{amount}^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^"


def _stored() -> list[tuple]:
    return [
        *FoodNutrient.objects.order_by("pk").values_list("pk", "amount_per_100g"),
        *Portion.objects.order_by("pk").values_list("pk", "amount", "gram_weight"),
        *Food.objects.order_by("pk").values_list(
            "pk", "magnesium_mg_per_100g", "energy_kcal_per_100g", "net_carbs_g_per_100g"
        ),
    ]


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [
        ("values", _value("11457", "203", "150"), "cannot hold 150 g (at most 100 g)"),
        ("values", _value("12014", "205", "100.5"), "cannot hold 100.5 g"),
        ("values", _value("12014", "208", "1200"), "cannot hold 1200 kcal (at most 1,000 kcal)"),
        ("values", _value("11457", "304", "100001"), "cannot hold 100001 mg"),
        ("values", _value("12014", "304", "5000000"), "cannot hold 5000000 mg"),
        # 5 × 10⁹ mg: beyond the bound and beyond the column.
        ("values", _value("12014", "304", "5000000000"), "at most 99,999,999.9999"),
        ("values", _value("11457", "313", "100000000"), "at most 99,999,999.9999"),
        # Rounds to 100,000,000.0000 IU: one digit more than the column holds.
        ("values", _value("11457", "318", "99999999.99995"), "at most 99,999,999.9999"),
        ("weights", "~12014~^2^1^~dash~^0.05^^", "at least 0.1 g"),
        ("weights", "~12014~^2^1^~dash~^0.0996^^", None),  # stored as 0.100 g: a portion
        ("weights", "~12014~^2^1^~sack~^10000.5^^", "at most 10,000 g"),
        ("weights", "~12014~^2^0.0004^~cup~^10^^", "must be more than 0"),  # rounds to 0
        ("weights", "~12014~^2^20000^~seed~^10^^", "at most 10,000"),
    ],
)
def test_sr28_values_beyond_their_bounds_are_a_malformed_file(tmp_path, file, line, words):
    sr28.load(sr28.write_release(tmp_path / "good", nutrients=NUTRIENTS))
    before = _stored()
    # A change before the bad line, which must not be kept either.
    files = {
        "nutrients": NUTRIENTS,
        "values": [v.replace("~304~^87^", "~304~^90^") for v in sr28.VALUES],
        "weights": sr28.WEIGHTS,
    }
    files[file] = [*files[file], line]
    bad = sr28.write_release(tmp_path / "bad", **files)

    if words is None:
        sr28.load(bad)
        assert Portion.objects.get(food__source_id="12014", seq=2).gram_weight == Decimal("0.1")
        return
    with pytest.raises(CommandError) as error:
        sr28.load(bad)

    name = {"values": "NUT_DATA", "weights": "WEIGHT"}[file]
    text = str(error.value)
    assert f"{name}.txt, line {len(files[file])}" in text
    assert words in text
    assert "nothing was changed" in text
    assert _stored() == before


def test_sr28_values_at_their_bounds_load(tmp_path):
    values = [
        _value("11457", "203", "100"),
        _value("11457", "208", "1000"),
        _value("11457", "304", "100000"),  # no confirmation in a file: the bound is the bound
        _value("11457", "318", "99999999.9999"),
        _value("12014", "304", "5000"),
    ]
    weights = ["~11457~^1^0.083^~dash~^0.1^^", "~12014~^1^240^~sack~^10000^^"]

    sr28.load(sr28.write_release(tmp_path, nutrients=NUTRIENTS, values=values, weights=weights))

    food = Food.objects.get(source_id="11457")
    assert (food.magnesium_mg_per_100g, food.energy_kcal_per_100g) == (
        Decimal("100000"),
        Decimal("1000"),
    )
    assert sr28.amount("11457", "318") == Decimal("99999999.9999")
    assert Food.objects.get(source_id="12014").magnesium_mg_per_100g == Decimal("5000")
    assert sorted(Portion.objects.values_list("amount", "gram_weight")) == [
        (Decimal("0.083"), Decimal("0.1")),
        (Decimal("240"), Decimal("10000")),
    ]


@pytest.mark.parametrize("magnesium", ["5000000", "5000000000"])
def test_a_first_load_with_an_impossible_magnesium_leaves_the_database_empty(tmp_path, magnesium):
    # The foods' magnesium column is filled from a first look at NUT_DATA: an impossible
    # figure there must not reach the database (and fail there) before the line is refused.
    values = [*sr28.VALUES, _value("11457", "304", magnesium)]
    bad = sr28.write_release(tmp_path, values=values)

    with pytest.raises(CommandError, match=r"NUT_DATA\.txt, line 13: "):
        sr28.load(bad)

    assert Food.objects.count() == FoodNutrient.objects.count() == Portion.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "row", "line", "words"),
    [
        ("food_nutrient.csv", ["12", "168462", "1005", "101", ""], 13, "cannot hold 101 g"),
        ("food_nutrient.csv", ["12", "168462", "1008", "902.5", ""], None, None),
        ("food_nutrient.csv", ["12", "2346388", "1090", "250000", ""], 13, "cannot hold 250000"),
        ("food_portion.csv", ["93", "168462", "3", "1", "1000", "", "", "0.04"], 7, "0.1 g"),
        ("food_portion.csv", ["93", "168462", "3", "1", "1000", "", "", "12000"], 7, "10,000 g"),
        # A lab sample's portion is not kept, so neither is it checked.
        ("food_portion.csv", ["93", "1104647", "3", "1", "1000", "", "", "0.04"], None, None),
        (
            "branded_food.csv",
            ["2012128", "Nutty Farms Inc.", "NUTTY", "00850006000012", "20000", "g", "1 tub"],
            2,
            "at most 10,000 g",
        ),
    ],
)
def test_fdc_values_beyond_their_bounds_are_a_malformed_file(tmp_path, file, row, line, words):
    fdc.load(fdc.write_download(tmp_path / "good"))
    before = _stored()
    files = dict(fdc.FILES)
    files["food_nutrient.csv"] = [
        [*r[:3], "99", *r[4:]] if r[0] == "1" else r for r in fdc.FILES["food_nutrient.csv"]
    ]
    if file == "branded_food.csv":
        files[file] = [files[file][0], row]
    else:
        files[file] = [*files[file], row]

    if words is None:
        fdc.load(fdc.write_download(tmp_path / "bad", files))
        assert _stored() != before
        return
    with pytest.raises(CommandError) as error:
        fdc.load(fdc.write_download(tmp_path / "bad", files))

    text = str(error.value)
    assert f"{file}, line {line}" in text
    assert words in text
    assert _stored() == before
