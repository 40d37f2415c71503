"""`GET /api/v1/foods/` and `/api/v1/foods/{id}/`: shapes, filters, paging, privacy, queries."""

from decimal import Decimal

import pytest

from nutrition.foods import search
from tests.conftest import throttle_queries
from tests.factories import UserFactory
from tests.foods.factories import (
    DataSourceFactory,
    FoodFactory,
    FoodGroupFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY_FIELDS = {"id", "name", "food_group", "source", "source_id", "magnesium_mg_per_100g"}


@pytest.fixture
def veg():
    return FoodGroupFactory(code="1100", name="Vegetables and Vegetable Products")


@pytest.fixture
def spinach(veg):
    food = FoodFactory(
        name="Spinach, raw",
        food_group=veg,
        data_source=DataSourceFactory(slug="usda-sr28"),
        source_id="11457",
        magnesium_mg_per_100g=Decimal("79.000"),
    )
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="304"), amount_per_100g=79)
    FoodNutrientFactory(
        food=food, nutrient=NutrientFactory(usda_number="208"), amount_per_100g=Decimal("23")
    )
    PortionFactory(food=food, seq=1, amount=Decimal("1"), description="cup", gram_weight=30)
    PortionFactory(food=food, seq=2, amount=Decimal("0.5"), description="cup", gram_weight=90)
    return food


@pytest.fixture
def foods(veg, spinach):
    nuts = FoodGroupFactory(code="1200", name="Nut and Seed Products")
    return [
        spinach,
        FoodFactory(name="Nuts, almonds", food_group=nuts, magnesium_mg_per_100g=270),
        FoodFactory(name="Kale, raw", food_group=veg, magnesium_mg_per_100g=33),
        FoodFactory(name="Water, bottled", food_group=None, magnesium_mg_per_100g=None),
    ]


def test_list_summaries_have_exactly_the_contract_fields(api_client, foods):
    body = api_client.get("/api/v1/foods/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert all(set(r) == SUMMARY_FIELDS for r in body["results"])
    spinach = next(r for r in body["results"] if r["name"] == "Spinach, raw")
    assert spinach["food_group"] == {"code": "1100", "name": "Vegetables and Vegetable Products"}
    assert spinach["source"] == "usda-sr28"
    assert spinach["source_id"] == "11457"
    assert spinach["magnesium_mg_per_100g"] == 79  # a JSON number, not a string
    assert isinstance(spinach["magnesium_mg_per_100g"], float | int)
    water = next(r for r in body["results"] if r["name"] == "Water, bottled")
    assert water["food_group"] is None
    assert water["magnesium_mg_per_100g"] is None


def test_search_ranks_the_best_match_first(api_client, foods):
    FoodFactory(name="Spinach souffle", food_group=foods[0].food_group)
    search.refresh_index()
    body = api_client.get("/api/v1/foods/", {"search": "spinach"}).json()
    assert [r["name"] for r in body["results"]] == ["Spinach, raw", "Spinach souffle"]
    body = api_client.get("/api/v1/foods/", {"search": "spinich"}).json()
    assert body["results"][0]["name"] == "Spinach, raw"


def test_filters(api_client, foods):
    get = lambda **p: [r["name"] for r in api_client.get("/api/v1/foods/", p).json()["results"]]  # noqa: E731
    assert get(group="1200") == ["Nuts, almonds"]
    assert get(source="usda-sr28") == ["Spinach, raw"]
    assert get(source_id="11457") == ["Spinach, raw"]
    assert get(source_id="99999") == []
    assert get(ordering="-magnesium") == [
        "Nuts, almonds",
        "Spinach, raw",
        "Kale, raw",
        "Water, bottled",  # no value: last, never counted as zero
    ]
    assert get(ordering="magnesium")[0] == "Kale, raw"
    assert get(search="raw", ordering="-magnesium") == ["Spinach, raw", "Kale, raw"]
    assert get(search="spinach", group="1200") == []


def test_invalid_ordering_is_a_400(api_client, foods):
    response = api_client.get("/api/v1/foods/", {"ordering": "price"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_pagination_and_page_size_cap(api_client, veg):
    FoodFactory.create_batch(105, food_group=veg)
    body = api_client.get("/api/v1/foods/", {"page_size": 500}).json()
    assert body["count"] == 105
    assert len(body["results"]) == 100
    assert "page=2" in body["next"]
    body = api_client.get("/api/v1/foods/", {"page_size": 10, "page": 2}).json()
    assert len(body["results"]) == 10
    assert body["previous"]
    assert api_client.get("/api/v1/foods/", {"page": 99}).status_code == 404


def test_detail_adds_nutrients_and_portions(api_client, spinach):
    body = api_client.get(f"/api/v1/foods/{spinach.id}/").json()
    assert set(body) == SUMMARY_FIELDS | {"nutrients", "portions"}
    assert body["nutrients"][0] == {
        "key": "magnesium",
        "usda_number": "304",
        "name": "Magnesium, Mg",
        "unit": "mg",
        "amount_per_100g": 79,
    }
    assert [n["key"] for n in body["nutrients"]] == ["magnesium", "energy_kcal"]
    assert body["portions"][1] == {
        "id": spinach.portions.get(seq=2).id,
        "description": "cup",
        "amount": 0.5,
        "gram_weight": 90,
    }


def test_unknown_and_private_ids_are_404(api_client, veg):
    owner = UserFactory()
    private = FoodFactory(name="My smoothie", food_group=veg, owner=owner)
    assert api_client.get("/api/v1/foods/999999/").status_code == 404
    assert api_client.get("/api/v1/foods/abc/").status_code == 404
    assert api_client.get(f"/api/v1/foods/{private.id}/").status_code == 404
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/foods/{private.id}/").status_code == 404
    api_client.force_authenticate(owner)
    assert api_client.get(f"/api/v1/foods/{private.id}/").json()["name"] == "My smoothie"


def test_private_foods_are_listed_only_for_their_owner(api_client, veg):
    owner = UserFactory()
    FoodFactory(name="Smoothie, my own", food_group=veg, owner=owner)
    FoodFactory(name="Smoothie, public", food_group=veg)
    search.refresh_index()
    for params in ({}, {"search": "smoothie"}):
        names = [r["name"] for r in api_client.get("/api/v1/foods/", params).json()["results"]]
        assert names == ["Smoothie, public"]
    api_client.force_authenticate(owner)
    for params in ({}, {"search": "smoothie"}):
        names = [r["name"] for r in api_client.get("/api/v1/foods/", params).json()["results"]]
        assert sorted(names) == ["Smoothie, my own", "Smoothie, public"]


def test_write_methods_are_not_allowed(api_client, spinach):
    assert api_client.post("/api/v1/foods/", {"name": "x"}).status_code in (403, 405)
    assert api_client.delete(f"/api/v1/foods/{spinach.id}/").status_code in (403, 405)


def test_list_query_count_does_not_grow_with_results(api_client, veg, django_assert_num_queries):
    FoodFactory.create_batch(30, food_group=veg)
    # count + page (group and source joined in), and the anonymous visitor's two throttles
    with django_assert_num_queries(2 + throttle_queries(2)):
        assert api_client.get("/api/v1/foods/").status_code == 200


def test_search_query_count(api_client, foods, django_assert_num_queries):
    search.refresh_index()
    # vocabulary, candidates, the foods, and the anonymous visitor's two throttles
    with django_assert_num_queries(3 + throttle_queries(2)):
        assert api_client.get("/api/v1/foods/", {"search": "spinach"}).status_code == 200


def test_detail_query_count(api_client, spinach, django_assert_num_queries):
    # the food (group, source), its values (with nutrients), its portions, and the throttles
    with django_assert_num_queries(3 + throttle_queries(2)):
        assert api_client.get(f"/api/v1/foods/{spinach.id}/").status_code == 200
