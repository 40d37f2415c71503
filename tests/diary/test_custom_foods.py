"""Custom foods and recipes: private Food rows with values per 100 g."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nutrition.diary import custom_foods, services
from nutrition.diary.models import Recipe
from nutrition.foods.models import Food
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

pytestmark = pytest.mark.django_db


def test_custom_food_from_a_label(user, other_user):
    NutrientFactory(usda_number="304")
    NutrientFactory(usda_number="205")
    food = custom_foods.custom_food_create(
        user=user,
        name="Seed bar",
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "120", "carbohydrate": "20", "fiber": "5"},
    )
    assert (
        food.own_food.user == user
        and food.data_source.slug == "custom"
        and food.data_type == "custom"
    )
    assert food.magnesium_mg_per_100g == Decimal("300.000")
    assert food.net_carbs_g_per_100g == Decimal("37.500")
    assert food.nutrient_values.count() == 2  # the fibre nutrient row does not exist here
    bar = food.portions.get()
    assert (bar.description, bar.gram_weight) == ("bar", Decimal("40.000"))
    entry = services.diary_entry_create(
        user=user, day=date(2026, 2, 3), meal="snack", food_id=food.pk, portion_id=bar.pk
    )
    assert entry.magnesium_mg == Decimal("120.0")
    assert food not in Food.objects.visible_to(other_user)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"serving_grams": "0"}, "serving_grams"),
        ({"serving_grams": "6000"}, "serving_grams"),
        ({"per_serving": {"magnesium": "-1"}}, "magnesium"),
        ({"per_serving": {}}, "magnesium"),
    ],
)
def test_bad_custom_food_saves_nothing(user, values, field):
    data = {
        "name": "Bar",
        "serving_description": "bar",
        "serving_grams": "40",
        "per_serving": {"magnesium": "10"},
        **values,
    }
    with pytest.raises(ValidationError) as caught:
        custom_foods.custom_food_create(user=user, **data)
    assert field in caught.value.message_dict
    assert not Food.objects.filter(own_food__user=user).exists()


def test_recipe_values_follow_the_ingredients(user, spinach):
    spinach_food, cup = spinach
    lentils = FoodFactory(name="Lentils, boiled", magnesium_mg_per_100g=Decimal("36"))
    FoodNutrientFactory(
        food=lentils, nutrient=NutrientFactory(usda_number="203"), amount_per_100g=9
    )
    recipe = custom_foods.recipe_create(user=user, name="Dal with spinach", servings=4)
    custom_foods.recipe_ingredient_add(user=user, recipe=recipe, food_id=lentils.pk, grams="600")
    custom_foods.recipe_ingredient_add(
        user=user, recipe=recipe, food_id=spinach_food.pk, portion_id=cup.pk, quantity="1"
    )
    recipe.food.refresh_from_db()
    # (600 × 0.36 + 180 × 0.87) mg in 780 g
    assert recipe.food.magnesium_mg_per_100g == Decimal("47.769")
    serving = recipe.food.portions.get()
    assert serving.gram_weight == Decimal("195.000")
    protein = recipe.food.nutrient_values.get(nutrient__key="protein").amount_per_100g
    assert protein == Decimal("7.6085")  # (54 + 5.346) g in 780 g
    entry = services.diary_entry_create(
        user=user,
        day=date(2026, 2, 3),
        meal="dinner",
        food_id=recipe.food_id,
        portion_id=serving.pk,
    )
    assert entry.magnesium_mg == Decimal("93.1")  # a quarter of 372.6 mg, via 47.769 mg/100 g
    custom_foods.recipe_ingredient_remove(user=user, ingredient=recipe.ingredients.last())
    recipe.food.refresh_from_db()
    assert recipe.food.magnesium_mg_per_100g == Decimal("36.000")


def test_recipe_rules(user, other_user):
    with pytest.raises(ValidationError):
        custom_foods.recipe_create(user=user, name="X", servings=0)
    recipe = custom_foods.recipe_create(user=user, name="Soup", servings=2)
    theirs = FoodFactory(owner=other_user)
    for bad in (
        {"food_id": theirs.pk, "grams": "10"},
        {"food_id": recipe.food_id, "grams": "10"},
        {"food_id": FoodFactory().pk, "grams": "0"},
        {"food_id": FoodFactory().pk, "portion_id": PortionFactory().pk},
    ):
        with pytest.raises(ValidationError):
            custom_foods.recipe_ingredient_add(user=user, recipe=recipe, **bad)
    assert not recipe.ingredients.exists()
    with pytest.raises(Recipe.DoesNotExist):
        custom_foods.recipe_ingredient_add(
            user=other_user, recipe=recipe, food_id=FoodFactory().pk, grams="1"
        )


def test_deleting_a_used_custom_food_is_refused(user, other_user):
    food = FoodFactory(owner=user)
    DiaryEntryFactory(user=user, food=food)
    with pytest.raises(ValidationError):
        custom_foods.custom_food_delete(user=user, food=food)
    with pytest.raises(Food.DoesNotExist):
        custom_foods.custom_food_delete(user=other_user, food=food)
    unused = FoodFactory(owner=user)
    custom_foods.custom_food_delete(user=user, food=unused)
    assert not Food.objects.filter(pk=unused.pk).exists()


def test_foods_pages(user_client, user, other_user, spinach):
    r = user_client.post(
        "/diary/foods/",
        {
            "add_food": "1",
            "name": "Oat bar",
            "serving_description": "bar",
            "serving_grams": "50",
            "magnesium": "60",
        },
    )
    assert r.status_code == 302
    assert "Oat bar" in user_client.get("/diary/foods/").content.decode()
    r = user_client.post("/diary/foods/", {"add_food": "1", "name": "", "serving_grams": "-1"})
    assert r.status_code == 400 and "Give the food a name." in r.content.decode()
    r = user_client.post("/diary/foods/", {"add_recipe": "1", "name": "Salad", "servings": "2"})
    assert r.status_code == 302
    recipe = Recipe.objects.get(food__own_food__user=user)
    url = f"/diary/recipes/{recipe.food_id}/"
    food, cup = spinach
    assert food.name in user_client.get(url, {"q": "spinach"}).content.decode()
    r = user_client.post(url, {"food": food.pk, "amount": "1", "unit": str(cup.pk)})
    assert r.status_code == 302
    html = user_client.get(url).content.decode()
    assert "78.3 mg" in html  # 180 g × 0.87 / 2 servings
    r = user_client.post(url, {"food": food.pk, "amount": "0", "unit": "g"})
    assert r.status_code == 400
    ingredient = recipe.ingredients.get()
    assert (
        user_client.post(f"/diary/recipes/ingredients/{ingredient.pk}/delete/").status_code == 302
    )
    theirs = custom_foods.recipe_create(user=other_user, name="Theirs", servings=1)
    assert user_client.get(f"/diary/recipes/{theirs.food_id}/").status_code == 404
    assert user_client.post(f"/diary/foods/{theirs.food_id}/delete/").status_code == 404
