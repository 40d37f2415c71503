"""`manage.py load_usda --format fdc` on small FoodData Central CSV downloads."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nutrition.foods.models import DataSource, Food, FoodNutrient, Nutrient, Portion
from tests.foods.factories import NutrientFactory

pytestmark = pytest.mark.django_db

FILES = {
    "food_category.csv": [
        ["id", "code", "description"],
        ["11", "1100", "Vegetables and Vegetable Products"],
        ["12", "1200", "Nut and Seed Products"],
    ],
    "nutrient.csv": [
        ["id", "name", "unit_name", "nutrient_nbr", "rank"],
        ["1090", "Magnesium, Mg", "MG", "304", "5500.0"],
        ["1008", "Energy", "KCAL", "208", "300.0"],
        ["1005", "Carbohydrate, by difference", "G", "205", "1110.0"],
        ["1079", "Fiber, total dietary", "G", "291", "1200.0"],
        ["2047", "Energy (Atwater General Factors)", "KCAL", "957", "280.0"],
        ["1109", "Vitamin E (alpha-tocopherol)", "MG", "323", "7905.0"],
        ["2000", "Sugars, total including NLEA", "G", "", ""],
    ],
    "measure_unit.csv": [
        ["id", "name"],
        ["1000", "cup"],
        ["1001", "tbsp"],
        ["9999", "undetermined"],
    ],
    "food.csv": [
        ["fdc_id", "data_type", "description", "food_category_id", "publication_date"],
        ["168462", "sr_legacy_food", "Spinach, raw", "11", "2019-04-01"],
        ["2346388", "foundation_food", "Seeds, pumpkin, raw", "12", "2022-10-28"],
        ["2012128", "branded_food", "ALMOND BUTTER, CREAMY", "", "2021-10-28"],
        ["1104647", "sub_sample_food", "Spinach, raw, sample 3", "11", "2020-01-01"],
    ],
    "food_nutrient.csv": [
        ["id", "fdc_id", "nutrient_id", "amount", "data_points"],
        ["1", "168462", "1090", "79.0", "12"],
        ["2", "168462", "1008", "23", ""],
        ["3", "168462", "1005", "3.63", ""],
        ["4", "168462", "1079", "2.2", ""],
        ["5", "168462", "2000", "0.42", ""],  # no nutrient_nbr: not matched
        ["6", "2346388", "1090", "550", ""],
        ["7", "2346388", "2047", "574", ""],
        ["8", "2012128", "1090", "290.5", ""],
        ["9", "2012128", "1109", "24.2", ""],
        ["10", "1104647", "1090", "81", ""],  # a lab sample: not kept
        ["11", "2346388", "1008", "", ""],  # no value measured
    ],
    "food_portion.csv": [
        [
            "id",
            "fdc_id",
            "seq_num",
            "amount",
            "measure_unit_id",
            "portion_description",
            "modifier",
            "gram_weight",
        ],
        ["81", "168462", "2", "1", "9999", "", "bunch", "340"],
        ["80", "168462", "1", "1", "9999", "", "cup", "30"],
        ["90", "2346388", "", "0.25", "1000", "", "", "32"],
        ["91", "2346388", "", "", "9999", "1 oz", "", "28.35"],
        ["92", "2346388", "", "1", "9999", "", "handful", ""],  # no weight: not kept
    ],
    "branded_food.csv": [
        [
            "fdc_id",
            "brand_owner",
            "brand_name",
            "gtin_upc",
            "serving_size",
            "serving_size_unit",
            "household_serving_fulltext",
        ],
        ["2012128", "Nutty Farms Inc.", "NUTTY", "00850006000012", "32", "g", "2 Tbsp"],
    ],
}


def write_download(folder: Path, files=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (files or FILES).items():
        with (folder / name).open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return folder


def load(folder: Path) -> str:
    out = io.StringIO()
    call_command("load_usda", "--path", str(folder), "--format", "fdc", stdout=out)
    return out.getvalue()


def test_loads_foods_of_each_kind(tmp_path):
    output = load(write_download(tmp_path))

    fdc = DataSource.objects.get(slug="usda-fdc")
    assert set(Food.objects.values_list("source_id", "data_type")) == {
        ("168462", Food.DataType.SR_LEGACY),
        ("2346388", Food.DataType.FOUNDATION),
        ("2012128", Food.DataType.BRANDED),
    }
    assert not Food.objects.exclude(data_source=fdc).exists()
    assert "foods: 3 created" in output
    spinach = Food.objects.get(source_id="168462")
    assert spinach.food_group.code == "1100"
    assert spinach.magnesium_mg_per_100g == Decimal("79")
    assert spinach.energy_kcal_per_100g == Decimal("23")
    assert spinach.net_carbs_g_per_100g == Decimal("1.43")
    assert spinach.private is False


def test_nutrients_are_matched_by_number(tmp_path):
    magnesium = NutrientFactory(usda_number="304")  # as SR28 or a migration made it
    load(write_download(tmp_path))

    assert Nutrient.objects.get(usda_number="304") == magnesium
    assert magnesium.key == "magnesium"
    assert Nutrient.objects.get(usda_number="208").key == "energy_kcal"
    atwater = Nutrient.objects.get(usda_number="957")
    assert (atwater.key, atwater.unit) == ("energy_atwater_general_factors", "kcal")
    assert not Nutrient.objects.filter(name__startswith="Sugars").exists()
    assert FoodNutrient.objects.filter(food__source_id="168462").count() == 4
    values = FoodNutrient.objects.filter(nutrient=magnesium)
    assert sorted(values.values_list("amount_per_100g", flat=True)) == [
        Decimal("79"),
        Decimal("290.5"),
        Decimal("550"),
    ]


def test_portions_from_food_portion_and_measure_unit(tmp_path):
    load(write_download(tmp_path))

    spinach = Portion.objects.filter(food__source_id="168462")
    assert [(p.seq, p.amount, p.description, p.gram_weight) for p in spinach] == [
        (1, Decimal("1"), "cup", Decimal("30")),
        (2, Decimal("1"), "bunch", Decimal("340")),
    ]
    seeds = Portion.objects.filter(food__source_id="2346388")
    assert [(p.amount, p.description, p.gram_weight) for p in seeds] == [
        (Decimal("0.25"), "cup", Decimal("32")),
        (Decimal("1"), "1 oz", Decimal("28.35")),
    ]


def test_branded_foods_get_brand_barcode_and_serving(tmp_path):
    load(write_download(tmp_path))

    butter = Food.objects.get(source_id="2012128")
    assert butter.brand == "NUTTY"
    assert butter.barcode == "00850006000012"
    assert butter.food_group is None
    serving = butter.portions.get()
    assert (serving.amount, serving.description, serving.gram_weight) == (
        Decimal("1"),
        "serving (2 Tbsp)",
        Decimal("32"),
    )


def test_branded_food_file_is_optional(tmp_path):
    files = {name: rows for name, rows in FILES.items() if name != "branded_food.csv"}
    load(write_download(tmp_path, files))

    butter = Food.objects.get(source_id="2012128")
    assert (butter.brand, butter.barcode, butter.portions.count()) == ("", "", 0)


def test_second_run_changes_nothing_and_changes_are_updated(tmp_path):
    folder = write_download(tmp_path)
    load(folder)
    before = (Food.objects.count(), FoodNutrient.objects.count(), Portion.objects.count())

    output = load(folder)

    assert "foods: 0 created, 0 updated, 3 unchanged" in output
    assert "nutrient values: 0 created, 0 updated, 8 unchanged" in output
    assert "portions: 0 created, 0 updated, 5 unchanged" in output
    assert (Food.objects.count(), FoodNutrient.objects.count(), Portion.objects.count()) == before

    files = dict(FILES)
    files["food_nutrient.csv"] = [
        [*row[:3], "80.5", *row[4:]] if row[0] == "1" else row for row in FILES["food_nutrient.csv"]
    ]
    output = load(write_download(tmp_path, files))

    assert "nutrient values: 0 created, 1 updated, 7 unchanged" in output
    assert Food.objects.get(source_id="168462").magnesium_mg_per_100g == Decimal("80.5")


@pytest.mark.parametrize(
    ("file", "row", "line", "message"),
    [
        ("food_nutrient.csv", ["12", "168462", "1090"], 13, "3 fields, expected 5"),
        ("food_nutrient.csv", ["12", "168462", "1090", "a lot", ""], 13, "amount"),
        ("food_nutrient.csv", ["12", "168462", "4242", "1", ""], 13, "unknown nutrient_id"),
        ("food_nutrient.csv", ["12", "999", "1090", "1", ""], 13, "unknown food"),
        ("food.csv", ["x1", "sr_legacy_food", "Kale", "11", ""], 6, "fdc_id"),
        ("food_portion.csv", ["93", "168462", "3", "1", "1000", "", "", "-2"], 7, "gram_weight"),
    ],
)
def test_malformed_rows_name_file_and_line_and_change_nothing(tmp_path, file, row, line, message):
    load(write_download(tmp_path / "good"))
    before = list(FoodNutrient.objects.order_by("pk").values_list("pk", "amount_per_100g"))
    files = dict(FILES)
    # A change before the bad row, which must not be kept either.
    files["food_nutrient.csv"] = [
        [*r[:3], "99", *r[4:]] if r[0] == "1" else r for r in FILES["food_nutrient.csv"]
    ]
    files[file] = [*files[file], row]

    with pytest.raises(CommandError) as error:
        load(write_download(tmp_path / "bad", files))

    assert f"{file}, line {line}" in str(error.value)
    assert message in str(error.value)
    assert list(FoodNutrient.objects.order_by("pk").values_list("pk", "amount_per_100g")) == before


def test_missing_columns_and_files(tmp_path):
    files = dict(FILES)
    files["nutrient.csv"] = [["id", "name"], ["1090", "Magnesium"]]
    with pytest.raises(CommandError, match=r"nutrient\.csv, line 1: missing column"):
        load(write_download(tmp_path / "columns", files))

    folder = write_download(tmp_path / "files")
    (folder / "food_portion.csv").unlink()
    with pytest.raises(CommandError, match=r"missing food_portion\.csv"):
        load(folder)
    assert not Food.objects.exists()
