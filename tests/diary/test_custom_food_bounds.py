"""A person's own foods and recipes never store a value beyond the food database's physical
bounds (`nutrition.foods.bounds`), whichever way they are entered.

A custom food is entered per serving and stored per 100 g, so a tiny serving weight
multiplies the label's figures: 5,000 mg in a 0.0001 g serving would be 5 × 10⁹ mg per
100 g, beyond what 100 g can hold and beyond the column's precision. The page and the API
refuse such a food with a 400 naming the field and save nothing. People never get the
admin's "confirm high value": above 1,000 mg of magnesium per 100 g is refused for them.

A recipe's values per 100 g are the weighted mean of its ingredients' values (an ingredient
without a value counts as 0): Σ gᵢ·vᵢ / Σ gᵢ ≤ maxᵢ vᵢ. Every ingredient's stored value is
within its bound (checked on entry and by the database's CHECK constraints), so the recipe's
is too; rounding half-up to the column's places cannot pass a bound that is a whole number.
Its serving weighs the total over the servings, kept between 0.1 g and 10 kg.
"""

from decimal import Decimal

import pytest

from nutrition.diary.models import Recipe, RecipeIngredient
from nutrition.foods.bounds import MIN_PORTION_GRAMS, per_100g_limit
from nutrition.foods.models import Food, FoodNutrient, Portion
from tests.diary.factories import FoodFactory, FoodNutrientFactory, NutrientFactory

pytestmark = pytest.mark.django_db

PAGE = "/diary/foods/"
API = "/api/v1/me/foods/"
RECIPES = "/api/v1/me/recipes/"

# (serving grams, magnesium per serving, the field named, words of the message)
HOSTILE = [
    # 5 × 10⁹ mg per 100 g: the serving itself is no serving.
    ("0.0001", "5000", "serving_grams", "at least 0.1 g"),
    # 0.04 g is stored as 0.040 g: below 0.1 g after rounding.
    ("0.04", "5000", "serving_grams", "at least 0.1 g"),
    ("0.0994", "1", "serving_grams", "at least 0.1 g"),  # stored as 0.099
    # 12,500 mg per 100 g: above 1,000 mg, which only an admin may confirm.
    ("40", "5000", "magnesium", "12500 mg of magnesium per 100 g"),
]


@pytest.fixture(autouse=True)
def nutrients(db):
    return {number: NutrientFactory(usda_number=number) for number in ("304", "203", "208")}


def _nothing_saved() -> None:
    assert (Food.objects.count(), Portion.objects.count(), FoodNutrient.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.parametrize(("grams", "magnesium", "field", "words"), HOSTILE)
def test_the_page_refuses_an_impossible_custom_food(user_client, grams, magnesium, field, words):
    data = {
        "add_food": "1",
        "name": "Hostile bar",
        "serving_grams": grams,
        "magnesium": magnesium,
        "confirm_high_value": "on",  # not a field people have: changes nothing
    }

    response = user_client.post(PAGE, data)

    assert response.status_code == 400
    errors = response.context["food_form"].errors
    assert field in errors, errors
    # The page's own field keeps three decimal places; the service's check follows.
    shown = " ".join(errors[field])
    assert words in shown or (len(grams.split(".")[1]) > 3 and "three decimal places" in shown)
    _nothing_saved()
    assert user_client.get(PAGE).status_code == 200


@pytest.mark.parametrize(("grams", "magnesium", "field", "words"), HOSTILE)
def test_the_api_refuses_an_impossible_custom_food(user_api, grams, magnesium, field, words):
    data = {
        "name": "Hostile bar",
        "serving_grams": grams,
        "magnesium": magnesium,
        "confirm_high_value": True,
    }

    response = user_api.post(API, data, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert words in " ".join(response.json()[field])
    _nothing_saved()
    assert user_api.get(API).status_code == 200


def test_a_label_at_the_bounds_is_saved(user_client, user_api):
    # 0.1 g is the smallest serving and 1,000 mg per 100 g the most a person may store.
    response = user_client.post(
        PAGE, {"add_food": "1", "name": "Dash", "serving_grams": "0.1", "magnesium": "1"}
    )
    assert response.status_code == 302
    dash = Food.objects.get(name="Dash")
    assert dash.portions.get().gram_weight == Decimal("0.100")
    assert dash.magnesium_mg_per_100g == Decimal("1000.000")
    # 0.0996 g is stored as 0.100 g: a serving.
    response = user_api.post(
        API, {"name": "Pinch", "serving_grams": "0.0996", "magnesium": "1"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["serving"]["gram_weight"] == 0.1

    response = user_api.post(
        API, {"name": "Bar", "serving_grams": 40, "magnesium": 400, "protein": 40}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["magnesium_mg_per_100g"] == 1000.0
    protein = FoodNutrient.objects.get(food_id=response.json()["id"], nutrient__key="protein")
    assert protein.amount_per_100g == Decimal("100")  # all of it protein: the bound itself


def test_more_than_100_g_of_protein_in_100_g_is_refused(user_api):
    response = user_api.post(
        API, {"name": "Bar", "serving_grams": 40, "magnesium": 1, "protein": 41}, format="json"
    )
    assert response.status_code == 400
    assert "100 g of a food cannot hold 102.5 g" in response.json()["protein"][0]
    _nothing_saved()


def test_a_recipe_of_extreme_ingredients_stays_within_the_bounds(user, user_api, nutrients):
    # Ingredients at the very bounds (a public food an admin confirmed), and one at nothing.
    extreme = FoodFactory(
        magnesium_mg_per_100g=Decimal("100000"),
        energy_kcal_per_100g=Decimal("1000"),
        net_carbs_g_per_100g=None,
    )
    FoodNutrientFactory(food=extreme, nutrient=nutrients["304"], amount_per_100g=100000)
    FoodNutrientFactory(food=extreme, nutrient=nutrients["203"], amount_per_100g=100)
    FoodNutrientFactory(food=extreme, nutrient=nutrients["208"], amount_per_100g=1000)
    water = FoodFactory(
        magnesium_mg_per_100g=Decimal("0"),
        energy_kcal_per_100g=Decimal("0"),
        net_carbs_g_per_100g=None,
    )
    FoodNutrientFactory(food=water, nutrient=nutrients["203"], amount_per_100g=0)
    recipe_id = user_api.post(RECIPES, {"name": "Tonic", "servings": 3}).json()["id"]
    url = f"{RECIPES}{recipe_id}/ingredients/"

    for food, grams in ((extreme, "0.01"), (water, "0.02"), (extreme, "4999.99")):
        response = user_api.post(url, {"food": food.pk, "grams": grams})
        assert response.status_code == 201, response.json()
        recipe = Food.objects.get(pk=recipe_id)
        assert recipe.magnesium_mg_per_100g <= per_100g_limit("mg", "magnesium")
        assert recipe.energy_kcal_per_100g <= per_100g_limit("kcal", "energy_kcal")
        for value in recipe.nutrient_values.select_related("nutrient"):
            assert 0 <= value.amount_per_100g <= per_100g_limit(value.nutrient.unit)
        assert recipe.portions.get().gram_weight >= MIN_PORTION_GRAMS

    # (0.01 + 4,999.99) g of the extreme food in 5,000.02 g: just below each bound.
    assert recipe.magnesium_mg_per_100g == Decimal("99999.600")
    assert recipe.nutrient_values.get(nutrient__key="protein").amount_per_100g == Decimal("99.9996")


def test_a_tiny_recipe_serving_weighs_at_least_a_tenth_of_a_gram(user, user_api, nutrients):
    salt = FoodFactory(magnesium_mg_per_100g=Decimal("1"))
    recipe_id = user_api.post(RECIPES, {"name": "Pinch", "servings": 100}).json()["id"]

    # 0.01 g in 100 servings would be 0.0001 g a serving.
    response = user_api.post(f"{RECIPES}{recipe_id}/ingredients/", {"food": salt.pk, "grams": 0.01})

    assert response.status_code == 201, response.json()
    assert response.json()["serving"]["gram_weight"] == 0.1
    assert Portion.objects.get(food_id=recipe_id).gram_weight == MIN_PORTION_GRAMS


def test_a_recipe_serving_above_10_kg_is_refused(user, user_api, user_client, nutrients):
    flour = FoodFactory(magnesium_mg_per_100g=Decimal("20"))
    recipe_id = user_api.post(RECIPES, {"name": "Bakery", "servings": 1}).json()["id"]
    url = f"{RECIPES}{recipe_id}/ingredients/"
    for _ in range(2):
        assert user_api.post(url, {"food": flour.pk, "grams": 5000}).status_code == 201

    response = user_api.post(url, {"food": flour.pk, "grams": 1})

    assert response.status_code == 400
    assert "10,000 g" in response.json()["grams"][0]
    assert RecipeIngredient.objects.count() == 2
    assert Portion.objects.get(food_id=recipe_id).gram_weight == Decimal("10000")
    # The page says so too, on the field.
    page = user_client.post(
        f"/diary/recipes/{recipe_id}/", {"food": flour.pk, "amount": "1", "unit": "g"}
    )
    assert page.status_code == 400
    assert "10,000 g" in " ".join(page.context["form"].errors["amount"])
    assert Recipe.objects.get(food_id=recipe_id).ingredients.count() == 2
