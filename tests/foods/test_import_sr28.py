"""`manage.py load_usda` on small SR28 releases written by the tests (Latin-1, `^`, `~`)."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nutrition.foods.models import DataSource, Food, FoodGroup, FoodNutrient, Nutrient, Portion

pytestmark = pytest.mark.django_db

GROUPS = ["~1100~^~Vegetables and Vegetable Products~", "~1200~^~Nut and Seed Products~"]
NUTRIENTS = [
    "~203~^~g~^~PROCNT~^~Protein~^~2~^~600~",
    "~205~^~g~^~CHOCDF~^~Carbohydrate, by difference~^~2~^~1100~",
    "~208~^~kcal~^~ENERC_KCAL~^~Energy~^~0~^~300~",
    "~291~^~g~^~FIBTG~^~Fiber, total dietary~^~1~^~1200~",
    "~304~^~mg~^~MG~^~Magnesium, Mg~^~0~^~5500~",
    "~313~^~µg~^~FLD~^~Fluoride, F~^~1~^~6240~",
    "~573~^~mg~^~~^~Vitamin E, added~^~2~^~7920~",
]
FOODS = [
    "~11457~^~1100~^~Spinach, raw~^~SPINACH,RAW~^~~^~~^~Y~^~~^0^~Spinacia oleracea~"
    "^6.25^2.44^8.37^3.57",
    "~11458~^~1100~^~Spinach, cooked, boiled, drained, without salt~^~SPINACH,CKD~^~~^~~^~Y~"
    "^~~^0^~~^6.25^2.44^8.37^3.57",
    # A `^` inside a ~quoted~ field, a Latin-1 letter, and empty fields (^^).
    "~12014~^~1200~^~Seeds, pumpkin ^ squash kernels, crème~^~SEEDS~^~pepitas~^~Acme Café~^~~"
    "^~~^^~~^^^^",
]
VALUES = [
    "~11457~^~203~^2.86^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11457~^~205~^3.63^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11457~^~208~^23^^^~4~^~NC~^~~^~~^^^^^^^~~^12/2002^",
    "~11457~^~291~^2.2^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11457~^~304~^79^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11458~^~205~^3.75^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11458~^~208~^23^^^~4~^~NC~^~~^~~^^^^^^^~~^12/2002^",
    "~11458~^~291~^2.4^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11458~^~304~^87^12^4.795^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~11458~^~313~^0.0005^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
    "~12014~^~208~^559^^^~4~^~NC~^~~^~~^^^^^^^~~^12/2002^",
    "~12014~^~304~^592^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^",
]
WEIGHTS = [
    "~11457~^1^1^~cup~^30^^",
    "~11458~^1^1^~cup~^180^^",
    "~11458~^2^0.5^~cup~^90^^",
    "~12014~^1^1^~oz~^28.35^^",
]


def write_release(
    folder: Path,
    *,
    groups=GROUPS,
    nutrients=NUTRIENTS,
    foods=FOODS,
    values=VALUES,
    weights=WEIGHTS,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in {
        "FD_GROUP": groups,
        "NUTR_DEF": nutrients,
        "FOOD_DES": foods,
        "NUT_DATA": values,
        "WEIGHT": weights,
    }.items():
        text = "".join(f"{line}\r\n" for line in lines)
        (folder / f"{name}.txt").write_bytes(text.encode("latin-1"))
    return folder


def load(folder: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("load_usda", "--path", str(folder), *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        FoodGroup.objects.count(),
        Nutrient.objects.count(),
        Food.objects.count(),
        FoodNutrient.objects.count(),
        Portion.objects.count(),
    )


def amount(ndb: str, number: str) -> Decimal:
    return FoodNutrient.objects.get(
        food__source_id=ndb, nutrient__usda_number=number
    ).amount_per_100g


def test_loads_a_release(tmp_path):
    output = load(write_release(tmp_path))

    assert counts() == (2, 7, 3, 12, 4)
    assert "foods: 3 created, 0 updated, 0 unchanged" in output
    assert "nutrient values: 12 created" in output
    spinach = Food.objects.get(source_id="11458")
    assert spinach.name == "Spinach, cooked, boiled, drained, without salt"
    assert spinach.data_source == DataSource.objects.get(slug="usda-sr28")
    assert spinach.data_type == Food.DataType.SR_LEGACY
    assert spinach.food_group.code == "1100"
    assert spinach.food_group.name == "Vegetables and Vegetable Products"
    assert spinach.private is False
    assert Food.objects.get(source_id="11457").scientific_name == "Spinacia oleracea"
    assert amount("11458", "304") == Decimal("87")
    assert amount("11458", "313") == Decimal("0.0005")
    assert [(p.seq, p.amount, p.description, p.gram_weight) for p in spinach.portions.all()] == [
        (1, Decimal("1"), "cup", Decimal("180")),
        (2, Decimal("0.5"), "cup", Decimal("90")),
    ]


def test_quoting_empties_and_latin1(tmp_path):
    load(write_release(tmp_path))

    seeds = Food.objects.get(source_id="12014")
    assert seeds.name == "Seeds, pumpkin ^ squash kernels, crème"
    assert seeds.common_names == "pepitas"
    assert seeds.brand == "Acme Café"
    assert seeds.scientific_name == ""
    assert Nutrient.objects.get(usda_number="313").unit == "µg"


def test_nutrient_keys(tmp_path):
    load(write_release(tmp_path))

    keys = dict(Nutrient.objects.values_list("usda_number", "key"))
    assert keys["304"] == "magnesium"
    assert keys["208"] == "energy_kcal"
    assert keys["205"] == "carbohydrate"
    assert keys["291"] == "fiber"
    assert keys["203"] == "protein"
    assert keys["313"] == "fld"  # from the Tagname
    assert keys["573"] == "vitamin_e_added"  # no Tagname: from the name
    magnesium = Nutrient.objects.get(key="magnesium")
    assert (magnesium.name, magnesium.unit, magnesium.display_order) == (
        "Magnesium, Mg",
        "mg",
        5500,
    )


def test_summary_columns(tmp_path):
    load(write_release(tmp_path))

    raw = Food.objects.get(source_id="11457")
    assert raw.magnesium_mg_per_100g == Decimal("79")
    assert raw.energy_kcal_per_100g == Decimal("23")
    assert raw.net_carbs_g_per_100g == Decimal("1.43")  # 3.63 - 2.2
    seeds = Food.objects.get(source_id="12014")
    assert seeds.magnesium_mg_per_100g == Decimal("592")
    assert seeds.net_carbs_g_per_100g is None  # no carbohydrate value


def test_net_carbs_never_below_zero(tmp_path):
    values = [*VALUES, "~12014~^~205~^1.0^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^"]
    values.append("~12014~^~291~^6.0^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^")
    load(write_release(tmp_path, values=values))

    assert Food.objects.get(source_id="12014").net_carbs_g_per_100g == Decimal("0")


def test_second_run_changes_nothing(tmp_path):
    folder = write_release(tmp_path)
    load(folder)
    before = counts()
    stamps = dict(Food.objects.values_list("pk", "updated_at"))

    output = load(folder)

    assert counts() == before
    assert "foods: 0 created, 0 updated, 3 unchanged" in output
    assert "nutrient values: 0 created, 0 updated, 12 unchanged" in output
    assert "portions: 0 created, 0 updated, 4 unchanged" in output
    assert dict(Food.objects.values_list("pk", "updated_at")) == stamps


def test_changed_values_are_updated(tmp_path):
    load(write_release(tmp_path))
    values = [v.replace("~304~^87^", "~304~^88.5^") for v in VALUES]
    values.append("~11458~^~203~^2.97^^^~1~^~~^~~^~~^^^^^^^~~^12/2002^")
    foods = [f.replace("Spinach, raw", "Spinach, fresh, raw") for f in FOODS]
    weights = [w.replace("^180^", "^181^") for w in WEIGHTS]

    output = load(write_release(tmp_path, values=values, foods=foods, weights=weights))

    assert "nutrient values: 1 created, 1 updated, 11 unchanged" in output
    assert "foods: 0 created, 1 updated, 2 unchanged" in output
    assert "portions: 0 created, 1 updated, 3 unchanged" in output
    assert amount("11458", "304") == Decimal("88.5")
    assert amount("11458", "203") == Decimal("2.97")
    assert Food.objects.get(source_id="11458").magnesium_mg_per_100g == Decimal("88.5")
    assert Food.objects.filter(name="Spinach, fresh, raw").count() == 1
    assert Portion.objects.get(food__source_id="11458", seq=1).gram_weight == Decimal("181")
    assert counts() == (2, 7, 3, 13, 4)


@pytest.mark.parametrize(
    ("file", "lines", "line", "message"),
    [
        ("NUT_DATA", [*VALUES[:2], "~11457~^~208~^lots^^^~4~^~~^~~^~~^^^^^^^~~^^"], 3, "Nutr_Val"),
        ("NUT_DATA", [*VALUES[:3], "~11457~^~209~^1.5^^^~4~^~~^~~^~~^^^^^^^~~^^"], 4, "nutrient"),
        ("NUT_DATA", [VALUES[0], "~99999~^~304~^1^^^~4~^~~^~~^~~^^^^^^^~~^^"], 2, "food"),
        ("NUT_DATA", [VALUES[0], "~11457~^~304~^-1^^^~4~^~~^~~^~~^^^^^^^~~^^"], 2, "at least 0"),
        ("NUT_DATA", [*VALUES[:4], "~11457~^~304~^79"], 5, "expected 18"),
        ("FOOD_DES", [FOODS[0], "~11458~^~1100~^~Spinach, cooked^"], 2, "never closed"),
        ("FOOD_DES", [FOODS[0], "~11458~^~1100~^~Spinach, cooked~"], 2, "3 fields, expected 14"),
        ("FOOD_DES", [FOODS[0], FOODS[0]], 2, "twice"),
        ("FOOD_DES", [FOODS[0].replace("~1100~", "~9900~")], 1, "food group"),
        ("WEIGHT", [WEIGHTS[0], "~11458~^1^1^~cup~^0^^"], 2, "Gm_Wgt"),
        (
            "NUTR_DEF",
            [*NUTRIENTS[:2], "~208~^~kcal~^~ENERC_KCAL~^~Energy~^~x~^~300~"],
            3,
            "Num_Dec",
        ),
    ],
)
def test_malformed_file_names_file_and_line_and_changes_nothing(
    tmp_path, file, lines, line, message
):
    load(write_release(tmp_path / "good"))
    before = counts()
    stored = (amount("11457", "203"), amount("11458", "304"))
    # Lines before the bad one change values (line 1 of NUT_DATA, or spinach's magnesium
    # when another file is broken): none of it may be kept.
    files = {"values": [v.replace("~304~^87^", "~304~^90^") for v in VALUES]}
    if file == "NUT_DATA":
        lines = [lines[0].replace("^2.86^", "^9.99^"), *lines[1:]]
    files[_argument(file)] = lines
    bad = write_release(tmp_path / "bad", **files)

    with pytest.raises(CommandError) as error:
        load(bad)

    text = str(error.value)
    assert f"{file}.txt, line {line}" in text
    assert message in text
    assert "nothing was changed" in text
    assert counts() == before
    assert (amount("11457", "203"), amount("11458", "304")) == stored


def _argument(file: str) -> str:
    return {
        "NUT_DATA": "values",
        "FOOD_DES": "foods",
        "WEIGHT": "weights",
        "NUTR_DEF": "nutrients",
    }[file]


def test_a_failure_on_the_first_load_leaves_the_database_empty(tmp_path):
    bad = write_release(tmp_path, weights=[*WEIGHTS, "~11458~^3^1^~cup~^abc^^"])

    with pytest.raises(CommandError, match=r"WEIGHT\.txt, line 5"):
        load(bad)

    assert Food.objects.count() == FoodNutrient.objects.count() == Portion.objects.count() == 0


def test_missing_files_and_folders(tmp_path):
    folder = write_release(tmp_path)
    (folder / "WEIGHT.txt").unlink()
    with pytest.raises(CommandError, match=r"missing WEIGHT\.txt"):
        load(folder)
    with pytest.raises(CommandError, match="is not a folder"):
        load(tmp_path / "nowhere")


def test_if_empty_loads_only_into_an_empty_database(tmp_path):
    folder = write_release(tmp_path)
    load(folder, "--if-empty")
    assert Food.objects.count() == 3

    (folder / "FOOD_DES.txt").write_bytes(b"broken\r\n")  # would fail if it were read
    output = load(folder, "--if-empty")

    assert "nothing to do" in output
    assert Food.objects.count() == 3


def test_loaded_foods_are_searchable(tmp_path):
    from nutrition.foods import search

    load(write_release(tmp_path))

    assert "Spinach, raw" in [food.name for food in search.search_foods("spinach")]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(tmp_path, capsys):
    folder = write_release(tmp_path)
    call_command("load_usda", "--path", str(folder), stdout=io.StringIO())
    assert "NUT_DATA" not in capsys.readouterr().err

    call_command("load_usda", "--path", str(folder), stdout=_Terminal())
    assert "NUT_DATA" in capsys.readouterr().err


def _foreign_keys_and_indexes() -> set[tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "foods_foodnutrient")
    return {
        (tuple(c["columns"]), bool(c["foreign_key"]), bool(c["index"]), bool(c["unique"]))
        for c in constraints.values()
        if c["foreign_key"] or c["index"]
    }


def test_a_large_first_load_keeps_every_index_and_foreign_key(tmp_path):
    # 1,200 new foods: the load drops the value table's plain indexes (and, on PostgreSQL,
    # its foreign keys) while it writes, and must put every one back.
    before = _foreign_keys_and_indexes()
    foods = [f"~{n:05d}~^~1100~^~Food {n}~^~F~^~~^~~^~~^~~^0^~~^^^^" for n in range(1200)]
    values = [f"~{n:05d}~^~304~^{n % 400}^^^~1~^~~^~~^~~^^^^^^^~~^^" for n in range(1200)]

    load(write_release(tmp_path, foods=foods, values=values, weights=[]))

    assert FoodNutrient.objects.count() == 1200
    assert Food.objects.get(source_id="00401").magnesium_mg_per_100g == Decimal("1")
    assert _foreign_keys_and_indexes() == before
    assert any(fk and columns == ("nutrient_id",) for columns, fk, _, _ in before)


def test_a_failed_large_first_load_restores_indexes_too(tmp_path):
    before = _foreign_keys_and_indexes()
    foods = [f"~{n:05d}~^~1100~^~Food {n}~^~F~^~~^~~^~~^~~^0^~~^^^^" for n in range(1200)]
    values = [f"~{n:05d}~^~304~^1^^^~1~^~~^~~^~~^^^^^^^~~^^" for n in range(1200)]

    with pytest.raises(CommandError, match=r"NUT_DATA\.txt, line 1201"):
        load(write_release(tmp_path, foods=foods, values=[*values, "~00001~^~304~^x"]))

    assert _foreign_keys_and_indexes() == before
    assert not Food.objects.exists()
