"""Factories for diary rows; foods come from tests/foods/factories.py."""

from decimal import Decimal

import factory

from nutrition.diary.models import DiaryEntry, Meal, Supplement, SupplementIntake
from tests.factories import UserFactory
from tests.foods.factories import (
    DataSourceFactory,
    FoodFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

__all__ = [
    "DataSourceFactory",
    "DiaryEntryFactory",
    "FoodFactory",
    "FoodNutrientFactory",
    "NutrientFactory",
    "PortionFactory",
    "SupplementFactory",
    "SupplementIntakeFactory",
    "spinach_boiled",
]


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    user = factory.SubFactory(UserFactory)
    date = factory.Faker("date_between", start_date="-30d", end_date="today")
    meal = Meal.LUNCH
    food = factory.SubFactory(FoodFactory)
    grams = Decimal("100.00")


class SupplementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplement

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Magnesium tablets {n}")
    form = "citrate"
    elemental_mg_per_unit = Decimal("100.0")


class SupplementIntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplementIntake

    user = factory.SelfAttribute("supplement.user")
    supplement = factory.SubFactory(SupplementFactory)
    date = factory.Faker("date_between", start_date="-30d", end_date="today")
    units = Decimal("1")


def spinach_boiled(**extra):
    """Spinach, cooked, boiled (SR28 11458): 87 mg magnesium per 100 g; 1 cup = 180 g."""
    sr28 = DataSourceFactory(slug="usda-sr28")
    food = FoodFactory(
        data_source=sr28,
        source_id="11458",
        name="Spinach, cooked, boiled, drained, without salt",
        data_type="sr_legacy",
        magnesium_mg_per_100g=Decimal("87.000"),
        energy_kcal_per_100g=Decimal("23.000"),
        **extra,
    )
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="304"), amount_per_100g=87)
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="208"), amount_per_100g=23)
    FoodNutrientFactory(
        food=food, nutrient=NutrientFactory(usda_number="205"), amount_per_100g=Decimal("3.75")
    )
    FoodNutrientFactory(
        food=food, nutrient=NutrientFactory(usda_number="203"), amount_per_100g=Decimal("2.97")
    )
    cup = PortionFactory(food=food, seq=1, amount=1, description="cup", gram_weight=180)
    PortionFactory(food=food, seq=2, amount=1, description="bunch", gram_weight=340)
    return food, cup
