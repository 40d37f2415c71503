"""Search with branded products present: the generic food a person means still comes first,
and a brand named in the query brings that brand's products up.

The full SR28 release and a few hundred seeded branded products that compete with the
development queries (tests/foods/branded_catalogue.py) are loaded once for the module, inside
a transaction rolled back at the end."""

import pytest
from django.core.management import call_command
from django.db import transaction

from nutrition.foods import search
from nutrition.foods.models import Food
from tests.foods.branded_catalogue import KIND_BARS, make_branded_foods
from tests.foods.test_search_sr28 import dev_queries

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def sr28_and_branded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_usda", verbosity=0)
        make_branded_foods(400)
        search.refresh_index()
        yield
        transaction.set_rollback(True)


def test_the_competing_products_are_there(sr28_and_branded):
    assert Food.objects.filter(data_type="branded").count() == 400
    # Every development query has branded products among its candidates.
    assert search.search_foods("orange juice", limit=5)


@pytest.mark.parametrize(("query", "acceptable"), dev_queries(), ids=[q for q, _ in dev_queries()])
def test_dev_query_is_still_a_top_3_hit(sr28_and_branded, query, acceptable):
    top = search.search_foods(query, limit=3)
    assert {f.source_id for f in top} & acceptable, [(f.name, f.brand) for f in top]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("spinach", "Spinach, raw"),
        ("almonds", "Nuts, almonds"),
        ("brown rice", "Rice, brown"),
        ("black beans", "Beans, black"),
        ("quinoa", "Quinoa"),
        ("dark chocolate", "Chocolate, dark"),
        ("hemp seeds", "Seeds, hemp seed, hulled"),
    ],
)
def test_the_generic_food_comes_before_branded_ones(sr28_and_branded, query, first):
    top = search.search_foods(query, limit=1)[0]
    assert top.name.startswith(first) and top.data_type != "branded", top.name


def test_branded_products_follow_when_only_they_match(sr28_and_branded):
    top = search.search_foods("sweet potato fries", limit=5)
    assert top, "the branded fries are found"


def test_a_brand_in_the_query_brings_its_products_first(sr28_and_branded):
    almond_bars = {name for name in KIND_BARS if "ALMOND" in name}
    top = search.search_foods("kind almond bar", limit=len(almond_bars) + 1)
    # Every KIND almond bar, before the other brands' almond bars and the generic ones.
    assert {f.name for f in top[:-1]} == almond_bars, [(f.name, f.brand) for f in top]
    assert {f.brand for f in top[:-1]} == {"KIND"}
    assert top[-1].brand != "KIND"


def test_without_the_brand_other_almond_bars_compete(sr28_and_branded):
    brands = {f.brand for f in search.search_foods("almond bar", limit=20)}
    assert len(brands - {"", "KIND"}) >= 1


def test_a_barcode_as_the_query_finds_the_product(sr28_and_branded):
    product = Food.objects.filter(data_type="branded").first()
    shown = product.barcode.lstrip("0")
    assert [f.id for f in search.search_foods(shown)] == [product.id]
