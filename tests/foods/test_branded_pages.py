"""Pages for packaged products: the label on the food page, brand and serving in search
results, and finding a product by its barcode without JavaScript."""

import datetime
from decimal import Decimal

import pytest

from nutrition.foods import search
from tests.factories import UserFactory
from tests.foods.factories import (
    BrandedFoodFactory,
    FoodFactory,
    FoodNutrientFactory,
    NutrientFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bar():
    food = BrandedFoodFactory(
        name="ALMOND & COCONUT BAR",
        brand="KIND",
        barcode="00722252100900",
        serving_size=Decimal("40"),
        household_serving="1 bar",
        magnesium_mg_per_100g=Decimal("125"),
        published_on=datetime.date(2025, 4, 24),
    )
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="304"), amount_per_100g=125)
    search.refresh_index()
    return food


def test_product_page_shows_the_label(client, bar):
    html = client.get(f"/foods/{bar.id}/").content.decode()
    assert "<dt>Brand</dt><dd>KIND</dd>" in html
    assert '<dd class="barcode">722252100900</dd>' in html  # the form printed on the pack
    assert "40 g (1 bar)" in html
    assert "published 24 April 2025" in html
    assert "ALMONDS, HONEY, SEA SALT." in html
    # 40 g of a bar with 125 mg per 100 g: 50 mg per serving, 12% of the 420 mg Daily Value.
    assert '50.0&nbsp;mg</span> <span class="mg-basis">per serving (40 g (1 bar))' in html
    assert "12% of the 420 mg Daily Value" in html
    assert 'data-code="discontinued"' not in html


def test_product_without_magnesium_says_not_on_the_label(client):
    food = BrandedFoodFactory(magnesium_mg_per_100g=None)
    html = client.get(f"/foods/{food.id}/").content.decode()
    assert "Magnesium: not on the label." in html
    assert "per serving" not in html


def test_product_without_a_serving_says_so(client):
    food = BrandedFoodFactory(serving_size=None, household_serving="", ingredients="")
    html = client.get(f"/foods/{food.id}/").content.decode()
    assert "<dt>Serving on the label</dt><dd>Not on the label</dd>" in html
    assert "The label data lists no ingredients." in html
    assert "per serving" not in html


def test_discontinued_product_page_says_so(client, bar):
    bar.discontinued_on = datetime.date(2026, 4, 1)
    bar.save()
    html = client.get(f"/foods/{bar.id}/").content.decode()
    assert "USDA stopped listing this product on 1 April 2026" in html


def test_generic_food_page_has_no_label_section(client):
    food = FoodFactory(name="Nuts, almonds")
    html = client.get(f"/foods/{food.id}/").content.decode()
    assert "Serving on the label" not in html
    assert "Ingredients" not in html
    assert "not on the label" not in html


def test_search_results_show_brand_and_serving(client, bar):
    html = client.get("/foods/", {"q": "kind almond bar"}).content.decode()
    assert '<span class="food-result-label">KIND · serving 40 g (1 bar)</span>' in html


@pytest.mark.parametrize("code", ["722252100900", "0722252100900", "00722252100900"])
def test_barcode_form_opens_the_product(client, bar, code):
    response = client.get("/foods/", {"barcode": code})
    assert response.status_code == 302
    assert response["Location"] == f"/foods/{bar.id}/"


def test_unknown_barcode_says_not_found_with_a_search_link(client, bar):
    response = client.get("/foods/", {"barcode": "036000291452"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="barcode-not-found"' in html
    assert "No product with the barcode 036000291452" in html
    assert 'href="/foods/">Search by name instead</a>' in html


@pytest.mark.parametrize("code", ["abc", "12345", ""])
def test_a_code_that_is_no_barcode_is_a_form_error(client, bar, code):
    response = client.get("/foods/", {"barcode": code})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert">That is not a barcode' in html
    assert 'aria-invalid="true"' in html


def test_several_products_with_one_code_are_listed(client, bar):
    old = BrandedFoodFactory(barcode=bar.barcode, discontinued_on=datetime.date(2024, 1, 1))
    html = client.get("/foods/", {"barcode": "722252100900"}).content.decode()
    assert "2 products have the barcode 722252100900" in html
    assert html.index(f'href="/foods/{bar.id}/"') < html.index(f'href="/foods/{old.id}/"')
    assert "no longer listed" in html


def test_another_persons_food_is_not_found_by_barcode(client):
    FoodFactory(owner=UserFactory(), barcode="00036000291452")
    response = client.get("/foods/", {"barcode": "036000291452"})
    assert 'data-code="barcode-not-found"' in response.content.decode()


def test_scan_button_is_served_hidden_with_the_script_and_reader(client, bar):
    html = client.get("/foods/").content.decode()
    assert 'data-scan data-scan-target="barcode" data-scan-submit' in html
    assert 'data-zxing="/static/vendor/zxing/zxing.min.js"' in html
    assert '<script src="/static/js/barcode.js" defer></script>' in html
    assert " style=" not in html and "<script>" not in html
    assert client.get("/static/vendor/zxing/zxing.min.js").status_code == 200


def test_branded_page_query_counts(client, bar, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(f"/foods/{bar.id}/")
    with django_assert_max_num_queries(2):
        client.get("/foods/", {"barcode": "722252100900"})


def test_a_discontinued_product_is_marked_in_search_results(client, bar):
    bar.discontinued_on = datetime.date(2026, 4, 1)
    bar.save()
    html = client.get("/foods/", {"q": "kind almond bar"}).content.decode()
    assert "KIND · serving 40 g (1 bar) · no longer listed</span>" in html
