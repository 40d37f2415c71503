"""The person's own things in the API: favourites, copying a day, custom foods and recipes.

Each endpoint: the worked example with exact values, who may see it, bad input saving
nothing, and a list costing the same queries for one row as for many.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition.diary import custom_foods
from nutrition.diary.models import DiaryEntry, FavouriteFood, OwnFood, Recipe, RecipeIngredient
from nutrition.foods.models import Food, FoodNutrient, Portion
from tests.conftest import HttpsAPIClient, throttle_queries
from tests.diary.factories import DiaryEntryFactory, FoodFactory, NutrientFactory, PortionFactory

pytestmark = pytest.mark.django_db

FAVOURITES = "/api/v1/diary/favourites/"
COPY = "/api/v1/diary/copy/"
FOODS = "/api/v1/me/foods/"
RECIPES = "/api/v1/me/recipes/"
SOURCE, TARGET = date(2026, 2, 3), date(2026, 2, 4)


@pytest.fixture
def as_role(request, api_client, user_api, other_user, unverified_user):
    """A client for a role: the owner (`user`), another verified person, an unverified
    person, or nobody."""

    def client(role: str) -> HttpsAPIClient:
        if role == "owner":
            return user_api
        if role == "anonymous":
            return api_client
        c = HttpsAPIClient()
        c.force_authenticate(other_user if role == "other" else unverified_user)
        return c

    return client


@pytest.fixture
def pumpkin_seeds(db) -> Food:
    return FoodFactory(name="Pumpkin seed kernels, dried", magnesium_mg_per_100g=Decimal("592"))


def _seed_bar(user, name: str = "Seed bar") -> Food:
    """120 mg of magnesium in a 40 g bar: 300 mg per 100 g."""
    return custom_foods.custom_food_create(
        user=user,
        name=name,
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "120"},
    )


def _salad(user, spinach_food: Food, name: str = "Spinach salad") -> Recipe:
    """Two servings with 200 g of spinach: 87 mg per 100 g, 87 mg per 100 g serving."""
    recipe = custom_foods.recipe_create(user=user, name=name, servings=2)
    custom_foods.recipe_ingredient_add(
        user=user, recipe=recipe, food_id=spinach_food.pk, grams="200"
    )
    return recipe


# --- Favourites -----------------------------------------------------------------------------------


def test_favourite_add_is_idempotent_list_and_remove(user_api, user, spinach):
    food, _ = spinach
    r = user_api.post(FAVOURITES, {"food": food.pk})
    assert r.status_code == 201, r.json()
    row = FavouriteFood.objects.get(user=user, food=food)
    expected = {
        "food": food.pk,
        "food_name": "Spinach, cooked, boiled, drained, without salt",
        "magnesium_mg_per_100g": 87.0,
        "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert r.json() == expected
    again = user_api.post(FAVOURITES, {"food": food.pk})
    assert (again.status_code, again.json()) == (200, expected)  # already one: same row
    assert FavouriteFood.objects.filter(user=user).count() == 1
    body = user_api.get(FAVOURITES).json()
    assert body["count"] == 1 and body["results"] == [expected]
    assert user_api.delete(f"{FAVOURITES}{food.pk}/").status_code == 204
    assert not FavouriteFood.objects.exists()
    assert user_api.delete(f"{FAVOURITES}{food.pk}/").status_code == 404


def test_favourites_newest_first_and_withdrawn_foods_hidden(user_api, user, other_user):
    older, newer, withdrawn = FoodFactory(), FoodFactory(), FoodFactory()
    for food in (older, withdrawn, newer):
        FavouriteFood.objects.create(user=user, food=food)
    Food.objects.filter(pk=withdrawn.pk).update(private=True)  # now someone's private food
    OwnFood.objects.create(food=withdrawn, user=other_user)
    results = user_api.get(FAVOURITES).json()["results"]
    assert [row["food"] for row in results] == [newer.pk, older.pk]
    assert user_api.delete(f"{FAVOURITES}{withdrawn.pk}/").status_code == 404
    assert FavouriteFood.objects.filter(user=user).count() == 3


@pytest.mark.parametrize("food", ["private", 987654, None, "x", 0])
def test_bad_favourite_is_400_and_saves_nothing(user_api, other_user, food):
    if food == "private":
        food = FoodFactory(owner=other_user).pk  # another person's private food
    r = user_api.post(FAVOURITES, {"food": food}, format="json")
    assert r.status_code == 400 and "food" in r.json()
    assert not FavouriteFood.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 403), ("unverified", 403), ("other", 404), ("owner", 204)]
)
def test_favourite_remove_matrix(as_role, user, spinach, role, expected):
    food, _ = spinach
    FavouriteFood.objects.create(user=user, food=food)
    assert as_role(role).delete(f"{FAVOURITES}{food.pk}/").status_code == expected
    assert FavouriteFood.objects.filter(user=user).exists() == (role != "owner")


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 403), ("unverified", 403), ("other", 201), ("owner", 200)]
)
def test_favourite_add_matrix(as_role, user, other_user, spinach, role, expected):
    food, _ = spinach
    FavouriteFood.objects.create(user=user, food=food)
    assert as_role(role).post(FAVOURITES, {"food": food.pk}).status_code == expected
    # Another person's favourite is their own row; the owner's stays as it was.
    assert FavouriteFood.objects.filter(user=user).count() == 1
    assert FavouriteFood.objects.filter(user=other_user).count() == (role == "other")


@pytest.mark.parametrize("n", [1, 25])
def test_favourites_list_query_count_is_constant(user_api, user, n):
    for food in FoodFactory.create_batch(n):
        FavouriteFood.objects.create(user=user, food=food)
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(FAVOURITES, {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == n
    assert len(queries) == 3 + throttle_queries()  # verified e-mail, count, page with the foods


# --- Copying a day or a meal ----------------------------------------------------------------------


@pytest.fixture
def source_day(user, other_user, spinach):
    """The owner's 3 February: a cup of spinach at breakfast, 100 g at dinner."""
    food, cup = spinach
    breakfast = DiaryEntryFactory(
        user=user, date=SOURCE, meal="breakfast", food=food, portion=cup, quantity=1, grams=180
    )
    dinner = DiaryEntryFactory(user=user, date=SOURCE, meal="dinner", food=food, grams=100)
    DiaryEntryFactory(user=other_user, date=SOURCE, meal="lunch", food=food, grams=50)
    return breakfast, dinner


def test_copy_a_whole_day(user_api, user, source_day, spinach):
    food, cup = spinach
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 201, r.json()
    body = r.json()
    copies = list(DiaryEntry.objects.filter(user=user, date=TARGET).order_by("id"))
    assert body["count"] == 2 and len(copies) == 2
    common = {
        "date": "2026-02-04",
        "food": food.pk,
        "food_name": food.name,
        "magnesium_origin": "",  # typed here, not imported
    }
    assert body["entries"] == [
        {
            **common,
            "id": copies[0].pk,
            "meal": "breakfast",
            "portion": cup.pk,
            "quantity": 1.0,
            "grams": None,
            "portion_description": "1 cup",
            "grams_total": 180.0,
            "magnesium_mg": 156.6,
        },
        {
            **common,
            "id": copies[1].pk,
            "meal": "dinner",
            "portion": None,
            "quantity": None,
            "grams": 100.0,
            "portion_description": None,
            "grams_total": 100.0,
            "magnesium_mg": 87.0,
        },
    ]
    assert DiaryEntry.objects.filter(date=SOURCE).count() == 3  # the sources stay


def test_copy_one_meal(user_api, user, source_day):
    r = user_api.post(
        COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04", "meal": "dinner"}
    )
    assert r.status_code == 201, r.json()
    assert r.json()["count"] == 1
    assert [e["meal"] for e in r.json()["entries"]] == ["dinner"]
    assert list(DiaryEntry.objects.filter(date=TARGET).values_list("meal", "grams")) == [
        ("dinner", Decimal("100.00"))
    ]


def test_copy_answers_only_the_new_entries(user_api, user, source_day, spinach):
    already = DiaryEntryFactory(user=user, date=TARGET, meal="lunch", food=spinach[0], grams=10)
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 201
    ids = [e["id"] for e in r.json()["entries"]]
    assert r.json()["count"] == 2 and len(ids) == 2 and already.pk not in ids
    assert DiaryEntry.objects.filter(user=user, date=TARGET).count() == 3


@pytest.mark.parametrize("n", [1, 20])
def test_copy_query_count_is_constant(user_api, user, spinach, n):
    food, cup = spinach
    for _ in range(n):
        DiaryEntryFactory(user=user, date=SOURCE, food=food, portion=cup, quantity=1, grams=180)
    with CaptureQueriesContext(connection) as queries:
        r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 201 and r.json()["count"] == n
    # verified e-mail; savepoint, the diary state row lock, source entries, what was copied
    # there before, entries of the last minute, entries on the target day, the diary revision,
    # insert, release; the copies read back; the throttle
    assert len(queries) == 11 + throttle_queries()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"source_date": "2026-02-30"}, "source_date"),
        ({"source_date": "yesterday"}, "source_date"),
        ({"source_date": None}, "source_date"),
        ({"target_date": "2026-13-01"}, "target_date"),
        ({"target_date": 20260204}, "target_date"),
        ({"target_date": "2030-01-01"}, "target_date"),  # the service's range, renamed
        ({"source_date": "1899-12-31"}, "source_date"),
        ({"meal": "elevenses"}, "meal"),
        ({"source_date": "2026-02-01"}, "source_date"),  # nothing logged that day
        ({"meal": "snack"}, "source_date"),  # nothing logged at that meal
    ],
)
def test_bad_copy_is_400_and_saves_nothing(user_api, source_day, payload, field):
    before = DiaryEntry.objects.count()
    data = {"source_date": "2026-02-03", "target_date": "2026-02-04", **payload}
    r = user_api.post(COPY, data, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert DiaryEntry.objects.count() == before


def test_copy_without_dates_names_both(user_api, source_day):
    r = user_api.post(COPY, {})
    assert r.status_code == 400 and {"source_date", "target_date"} <= set(r.json())
    assert DiaryEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 403), ("unverified", 403), ("other", 201), ("owner", 201)]
)
def test_copy_matrix(as_role, user, other_user, source_day, role, expected):
    r = as_role(role).post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == expected
    # Another person copies only their own day (one lunch entry), never the owner's.
    copied = DiaryEntry.objects.filter(date=TARGET)
    assert copied.filter(user=user).count() == (2 if role == "owner" else 0)
    assert copied.filter(user=other_user).count() == (1 if role == "other" else 0)
    if role == "other":
        assert [e["meal"] for e in r.json()["entries"]] == ["lunch"]


def test_another_person_copying_sees_nothing_of_the_owner(as_role, other_user, source_day):
    r = as_role("other").post(
        COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04", "meal": "dinner"}
    )
    assert r.status_code == 400 and "source_date" in r.json()
    assert "Spinach" not in r.content.decode()


# --- Custom foods ---------------------------------------------------------------------------------


def test_custom_food_from_a_label(user_api, user):
    NutrientFactory(usda_number="304")
    NutrientFactory(usda_number="205")
    r = user_api.post(
        FOODS,
        {
            "name": "Seed bar",
            "serving_description": "bar",
            "serving_grams": 40,
            "magnesium": 120,
            "carbohydrate": 20,
            "fiber": 5,
        },
    )
    assert r.status_code == 201, r.json()
    food = Food.objects.get(own_food__user=user)
    bar = food.portions.get()
    expected = {
        "id": food.pk,
        "name": "Seed bar",
        "magnesium_mg_per_100g": 300.0,
        "energy_kcal_per_100g": None,
        "net_carbs_g_per_100g": 37.5,
        "serving": {"id": bar.pk, "description": "bar", "amount": 1.0, "gram_weight": 40.0},
        "magnesium_mg_per_serving": 120.0,
        "created_at": r.json()["created_at"],
    }
    assert r.json() == expected
    assert food.data_type == "custom" and food.data_source.slug == "custom"
    assert user_api.get(f"{FOODS}{food.pk}/").json() == expected
    assert user_api.get(FOODS).json()["results"] == [expected]


def test_custom_food_serving_defaults_and_rounding(user_api):
    r = user_api.post(FOODS, {"name": "Crackers", "serving_grams": 33, "magnesium": 100})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["magnesium_mg_per_100g"] == 303.03  # stored to 0.001 mg per 100 g
    assert body["serving"]["description"] == "serving"
    assert body["magnesium_mg_per_serving"] == 100.0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"serving_grams": 0}, "serving_grams"),
        ({"serving_grams": 6000}, "serving_grams"),
        ({"serving_grams": "lots"}, "serving_grams"),
        ({"magnesium": -1}, "magnesium"),
        ({"magnesium": None}, "magnesium"),
        ({"magnesium": "NaN"}, "magnesium"),
        ({"calcium": 60000}, "calcium"),
        ({"protein": "some"}, "protein"),
    ],
)
def test_bad_custom_food_is_400_and_saves_nothing(user_api, payload, field):
    data = {"name": "Bar", "serving_grams": 40, "magnesium": 120, **payload}
    r = user_api.post(FOODS, data, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Food.objects.count(), Portion.objects.count(), FoodNutrient.objects.count()) == (
        0,
        0,
        0,
    )


def test_custom_food_without_magnesium_is_400(user_api):
    r = user_api.post(FOODS, {"name": "Bar", "serving_grams": 40})
    assert r.status_code == 400 and "magnesium" in r.json()
    assert not Food.objects.exists()


def test_custom_food_delete(user_api, user):
    food = _seed_bar(user)
    assert user_api.delete(f"{FOODS}{food.pk}/").status_code == 204
    assert not Food.objects.filter(pk=food.pk).exists()


def test_custom_food_in_the_diary_or_a_recipe_is_kept(user_api, user):
    logged, in_recipe = _seed_bar(user, "Logged bar"), _seed_bar(user, "Recipe bar")
    DiaryEntryFactory(user=user, food=logged, grams=40)
    recipe = custom_foods.recipe_create(user=user, name="Granola", servings=1)
    custom_foods.recipe_ingredient_add(user=user, recipe=recipe, food_id=in_recipe.pk, grams=40)
    for food, words in ((logged, "in your diary"), (in_recipe, "A recipe uses")):
        r = user_api.delete(f"{FOODS}{food.pk}/")
        assert r.status_code == 400
        assert words in r.json()["food"][0]
        assert Food.objects.filter(pk=food.pk).exists()


def test_foods_are_custom_foods_only(user_api, user, spinach):
    bar = _seed_bar(user)
    recipe = _salad(user, spinach[0])
    FoodFactory(name="A public food")
    assert [f["id"] for f in user_api.get(FOODS).json()["results"]] == [bar.pk]
    assert user_api.get(f"{FOODS}{recipe.food_id}/").status_code == 404
    assert user_api.delete(f"{FOODS}{recipe.food_id}/").status_code == 404
    assert user_api.get(f"{FOODS}{spinach[0].pk}/").status_code == 404  # public, not yours
    assert Food.objects.filter(pk=recipe.food_id).exists()


@pytest.mark.parametrize(
    ("role", "get", "delete"),
    [("anonymous", 403, 403), ("unverified", 403, 403), ("other", 404, 404), ("owner", 200, 204)],
)
def test_custom_food_detail_matrix(as_role, user, role, get, delete):
    food = _seed_bar(user)
    client = as_role(role)
    r = client.get(f"{FOODS}{food.pk}/")
    assert r.status_code == get
    if role != "owner":
        assert "Seed bar" not in r.content.decode()
    assert client.delete(f"{FOODS}{food.pk}/").status_code == delete
    assert Food.objects.filter(pk=food.pk).exists() == (role != "owner")


@pytest.mark.parametrize(
    ("role", "expected", "rows"),
    [("anonymous", 403, None), ("unverified", 403, None), ("other", 200, 0), ("owner", 200, 1)],
)
def test_custom_food_list_matrix(as_role, user, role, expected, rows):
    _seed_bar(user)
    r = as_role(role).get(FOODS)
    assert r.status_code == expected
    if rows is not None:
        assert r.json()["count"] == rows
    assert ("Seed bar" in r.content.decode()) == (role == "owner")


def test_custom_food_create_matrix(as_role, other_user, unverified_user):
    data = {"name": "Bar", "serving_grams": 40, "magnesium": 120}
    assert as_role("anonymous").post(FOODS, data).status_code == 403
    assert as_role("unverified").post(FOODS, data).status_code == 403
    assert not Food.objects.exists()
    assert as_role("other").post(FOODS, data).status_code == 201
    assert Food.objects.get().own_food.user == other_user  # always the signed-in person's


@pytest.mark.parametrize("n", [1, 25])
def test_custom_food_list_query_count_is_constant(user_api, user, n):
    for i in range(n):
        _seed_bar(user, f"Bar {i}")
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(FOODS, {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == n
    assert len(queries) == 4 + throttle_queries()  # verified e-mail, count, page, servings


# --- Recipes --------------------------------------------------------------------------------------


def test_recipe_built_from_ingredients(user_api, user, spinach, pumpkin_seeds):
    food, _ = spinach
    r = user_api.post(RECIPES, {"name": "Spinach salad", "servings": 2})
    assert r.status_code == 201, r.json()
    recipe_id = r.json()["id"]
    assert r.json() == {
        "id": recipe_id,
        "name": "Spinach salad",
        "servings": 2,
        "serving": None,
        "magnesium_mg_per_100g": None,
        "magnesium_mg_per_serving": None,
        "ingredients": [],
    }
    assert Food.objects.get(pk=recipe_id).data_type == "recipe"
    url = f"{RECIPES}{recipe_id}/ingredients/"
    r = user_api.post(url, {"food": food.pk, "grams": 200})
    assert r.status_code == 201, r.json()
    assert (r.json()["magnesium_mg_per_100g"], r.json()["magnesium_mg_per_serving"]) == (87, 87)
    r = user_api.post(url, {"food": pumpkin_seeds.pk, "grams": 30})
    assert r.status_code == 201, r.json()
    spinach_row, seeds_row = RecipeIngredient.objects.order_by("id")
    serving = Portion.objects.get(food_id=recipe_id)
    expected = {
        "id": recipe_id,
        "name": "Spinach salad",
        "servings": 2,
        # 174 + 177.6 mg in 230 g: 152.870 mg per 100 g, 115 g and 175.8 mg a serving.
        "serving": {
            "id": serving.pk,
            "description": "serving",
            "amount": 1.0,
            "gram_weight": 115.0,
        },
        "magnesium_mg_per_100g": 152.87,
        "magnesium_mg_per_serving": 175.8,
        "ingredients": [
            {"id": spinach_row.pk, "food": food.pk, "food_name": food.name, "grams": 200.0},
            {
                "id": seeds_row.pk,
                "food": pumpkin_seeds.pk,
                "food_name": "Pumpkin seed kernels, dried",
                "grams": 30.0,
            },
        ],
    }
    assert r.json() == expected
    assert user_api.get(f"{RECIPES}{recipe_id}/").json() == expected
    assert user_api.get(RECIPES).json()["results"] == [expected]
    assert user_api.delete(f"{url}{seeds_row.pk}/").status_code == 204
    after = user_api.get(f"{RECIPES}{recipe_id}/").json()
    assert (after["magnesium_mg_per_100g"], after["magnesium_mg_per_serving"]) == (87.0, 87.0)
    assert [i["id"] for i in after["ingredients"]] == [spinach_row.pk]


def test_ingredient_by_portion(user_api, user, spinach):
    food, cup = spinach
    recipe = custom_foods.recipe_create(user=user, name="Soup", servings=1)
    r = user_api.post(
        f"{RECIPES}{recipe.food_id}/ingredients/",
        {"food": food.pk, "portion": cup.pk, "quantity": 0.5},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["ingredients"][0]["grams"] == 90.0
    assert r.json()["magnesium_mg_per_serving"] == 78.3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"servings": 0}, "servings"),
        ({"servings": 101}, "servings"),
        ({"servings": "two"}, "servings"),
        ({"servings": None}, "servings"),
    ],
)
def test_bad_recipe_is_400_and_saves_nothing(user_api, payload, field):
    r = user_api.post(RECIPES, {"name": "Salad", "servings": 2, **payload}, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Food.objects.count(), Recipe.objects.count(), Portion.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"food": "private"}, "food"),
        ({"food": 987654}, "food"),
        ({"food": "itself"}, "food"),
        ({"food": None}, "food"),
        ({"grams": -1}, "grams"),
        ({"grams": 6000}, "grams"),
        ({"grams": "lots"}, "grams"),
        ({"grams": None}, "grams"),
        ({"grams": None, "portion": "other food's"}, "portion"),
        ({"grams": 10, "portion": "other food's"}, "grams"),  # both given
    ],
)
def test_bad_ingredient_is_400_and_changes_nothing(
    user_api, user, other_user, spinach, payload, field
):
    recipe = _salad(user, spinach[0])
    values = {
        "private": FoodFactory(owner=other_user).pk,
        "itself": recipe.food_id,
        "other food's": PortionFactory().pk,
    }
    data = {"food": spinach[0].pk, "grams": 50, **payload}
    data = {
        key: values.get(value, value) if isinstance(value, str) else value
        for key, value in data.items()
    }
    r = user_api.post(f"{RECIPES}{recipe.food_id}/ingredients/", data, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert RecipeIngredient.objects.count() == 1
    food = Food.objects.get(pk=recipe.food_id)
    assert food.magnesium_mg_per_100g == Decimal("87.000")
    assert Portion.objects.get(food=food).gram_weight == Decimal("100.000")


def test_recipe_delete(user_api, user, spinach):
    recipe = _salad(user, spinach[0])
    assert user_api.delete(f"{RECIPES}{recipe.food_id}/").status_code == 204
    assert not Food.objects.filter(pk=recipe.food_id).exists()
    assert not Recipe.objects.exists() and not RecipeIngredient.objects.exists()
    assert Food.objects.filter(pk=spinach[0].pk).exists()  # its ingredients' foods stay


def test_recipe_in_the_diary_is_kept(user_api, user, spinach):
    recipe = _salad(user, spinach[0])
    DiaryEntryFactory(user=user, food=recipe.food, grams=100)
    r = user_api.delete(f"{RECIPES}{recipe.food_id}/")
    assert r.status_code == 400 and "in your diary" in r.json()["food"][0]
    assert Recipe.objects.filter(pk=recipe.pk).exists()


def test_ingredient_of_another_recipe_is_404(user_api, user, spinach):
    salad, soup = _salad(user, spinach[0]), _salad(user, spinach[0], "Soup")
    soups = soup.ingredients.get()
    r = user_api.delete(f"{RECIPES}{salad.food_id}/ingredients/{soups.pk}/")
    assert r.status_code == 404
    assert RecipeIngredient.objects.count() == 2


def test_custom_food_is_not_a_recipe(user_api, user):
    bar = _seed_bar(user)
    assert user_api.get(f"{RECIPES}{bar.pk}/").status_code == 404
    assert user_api.post(f"{RECIPES}{bar.pk}/ingredients/", {"food": bar.pk}).status_code == 404
    assert user_api.get(RECIPES).json()["count"] == 0


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("anonymous", (403, 403, 403, 403)),
        ("unverified", (403, 403, 403, 403)),
        ("other", (404, 404, 404, 404)),
        ("owner", (200, 201, 204, 204)),
    ],
)
def test_recipe_matrix(as_role, user, spinach, pumpkin_seeds, role, codes):
    """GET the recipe, add an ingredient, remove one, DELETE the recipe."""
    recipe = _salad(user, spinach[0])
    ingredient = recipe.ingredients.get()
    client, url = as_role(role), f"{RECIPES}{recipe.food_id}/"
    r = client.get(url)
    if role != "owner":
        assert "Spinach salad" not in r.content.decode()
    answers = (
        r.status_code,
        client.post(f"{url}ingredients/", {"food": pumpkin_seeds.pk, "grams": 30}).status_code,
        client.delete(f"{url}ingredients/{ingredient.pk}/").status_code,
        client.delete(url).status_code,
    )
    assert answers == codes
    if role != "owner":
        recipe.refresh_from_db()
        assert list(recipe.ingredients.values_list("pk", flat=True)) == [ingredient.pk]
    else:
        assert not Recipe.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected", "rows"),
    [("anonymous", 403, None), ("unverified", 403, None), ("other", 200, 0), ("owner", 200, 1)],
)
def test_recipe_list_matrix(as_role, user, spinach, role, expected, rows):
    _salad(user, spinach[0])
    r = as_role(role).get(RECIPES)
    assert r.status_code == expected
    if rows is not None:
        assert r.json()["count"] == rows
    assert ("Spinach salad" in r.content.decode()) == (role == "owner")


def test_recipe_create_matrix(as_role, other_user):
    data = {"name": "Salad", "servings": 2}
    assert as_role("anonymous").post(RECIPES, data).status_code == 403
    assert as_role("unverified").post(RECIPES, data).status_code == 403
    assert not Recipe.objects.exists()
    assert as_role("other").post(RECIPES, data).status_code == 201
    assert Recipe.objects.get().food.own_food.user == other_user


@pytest.mark.parametrize("n", [1, 12])
def test_recipe_list_query_count_is_constant(user_api, user, spinach, pumpkin_seeds, n):
    for i in range(n):
        recipe = _salad(user, spinach[0], f"Salad {i}")
        custom_foods.recipe_ingredient_add(
            user=user, recipe=recipe, food_id=pumpkin_seeds.pk, grams="30"
        )
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(RECIPES, {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == n
    assert all(len(row["ingredients"]) == 2 for row in r.json()["results"])
    # verified e-mail, count, page, ingredients with foods, servings; the throttle
    assert len(queries) == 5 + throttle_queries()


# --- Dietitians and staff see nothing of the owner's here -----------------------------------------


@pytest.fixture
def outsider(user):
    """A signed-in dietitian without consent, one with the owner's consent, or staff."""
    from nutrition.clinic.models import CareRelationship
    from tests.accounts.helpers import sign_in
    from tests.clinic.conftest import make_dietitian
    from tests.factories import UserFactory

    def make(role: str) -> HttpsAPIClient:
        if role == "staff":
            person = UserFactory(is_staff=True, is_superuser=True)
        else:
            person = make_dietitian()
            if role == "dietitian_with_consent":
                CareRelationship.objects.create(dietitian=person, client=user)
        c = HttpsAPIClient()
        return sign_in(c, person)  # with both factors, as far as the person has them

    return make


@pytest.mark.parametrize("role", ["dietitian_without_consent", "dietitian_with_consent", "staff"])
def test_the_me_endpoints_never_show_the_owners_things(outsider, user, spinach, source_day, role):
    food, _ = spinach
    FavouriteFood.objects.create(user=user, food=food)
    bar = _seed_bar(user)
    salad = _salad(user, food)
    client = outsider(role)
    for url in (FAVOURITES, FOODS, RECIPES):
        r = client.get(url)
        assert r.status_code == 200 and r.json()["count"] == 0
    assert client.get(f"{FOODS}{bar.pk}/").status_code == 404
    assert client.get(f"{RECIPES}{salad.food_id}/").status_code == 404
    assert client.delete(f"{FAVOURITES}{food.pk}/").status_code == 404
    assert client.delete(f"{FOODS}{bar.pk}/").status_code == 404
    assert client.delete(f"{RECIPES}{salad.food_id}/").status_code == 404
    r = client.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 400 and "Spinach" not in r.content.decode()  # their own empty day
    assert FavouriteFood.objects.filter(user=user).count() == 1
    assert Food.objects.filter(pk__in=[bar.pk, salad.food_id]).count() == 2
    assert not DiaryEntry.objects.filter(date=TARGET).exists()
