"""`GET /api/v1/foods/?barcode=`: one product whatever form its code is written in; the
summaries of branded products carry brand, barcode and serving."""

import datetime
from decimal import Decimal

import pytest

from tests.conftest import throttle_queries
from tests.factories import UserFactory
from tests.foods.factories import BrandedFoodFactory, FoodFactory

pytestmark = pytest.mark.django_db

SUMMARY_FIELDS = {"id", "name", "food_group", "source", "source_id", "magnesium_mg_per_100g"}
BRANDED_FIELDS = {
    "brand",
    "barcode",
    "serving_size",
    "serving_size_unit",
    "household_serving",
    "discontinued_on",
}


@pytest.fixture
def bar():
    # UPC-A 722252100900 (check digit 0), stored as its 14-digit GTIN.
    return BrandedFoodFactory(name="ALMOND & COCONUT BAR", brand="KIND", barcode="00722252100900")


@pytest.mark.parametrize(
    "code",
    [
        "722252100900",  # UPC-A, as printed
        "0722252100900",  # the EAN-13 a scanner reads
        "00722252100900",  # GTIN-14
        "0722-2521-00900",  # typed with hyphens
        " 722252100900 ",
    ],
)
def test_every_form_of_a_code_finds_the_product(api_client, bar, code):
    FoodFactory(name="Nuts, almonds")
    body = api_client.get("/api/v1/foods/", {"barcode": code}).json()
    assert [r["id"] for r in body["results"]] == [bar.id]
    found = body["results"][0]
    assert set(found) == SUMMARY_FIELDS | BRANDED_FIELDS
    assert found["brand"] == "KIND"
    assert found["barcode"] == "722252100900"  # the form on the pack
    assert found["serving_size"] == 40
    assert found["serving_size_unit"] == "g"
    assert found["household_serving"] == "1 bar"
    assert found["discontinued_on"] is None
    assert found["source"] == "usda-fdc"


@pytest.mark.parametrize("code", ["036000291452", "000000000000", "0000000000000"])
def test_an_unknown_code_is_an_empty_list(api_client, bar, code):
    body = api_client.get("/api/v1/foods/", {"barcode": code}).json()
    assert body["count"] == 0
    assert body["results"] == []


@pytest.mark.parametrize(
    "code", ["abc", "72225210090x", "1234", "0000000", "1" * 15, "１２３４５６７８"]
)
def test_a_code_that_is_no_barcode_is_refused(api_client, bar, code):
    response = api_client.get("/api/v1/foods/", {"barcode": code})
    assert response.status_code == 400
    assert "Not a barcode" in response.json()["barcode"][0]


def test_a_discontinued_product_is_found_and_marked_after_the_listed_one(api_client, bar):
    old = BrandedFoodFactory(
        name="ALMOND & COCONUT BAR",
        barcode=bar.barcode,
        discontinued_on=datetime.date(2024, 4, 18),
    )
    body = api_client.get("/api/v1/foods/", {"barcode": "722252100900"}).json()
    assert [r["id"] for r in body["results"]] == [bar.id, old.id]
    assert body["results"][1]["discontinued_on"] == "2024-04-18"


def test_generic_summaries_keep_their_fields_and_branded_ones_add_theirs(api_client, bar):
    FoodFactory(name="Nuts, almonds")
    body = api_client.get("/api/v1/foods/").json()
    fields = {r["name"]: set(r) for r in body["results"]}
    assert fields["Nuts, almonds"] == SUMMARY_FIELDS
    assert fields["ALMOND & COCONUT BAR"] == SUMMARY_FIELDS | BRANDED_FIELDS


def test_branded_detail_has_the_label(api_client, bar):
    bar.published_on = datetime.date(2025, 4, 24)
    bar.save()
    body = api_client.get(f"/api/v1/foods/{bar.id}/").json()
    assert body["ingredients"] == "ALMONDS, HONEY, SEA SALT."
    assert body["published_on"] == "2025-04-24"
    assert body["barcode"] == "722252100900"
    generic = api_client.get(f"/api/v1/foods/{FoodFactory().id}/").json()
    assert "ingredients" not in generic and "brand" not in generic


def test_another_persons_private_food_is_not_found_by_its_code(api_client):
    FoodFactory(owner=UserFactory(), barcode="00036000291452")
    assert api_client.get("/api/v1/foods/", {"barcode": "036000291452"}).json()["count"] == 0


def test_the_owner_finds_their_own_food_by_its_code(api_client):
    me = UserFactory()
    own = FoodFactory(owner=me, barcode="00036000291452")
    api_client.force_login(me)
    body = api_client.get("/api/v1/foods/", {"barcode": "036000291452"}).json()
    assert [r["id"] for r in body["results"]] == [own.id]


def test_barcode_lookup_query_count(api_client, bar, django_assert_num_queries):
    BrandedFoodFactory.create_batch(5, barcode=bar.barcode)
    # count + page (group and source joined in), and the anonymous visitor's two throttles
    with django_assert_num_queries(2 + throttle_queries(2)):
        response = api_client.get("/api/v1/foods/", {"barcode": "722252100900"})
    assert response.json()["count"] == 6


def test_digits_typed_as_a_search_find_the_product(api_client, bar):
    body = api_client.get("/api/v1/foods/", {"search": "0722252100900"}).json()
    assert [r["id"] for r in body["results"]] == [bar.id]


def test_magnesium_stays_per_100g_for_branded_products(api_client):
    BrandedFoodFactory(barcode="00012345678905", magnesium_mg_per_100g=Decimal("125"))
    body = api_client.get("/api/v1/foods/", {"barcode": "012345678905"}).json()
    assert body["results"][0]["magnesium_mg_per_100g"] == 125
