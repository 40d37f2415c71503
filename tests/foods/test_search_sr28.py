"""Search relevance on the full USDA SR28 release: every development query a top-3 hit.

tests/foods/search-dev-queries.tsv lists everyday queries with the NDB numbers of the generic
foods a person means; a query passes when one of them is among the first three results.
The release is loaded once for this module, inside a transaction that is rolled back at the
end, so other tests still start from an empty food table.
"""

from pathlib import Path

import pytest

from nutrition.foods import search
from nutrition.foods.models import Food

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

QUERIES_FILE = Path(__file__).with_name("search-dev-queries.tsv")


def dev_queries() -> list[tuple[str, set[str]]]:
    rows = []
    for line in QUERIES_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            query, numbers = line.split("\t")
            rows.append((query, set(numbers.split())))
    return rows


@pytest.mark.parametrize(("query", "acceptable"), dev_queries(), ids=[q for q, _ in dev_queries()])
def test_dev_query_is_a_top_3_hit(sr28, query, acceptable):
    top = search.search_foods(query, limit=3)
    assert {f.source_id for f in top} & acceptable, [f.name for f in top]


def test_the_release_is_loaded(sr28):
    assert Food.objects.filter(data_source__slug="usda-sr28").count() == 8789


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("spinach", "Spinach, raw"),
        ("brown rice", "Rice, brown"),
        ("soy milk", "Soymilk"),
        ("almnds", "Nuts, almonds"),
        ("avacado", "Avocados, raw"),
        ("pumpkin seeds", "Seeds, pumpkin and squash seed"),
        ("black beans", "Beans, black"),
        ("quinoa", "Quinoa"),
        ("dark chocolate", "Chocolate, dark"),
        # Broad words: the meat rather than its liver, the drink rather than the vinegar,
        # chips rather than tortillas "ready-to-bake or -fry".
        ("beef", "Beef, ground"),
        ("beef liver", "Beef, variety meats and by-products, liver"),
        ("red wine", "Alcoholic beverage, wine, table, red"),
        ("white wine", "Alcoholic beverage, wine, table, white"),
        ("fries", "Potatoes, french fried"),
        ("french fries", "Potatoes, french fried"),
    ],
)
def test_everyday_queries_find_the_plain_food_first(sr28, query, first):
    assert search.search_foods(query, limit=1)[0].name.startswith(first)
