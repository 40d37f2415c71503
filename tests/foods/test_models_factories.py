import pytest

from nutrition.foods.models import DataSource, Nutrient
from tests.foods.factories import (
    DataSourceFactory,
    FoodFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

pytestmark = pytest.mark.django_db


def test_migration_creates_the_three_sources():
    assert set(DataSource.objects.values_list("slug", flat=True)) >= {
        "usda-sr28",
        "usda-fdc",
        "custom",
    }
    sr28 = DataSource.objects.get(slug="usda-sr28")
    assert "Agricultural Research Service" in sr28.attribution
    assert "Public domain" in sr28.licence


def test_factories_reuse_sources_and_nutrients():
    assert DataSourceFactory() == DataSource.objects.get(slug="custom")
    magnesium = NutrientFactory()
    assert (magnesium.key, magnesium.usda_number, magnesium.unit) == ("magnesium", "304", "mg")
    assert NutrientFactory(usda_number="304") == magnesium
    assert NutrientFactory(usda_number="208").key == "energy_kcal"
    value = FoodNutrientFactory(nutrient=magnesium)
    portion = PortionFactory(food=value.food)
    assert value.food.portions.get() == portion
    assert FoodFactory().data_source.slug == "custom"
    assert Nutrient.objects.count() == 2
