"""`/foods/magnesium-rich/`: the four measures, their order, filters and categories."""

from decimal import Decimal

import pytest

from nutrition.foods import selectors
from nutrition.foods.categories import BY_SLUG, CATEGORIES
from nutrition.foods.models import Food
from tests.factories import UserFactory
from tests.foods.factories import FoodFactory, FoodGroupFactory, PortionFactory

pytestmark = pytest.mark.django_db


def make(name, group, mg, kcal, net_carbs, grams=None, **kwargs):
    food = FoodFactory(
        name=name,
        food_group=group,
        magnesium_mg_per_100g=Decimal(mg) if mg is not None else None,
        energy_kcal_per_100g=Decimal(kcal),
        net_carbs_g_per_100g=Decimal(net_carbs),
        **kwargs,
    )
    if grams:
        PortionFactory(food=food, seq=1, amount=1, description="cup", gram_weight=grams)
        PortionFactory(food=food, seq=2, amount=1, description="pint", gram_weight=grams * 2)
    return food


@pytest.fixture
def groups():
    return {
        code: FoodGroupFactory(code=code, name=name)
        for code, name in [
            ("1100", "Vegetables and Vegetable Products"),
            ("1200", "Nut and Seed Products"),
            ("1600", "Legumes and Legume Products"),
            ("2000", "Cereal Grains and Pasta"),
            ("0900", "Fruits and Fruit Juices"),
            ("1900", "Sweets"),
            ("0300", "Baby Foods"),
            ("1400", "Beverages"),
        ]
    }


@pytest.fixture
def foods(groups):
    return {
        "spinach": make("Spinach, raw", groups["1100"], 79, 23, "1.4", grams=30),
        "pumpkin": make(
            "Seeds, pumpkin and squash seed kernels, dried", groups["1200"], 592, 559, "4.7", 129
        ),
        "beans": make("Beans, black, mature seeds, cooked", groups["1600"], 70, 132, "15.1", 172),
        "quinoa": make("Quinoa, cooked", groups["2000"], 64, 120, "18.5", grams=185),
        "avocado": make("Avocados, raw, all commercial varieties", groups["0900"], 29, 160, "1.8"),
        "chocolate": make("Chocolate, dark, 70-85% cacao solids", groups["1900"], 228, 598, "34.9"),
        "coffee": make("Beverages, coffee, brewed", groups["1400"], 3, 1, "0", grams=237),
    }


def names(page):
    return [f.name for f in page]


def test_sorted_by_magnesium_per_100g(foods):
    ranked = list(selectors.magnesium_rich_foods(sort="per_100g"))
    assert ranked[0].name.startswith("Seeds, pumpkin")
    assert [f.per_100g for f in ranked] == sorted((f.per_100g for f in ranked), reverse=True)


def test_per_portion_uses_the_first_household_portion(foods):
    ranked = list(selectors.magnesium_rich_foods(sort="per_portion"))
    assert ranked[0].name.startswith("Seeds, pumpkin")  # 592 × 129 / 100 = 763.7
    assert ranked[0].per_portion == pytest.approx(763.68)
    assert ranked[0].portion_description == "cup"
    beans = next(f for f in ranked if f.name.startswith("Beans"))
    assert beans.per_portion == pytest.approx(120.4)
    no_portion = [f for f in ranked if f.per_portion is None]
    assert {f.name for f in no_portion} == {
        "Avocados, raw, all commercial varieties",
        "Chocolate, dark, 70-85% cacao solids",
    }
    assert ranked[-len(no_portion) :] == no_portion  # unknown measures sort last


def test_per_100_kcal_and_per_gram_of_net_carbs(foods):
    by_kcal = list(selectors.magnesium_rich_foods(sort="per_100kcal"))
    assert by_kcal[0].name == "Spinach, raw"  # 79 × 100 / 23 = 343
    coffee = next(f for f in by_kcal if f.name.startswith("Beverages, coffee"))
    assert coffee.per_100kcal is None  # 1 kcal per 100 g: below the floor, no ratio
    by_carb = list(selectors.magnesium_rich_foods(sort="per_g_net_carb"))
    assert by_carb[0].name.startswith("Seeds, pumpkin")  # 592 / 4.7 = 126
    assert by_carb[1].name == "Spinach, raw"  # 79 / 1.4 = 56
    assert coffee.per_g_net_carb is None


def test_only_generic_public_foods_with_a_value(groups, foods):
    make("Spinach dip", groups["1100"], 500, 200, 5, brand="Acme")
    make("Spinach pouch", groups["0300"], 500, 200, 5)
    make("My spinach", groups["1100"], 500, 200, 5, owner=UserFactory())
    make("Spinach, unknown", groups["1100"], None, 20, 1)
    make("Spinach bar", groups["1100"], 500, 200, 5, data_type=Food.DataType.BRANDED)
    ranked = names(selectors.magnesium_rich_foods())
    assert len(ranked) == len(foods)
    assert not any(n in ranked for n in ["Spinach dip", "Spinach pouch", "My spinach"])


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("leafy-greens", ["Spinach, raw"]),
        ("nuts-and-seeds", ["Seeds, pumpkin and squash seed kernels, dried"]),
        ("legumes", ["Beans, black, mature seeds, cooked"]),
        ("whole-grains", ["Quinoa, cooked"]),
        ("avocado", ["Avocados, raw, all commercial varieties"]),
        ("dark-chocolate", ["Chocolate, dark, 70-85% cacao solids"]),
    ],
)
def test_categories(foods, slug, expected):
    assert names(selectors.magnesium_rich_foods(category=slug)) == expected


def test_categories_are_data_with_unique_slugs():
    assert len(BY_SLUG) == len(CATEGORIES) == 6
    for category in CATEGORIES:
        assert category.group_codes
        assert category.prefixes or category.phrases


def test_group_filter(foods):
    assert names(selectors.magnesium_rich_foods(group="1600")) == [
        "Beans, black, mature seeds, cooked"
    ]


def test_page_sorts_filters_and_pages(client, groups, foods):
    html = client.get("/foods/magnesium-rich/", {"sort": "per_100kcal"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert html.index("Spinach, raw") < html.index("Seeds, pumpkin")
    html = client.get("/foods/magnesium-rich/", {"category": "legumes"}).content.decode()
    assert "Beans, black" in html and "Spinach, raw" not in html
    html = client.get("/foods/magnesium-rich/", {"group": "1200"}).content.decode()
    assert "Seeds, pumpkin" in html and "Spinach, raw" not in html
    # Unknown values fall back to the defaults rather than failing.
    assert client.get("/foods/magnesium-rich/", {"sort": "x", "group": "z"}).status_code == 200
    for i in range(60):
        make(f"Kale {i:02d}, raw", groups["1100"], 40, 50, 5)
    html = client.get("/foods/magnesium-rich/").content.decode()
    assert "Page 1 of 2" in html
    assert 'rel="next"' in html
    html = client.get("/foods/magnesium-rich/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in html


def test_page_query_count(client, foods, django_assert_num_queries):
    # food groups for the filter, the count, the page of foods
    with django_assert_num_queries(3):
        assert client.get("/foods/magnesium-rich/", {"sort": "per_portion"}).status_code == 200
