"""`load_usda --format fdc` on small Branded Foods downloads, on SQLite and PostgreSQL (the
PostgreSQL loader streams the files through staging tables: `fdc_postgres`)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError
from django.db import connection

from nutrition.foods.importers import fdc_postgres
from nutrition.foods.models import Food, FoodNutrient, Portion
from nutrition.foods.search import search_foods
from tests.diary.factories import DiaryEntryFactory
from tests.foods.test_import_fdc import FILES, load, write_download

pytestmark = pytest.mark.django_db

BRANDED_HEADER = [
    "fdc_id",
    "brand_owner",
    "brand_name",
    "subbrand_name",
    "gtin_upc",
    "ingredients",
    "not_a_significant_source_of",
    "serving_size",
    "serving_size_unit",
    "household_serving_fulltext",
    "branded_food_category",
    "data_source",
    "package_weight",
    "modified_date",
    "available_date",
    "market_country",
    "discontinued_date",
    "preparation_state_code",
    "trade_channel",
    "short_description",
]


def _branded(fdc_id, owner, brand, gtin, ingredients, size, unit, household, available=""):
    row = dict.fromkeys(BRANDED_HEADER, "")
    row.update(
        fdc_id=fdc_id,
        brand_owner=owner,
        brand_name=brand,
        gtin_upc=gtin,
        ingredients=ingredients,
        serving_size=size,
        serving_size_unit=unit,
        household_serving_fulltext=household,
        available_date=available,
        market_country="United States",
    )
    return [row[name] for name in BRANDED_HEADER]


# Three products whose barcodes are written in the 12-, 13- and 14-digit forms.
PRODUCTS = {
    "3000001": (
        "KIND DARK CHOCOLATE NUTS & SEA SALT BAR",
        _branded(
            "3000001",
            "KIND LLC",
            "KIND",
            "602652171208",
            "ALMONDS, PEANUTS, CHICORY ROOT FIBER, HONEY, SEA SALT",
            "40.0",
            "GRM",
            "1 bar",
            "2021-03-01",
        ),
        [("1090", "128"), ("1008", "500"), ("1005", "40"), ("1079", "17.5")],
    ),
    "3000002": (
        "ORGANIC BABY SPINACH",
        _branded(
            "3000002",
            "Earthbound Farm",
            "",
            "0032601025090",
            "ORGANIC BABY SPINACH",
            "85",
            "g",
            "3 cups",
        ),
        [("1090", "79"), ("1008", "23")],
    ),
    "3000003": (
        "ALMONDS, ROASTED & SALTED",
        _branded(
            "3000003",
            "Blue Diamond Growers",
            "BLUE DIAMOND",
            "00041570054161",
            "ALMONDS, VEGETABLE OIL, SEA SALT",
            "28",
            "g",
            "1/4 cup",
        ),
        [("1090", "268"), ("1109", "24.2")],
    ),
}


def download(products=PRODUCTS, *, extra_foods=(), extra_values=()):
    """FILES with the branded products in place of the one branded food there."""
    files = {name: list(rows) for name, rows in FILES.items()}
    files["food.csv"] = [
        *(r for r in FILES["food.csv"] if r[1] != "branded_food"),
        *(
            [fdc_id, "branded_food", name, "Snack, Energy & Granola Bars", "2024-10-31"]
            for fdc_id, (name, _, _) in products.items()
        ),
        *extra_foods,
    ]
    files["branded_food.csv"] = [BRANDED_HEADER, *(row for _, row, _ in products.values())]
    number = 100
    values = [r for r in FILES["food_nutrient.csv"] if r[1] != "2012128"]
    for fdc_id, (_, _, amounts) in products.items():
        for nutrient_id, amount in amounts:
            number += 1
            values.append([str(number), fdc_id, nutrient_id, amount, ""])
    files["food_nutrient.csv"] = [*values, *extra_values]
    return files


def snapshot() -> list[tuple]:
    return [
        *Food.objects.order_by("pk").values_list(
            "pk",
            "name",
            "brand",
            "barcode",
            "serving_size",
            "discontinued_on",
            "magnesium_mg_per_100g",
            "updated_at",
        ),
        *FoodNutrient.objects.order_by("pk").values_list("pk", "food_id", "amount_per_100g"),
        *Portion.objects.order_by("pk").values_list("pk", "food_id", "seq", "gram_weight"),
        ("history", Food.history.count(), FoodNutrient.history.count(), Portion.history.count()),
    ]


def test_branded_fields_are_stored(tmp_path):
    output = load(write_download(tmp_path, download()))

    assert "foods: 5 created" in output
    bar = Food.objects.get(source_id="3000001")
    assert (bar.name, bar.brand, bar.data_type) == (
        "KIND DARK CHOCOLATE NUTS & SEA SALT BAR",
        "KIND",
        Food.DataType.BRANDED,
    )
    assert bar.ingredients == "ALMONDS, PEANUTS, CHICORY ROOT FIBER, HONEY, SEA SALT"
    assert (bar.serving_size, bar.serving_size_unit, bar.household_serving) == (
        Decimal("40"),
        "g",
        "1 bar",
    )
    assert bar.published_on == datetime.date(2024, 10, 31)  # food.csv publication_date
    assert bar.discontinued_on is None
    assert bar.magnesium_mg_per_100g == Decimal("128")
    assert bar.net_carbs_g_per_100g == Decimal("22.5")
    serving = bar.portions.get()
    assert (serving.description, serving.gram_weight) == ("serving (1 bar)", Decimal("40"))
    # No brand name on the label: the brand owner stands in.
    assert Food.objects.get(source_id="3000002").brand == "Earthbound Farm"


def test_barcode_forms_are_stored_as_one_14_digit_code(tmp_path):
    products = dict(PRODUCTS)
    _name, row, values = products["3000003"]
    products["3000004"] = ("NOT A BARCODE", [*row[:4], "N/A", *row[5:]], values)
    products["3000004"][1][0] = "3000004"
    load(write_download(tmp_path, download(products)))

    codes = dict(Food.objects.filter(data_type="branded").values_list("source_id", "barcode"))
    assert codes == {
        "3000001": "00602652171208",  # 12 digits (UPC-A)
        "3000002": "00032601025090",  # 13 digits (EAN-13 with a leading zero)
        "3000003": "00041570054161",  # 14 digits (GTIN-14)
        "3000004": "",
    }


def test_second_run_changes_nothing(tmp_path):
    folder = write_download(tmp_path, download())
    load(folder)
    before = snapshot()

    output = load(folder)

    assert "foods: 0 created, 0 updated, 5 unchanged" in output
    assert "nutrient values: 0 created, 0 updated, 14 unchanged" in output
    assert "portions: 0 created, 0 updated, 7 unchanged" in output
    assert "discontinued" not in output
    assert snapshot() == before


def test_a_changed_label_is_updated(tmp_path):
    load(write_download(tmp_path / "one", download()))
    products = dict(PRODUCTS)
    name, row, values = products["3000001"]
    changed = list(row)
    changed[BRANDED_HEADER.index("ingredients")] = "ALMONDS, HONEY"
    products["3000001"] = (name, changed, [("1090", "130"), *values[1:]])

    output = load(write_download(tmp_path / "two", download(products)))

    assert "foods: 0 created, 1 updated, 4 unchanged" in output
    assert "nutrient values: 0 created, 1 updated, 13 unchanged" in output
    bar = Food.objects.get(source_id="3000001")
    assert (bar.ingredients, bar.magnesium_mg_per_100g) == ("ALMONDS, HONEY", Decimal("130"))


@pytest.mark.parametrize(
    ("file", "row", "words"),
    [
        ("food_nutrient.csv", ["999", "3000003", "1090", "lots", ""], "amount 'lots'"),
        ("food_nutrient.csv", ["999", "3000003", "1090", "250000", ""], "cannot hold 250000"),
        ("food_nutrient.csv", ["999", "3000009", "1090", "12", ""], "unknown food '3000009'"),
        ("food_nutrient.csv", ["999", "3000003", "1090"], "3 fields, expected 5"),
        ("branded_food.csv", _branded("3000009", "X", "X", "1", "", "a lot", "g", ""), "serving"),
    ],
)
def test_a_malformed_line_late_in_a_file_changes_nothing(tmp_path, file, row, words):
    load(write_download(tmp_path / "good", download()))
    before = snapshot()
    products = dict(PRODUCTS)
    name, label, values = products["3000002"]
    products["3000002"] = (name, label, [("1090", "80"), *values[1:]])  # a change, not kept
    files = download(products)
    files[file] = [*files[file], row]

    with pytest.raises(CommandError) as error:
        load(write_download(tmp_path / "bad", files))

    assert f"{file}, line {len(files[file])}" in str(error.value)
    assert words in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert snapshot() == before


def test_products_a_release_drops_are_discontinued_not_deleted(tmp_path):
    load(write_download(tmp_path / "one", download()))
    spinach = Food.objects.get(source_id="3000002")
    entry = DiaryEntryFactory(food=spinach)
    newer = {k: v for k, v in PRODUCTS.items() if k != "3000002"}

    output = load(write_download(tmp_path / "two", download(newer)))

    assert "1 discontinued" in output
    spinach.refresh_from_db()
    assert spinach.discontinued_on == datetime.date(2024, 10, 31)  # the release's date
    entry.refresh_from_db()
    assert entry.food == spinach
    assert spinach.nutrient_values.count() == 2
    assert not Food.objects.exclude(source_id="3000002").filter(discontinued_on__isnull=False)

    # Back in a later release: no longer discontinued.
    output = load(write_download(tmp_path / "three", download()))
    spinach.refresh_from_db()
    assert spinach.discontinued_on is None
    assert "foods: 0 created, 1 updated" in output


def test_a_partial_download_discontinues_only_its_own_data_types(tmp_path):
    load(write_download(tmp_path / "all", download()))
    foundation_only = {name: list(rows) for name, rows in FILES.items()}
    foundation_only["food.csv"] = [
        r for r in FILES["food.csv"] if r[0] == "fdc_id" or r[1] == "foundation_food"
    ]
    foundation_only["food_nutrient.csv"] = [
        r for r in FILES["food_nutrient.csv"] if r[1] in ("fdc_id", "2346388")
    ]
    foundation_only["food_portion.csv"] = [
        r for r in FILES["food_portion.csv"] if r[1] in ("fdc_id", "2346388")
    ]
    foundation_only["branded_food.csv"] = [BRANDED_HEADER]

    output = load(write_download(tmp_path / "foundation", foundation_only))

    assert "discontinued" not in output
    assert not Food.objects.filter(discontinued_on__isnull=False).exists()


def test_search_finds_a_loaded_branded_product(tmp_path):
    load(write_download(tmp_path, download()))

    found = [f.source_id for f in search_foods("kind dark chocolate sea salt bar")]

    assert found[0] == "3000001"
    assert "3000003" in [f.source_id for f in search_foods("blue diamond almonds")]


@pytest.fixture
def bulk(monkeypatch):
    """The PostgreSQL path a first load of many foods takes (indexes dropped and rebuilt),
    on a small file."""
    if connection.vendor != "postgresql":
        pytest.skip("the bulk path is PostgreSQL's")
    monkeypatch.setattr(fdc_postgres, "BULK_FOODS", 1)


def test_bulk_first_load_then_nothing_changes(tmp_path, bulk):
    repeated = [["998", "3000001", "1090", "999", ""]]  # a repeated line: the first one wins
    folder = write_download(tmp_path, download(extra_values=repeated))

    output = load(folder)

    assert "foods: 5 created" in output
    assert Food.objects.get(source_id="3000001").magnesium_mg_per_100g == Decimal("128")
    assert FoodNutrient.objects.get(
        food__source_id="3000001", nutrient__usda_number="304"
    ).amount_per_100g == Decimal("128")
    before = snapshot()
    output = load(folder)
    assert "foods: 0 created, 0 updated, 5 unchanged" in output
    assert snapshot() == before
    assert search_foods("organic baby spinach")[0].source_id == "3000002"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    load(write_download(tmp_path / "good", download()))
    before = snapshot()
    folder = write_download(tmp_path / "bad", download())
    with (folder / "food_nutrient.csv").open("ab") as f:
        f.write(b'999,3000003,1090,12,"caf\xe9"\n')

    with pytest.raises(CommandError) as error:
        load(folder)

    assert "food_nutrient.csv, line" in str(error.value)
    assert snapshot() == before
