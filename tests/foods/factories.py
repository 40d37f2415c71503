"""factory_boy factories for the food database, for every app's tests.

`DataSourceFactory()` and `NutrientFactory(usda_number="304")` reuse the row that exists
(the data sources come from a migration; nutrients are unique by USDA number), so a test can
ask for "magnesium" without caring whether another factory made it first.
"""

from decimal import Decimal

import factory

from nutrition.foods.importers.common import FIXED_NUTRIENT_KEYS, SOURCES
from nutrition.foods.models import DataSource, Food, FoodGroup, FoodNutrient, Nutrient, Portion

_UNITS = {"208": "kcal", "268": "kJ", "304": "mg", "301": "mg", "306": "mg", "307": "mg"}
_NAMES = {
    "304": "Magnesium, Mg",
    "208": "Energy",
    "268": "Energy",
    "205": "Carbohydrate, by difference",
    "291": "Fiber, total dietary",
    "269": "Sugars, total",
    "203": "Protein",
    "204": "Total lipid (fat)",
    "301": "Calcium, Ca",
    "306": "Potassium, K",
    "307": "Sodium, Na",
    "255": "Water",
}


class DataSourceFactory(factory.django.DjangoModelFactory):
    """The "custom" source by default; `DataSourceFactory(slug="usda-sr28")` for USDA."""

    class Meta:
        model = DataSource
        django_get_or_create = ("slug",)

    slug = "custom"
    name = factory.LazyAttribute(lambda o: SOURCES.get(o.slug, {}).get("name", o.slug))
    licence = factory.LazyAttribute(lambda o: SOURCES.get(o.slug, {}).get("licence", ""))
    attribution = factory.LazyAttribute(lambda o: SOURCES.get(o.slug, {}).get("attribution", ""))
    url = factory.LazyAttribute(lambda o: SOURCES.get(o.slug, {}).get("url", ""))


class FoodGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoodGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"Food group {n}")


class NutrientFactory(factory.django.DjangoModelFactory):
    """Magnesium (304) by default; other USDA numbers get their keys from FIXED_NUTRIENT_KEYS."""

    class Meta:
        model = Nutrient
        django_get_or_create = ("usda_number",)

    usda_number = "304"
    key = factory.LazyAttribute(
        lambda o: FIXED_NUTRIENT_KEYS.get(o.usda_number, f"nutrient_{o.usda_number}")
    )
    name = factory.LazyAttribute(lambda o: _NAMES.get(o.usda_number, f"Nutrient {o.usda_number}"))
    unit = factory.LazyAttribute(lambda o: _UNITS.get(o.usda_number, "g"))
    display_order = factory.LazyAttribute(
        lambda o: int(o.usda_number) if o.usda_number.isdigit() else 0
    )
    decimals = 1


class FoodFactory(factory.django.DjangoModelFactory):
    """A public custom food. Pass `magnesium_mg_per_100g` for list and ranking tests; use
    FoodNutrientFactory for the per-nutrient values the food page shows. `owner=user` makes
    it that person's private food (the diary records whose it is)."""

    class Meta:
        model = Food
        skip_postgeneration_save = True

    data_source = factory.SubFactory(DataSourceFactory)
    source_id = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Test food {n}, raw")
    food_group = factory.SubFactory(FoodGroupFactory)
    data_type = Food.DataType.CUSTOM
    magnesium_mg_per_100g = Decimal("50.000")
    energy_kcal_per_100g = Decimal("100.000")
    net_carbs_g_per_100g = Decimal("10.000")

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        if create and extracted is not None:
            from nutrition.diary.models import OwnFood

            Food.objects.filter(pk=self.pk).update(private=True)
            self.private = True
            OwnFood.objects.create(food=self, user=extracted)


class FoodNutrientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoodNutrient
        django_get_or_create = ("food", "nutrient")

    food = factory.SubFactory(FoodFactory)
    nutrient = factory.SubFactory(NutrientFactory)
    amount_per_100g = Decimal("50.0000")


class PortionFactory(factory.django.DjangoModelFactory):
    """`amount` × `description` weighs `gram_weight` g: by default 1 cup = 180 g."""

    class Meta:
        model = Portion

    food = factory.SubFactory(FoodFactory)
    seq = factory.Sequence(lambda n: n + 1)
    amount = Decimal("1.000")
    description = "cup"
    gram_weight = Decimal("180.000")


class BrandedFoodFactory(FoodFactory):
    """A FoodData Central branded product: brand, barcode (the stored 14-digit form) and the
    label's serving."""

    data_source = factory.SubFactory(DataSourceFactory, slug="usda-fdc")
    source_id = factory.Sequence(lambda n: f"{2_000_000 + n}")
    name = factory.Sequence(lambda n: f"GRANOLA BAR {n}")
    data_type = Food.DataType.BRANDED
    brand = "KIND"
    barcode = factory.Sequence(lambda n: f"{602652000000 + n:014d}")
    serving_size = Decimal("40.000")
    serving_size_unit = "g"
    household_serving = "1 bar"
    ingredients = "ALMONDS, HONEY, SEA SALT."
