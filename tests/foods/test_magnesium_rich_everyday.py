"""`/foods/magnesium-rich/` shows everyday foods by default; "show all foods" shows the rest."""

import pytest
from django.utils.html import escape

from tests.foods.factories import FoodGroupFactory
from tests.foods.test_rankings import make

pytestmark = pytest.mark.django_db

URL = "/foods/magnesium-rich/"


@pytest.fixture
def groups():
    return {
        code: FoodGroupFactory(code=code, name=name)
        for code, name in [
            ("0200", "Spices and Herbs"),
            ("1100", "Vegetables and Vegetable Products"),
            ("1200", "Nut and Seed Products"),
            ("1300", "Beef Products"),
            ("1400", "Beverages"),
            ("1600", "Legumes and Legume Products"),
            ("1800", "Baked Products"),
            ("1900", "Sweets"),
            ("2000", "Cereal Grains and Pasta"),
        ]
    }


# Not eaten by the portion: each would top a ranking per 100 g.
HIDDEN = [
    ("Spices, basil, dried", "0200", 711),
    ("Rice bran, crude", "2000", 781),
    ("Wheat germ, crude", "2000", 239),
    ("Seeds, cottonseed meal, partially defatted (glandless)", "1200", 760),
    ("Soy flour, full-fat, raw", "1600", 429),
    ("Beef, variety meats and by-products, liver, raw", "1300", 18),
    ("Leavening agents, yeast, baker's, active dry", "1800", 98),
    ("Shortening, industrial, soy", "1600", 700),
    ("Beverages, Whey protein powder isolate", "1400", 300),
    ("Soy protein isolate", "1600", 390),
    ("Beverages, nutritional shake mix, high protein, powder", "1400", 670),
    ("Chives, freeze-dried", "1100", 640),
]
EVERYDAY = [
    ("Seeds, pumpkin and squash seed kernels, dried", "1200", 592),
    ("Cocoa, dry powder, unsweetened", "1900", 499),
    ("Spinach, raw", "1100", 79),
    ("Beans, black, mature seeds, cooked, boiled, without salt", "1600", 70),
    ("Bread, oat bran", "1800", 60),
    ("Oat bran, raw", "2000", 235),
]


@pytest.fixture
def foods(groups):
    for name, code, mg in HIDDEN + EVERYDAY:
        make(name, groups[code], mg, 300, 10, grams=30)


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str, rows) -> set[str]:
    return {name for name, _code, _mg in rows if f">{escape(name)}</a>" in html}


def test_default_shows_everyday_foods_only(client, foods):
    html = page(client)
    assert shown(html, HIDDEN) == set()
    assert shown(html, EVERYDAY) == {n for n, _c, _m in EVERYDAY} - {"Oat bran, raw"}
    assert html.index("Seeds, pumpkin") < html.index("Spinach, raw")
    assert "11 everyday foods" not in html and "5 everyday foods" in html
    assert 'href="?all=1"' in html  # the toggle, a plain link


def test_show_all_foods_shows_every_kind(client, foods):
    html = page(client, all="1")
    assert shown(html, HIDDEN) == {n for n, _c, _m in HIDDEN}
    assert shown(html, EVERYDAY) == {n for n, _c, _m in EVERYDAY}
    assert html.index("Rice bran, crude") < html.index("Seeds, pumpkin")
    assert "Show everyday foods only" in html
    assert 'name="all" value="1" checked' in html


def test_other_filters_still_work_and_are_kept_by_the_toggle(client, foods):
    html = page(client, group="2000")
    assert shown(html, HIDDEN + EVERYDAY) == set()  # bran and germ hidden, no food left
    html = page(client, group="2000", all="1", sort="per_portion")
    assert shown(html, HIDDEN + EVERYDAY) == {
        "Rice bran, crude",
        "Wheat germ, crude",
        "Oat bran, raw",
    }
    assert 'aria-sort="descending"' in html
    html = page(client, category="nuts-and-seeds", sort="per_100kcal")
    assert shown(html, HIDDEN + EVERYDAY) == {"Seeds, pumpkin and squash seed kernels, dried"}
    # The toggle keeps the sort and the category.
    assert 'href="?category=nuts-and-seeds&amp;sort=per_100kcal&amp;all=1"' in html
    assert "Seeds, cottonseed meal" not in page(client, group="1200")
    assert "Seeds, cottonseed meal" in page(client, group="1200", all="1")
    # Sorting from the full list stays on the full list.
    html = page(client, all="1")
    assert 'href="?all=1&amp;sort=per_portion"' in html


def test_unknown_toggle_values_mean_everyday(client, foods):
    assert shown(page(client, all="yes"), HIDDEN) == set()


@pytest.mark.parametrize("params", [{}, {"all": "1", "sort": "per_portion"}])
def test_query_count_unchanged(client, foods, django_assert_num_queries, params):
    # food groups for the filter, the count, the page of foods
    with django_assert_num_queries(3):
        assert client.get(URL, params).status_code == 200
