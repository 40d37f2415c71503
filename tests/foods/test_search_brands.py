"""Brands in search, on a small table: a generic food before a branded one of equal
relevance, and the brand's product first when the query names the brand."""

import pytest

from nutrition.foods import search
from nutrition.foods.models import Food
from tests.foods.factories import BrandedFoodFactory, DataSourceFactory, FoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bars():
    generic = FoodFactory(
        name="Granola bar",
        data_type=Food.DataType.SR_LEGACY,
        data_source=DataSourceFactory(slug="usda-sr28"),
    )
    branded = BrandedFoodFactory(name="GRANOLA BAR", brand="NATURE VALLEY")
    other = BrandedFoodFactory(name="GRANOLA BAR", brand="QUAKER")
    search.refresh_index()
    return generic, branded, other


def test_the_generic_food_comes_first_at_equal_relevance(bars):
    generic, *_ = bars
    assert search.search_foods("granola bar")[0] == generic


def test_the_brand_named_brings_its_product_first(bars):
    _, nature_valley, quaker = bars
    assert search.search_foods("nature valley granola bar")[0] == nature_valley
    assert search.search_foods("quaker granola bar")[0] == quaker
    # A half-typed brand, as search-as-you-type sends it.
    assert search.search_foods("granola bar quak")[0] == quaker


def test_the_brand_alone_finds_its_products(bars):
    _, nature_valley, _ = bars
    assert search.search_foods("nature valley") == [nature_valley]
