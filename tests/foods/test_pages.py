"""The food pages: search (full page, htmx fragment, no JavaScript), a food, rankings."""

from decimal import Decimal

import pytest
from django.urls import reverse

from nutrition.foods import search
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


@pytest.fixture
def spinach():
    veg = FoodGroupFactory(code="1100", name="Vegetables and Vegetable Products")
    food = FoodFactory(
        name="Spinach, cooked, boiled, drained, without salt",
        food_group=veg,
        data_source=DataSourceFactory(slug="usda-sr28"),
        source_id="11458",
        magnesium_mg_per_100g=Decimal("87"),
    )
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="304"), amount_per_100g=87)
    FoodNutrientFactory(food=food, nutrient=NutrientFactory(usda_number="203"), amount_per_100g=3)
    PortionFactory(food=food, seq=1, amount=Decimal("1"), description="cup", gram_weight=180)
    PortionFactory(food=food, seq=2, amount=Decimal("0.5"), description="cup", gram_weight=90)
    search.refresh_index()
    return food


def test_search_page_without_javascript(client, spinach):
    response = client.get("/foods/", {"q": "spinach"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Food search</h1>" in html
    assert 'aria-live="polite"' in html
    assert f'href="/foods/{spinach.id}/"' in html
    assert "87.0 mg magnesium per 100 g" in html
    assert 'hx-get="/foods/"' in html  # search as you type when JavaScript runs


def test_search_page_empty_and_no_match(client, spinach):
    assert "Type a food" in client.get("/foods/").content.decode()
    assert "No foods match" in client.get("/foods/", {"q": "xylophone"}).content.decode()


def test_htmx_gets_only_the_results(client, spinach):
    response = client.get("/foods/", {"q": "spin"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Spinach, cooked" in html
    restore = client.get(
        "/foods/", {"q": "spin"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_search_escapes_the_query(client, spinach):
    html = client.get("/foods/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_food_page_magnesium_first_with_daily_value_and_portion(client, spinach):
    response = client.get(f"/foods/{spinach.id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '87.0&nbsp;mg</span> <span class="mg-basis">per 100 g' in html
    assert "21% of the 420 mg Daily Value" in html  # 87 / 420
    # The first household portion by default: 1 cup = 180 g → 156.6 mg, the same figure on
    # the card and in the table (one rounding rule).
    assert "156.6&nbsp;mg" in html and '<td class="num">156.6 mg</td>' in html
    assert "157&nbsp;mg" not in html and "157 mg" not in html
    assert "37% of the 420 mg Daily Value" in html
    assert "Vegetables and Vegetable Products" in html
    assert "Public domain" in html  # the source's licence
    assert html.index("Magnesium") < html.index("Protein")


def test_food_page_portion_picker_works_as_a_get_form(client, spinach):
    half_cup = spinach.portions.get(seq=2)
    html = client.get(f"/foods/{spinach.id}/", {"portion": half_cup.id}).content.decode()
    assert "78.3 mg" in html  # 90 g × 87 mg / 100 g, in the table
    assert f'<option value="{half_cup.id}" selected>0.5 cup (90 g)</option>' in html
    html = client.get(f"/foods/{spinach.id}/", {"portion": "100g"}).content.decode()
    assert "Per 100 g" in html and "Per 0.5 cup" not in html


def test_food_page_says_when_magnesium_is_missing(client):
    food = FoodFactory(name="Mystery drink", magnesium_mg_per_100g=None)
    html = client.get(f"/foods/{food.id}/").content.decode()
    assert "No magnesium value" in html
    assert "0&nbsp;mg" not in html


def test_private_food_page_only_for_its_owner(client, user_client, user):
    food = FoodFactory(name="My recipe", owner=user)
    assert client.get(f"/foods/{food.id}/").status_code == 404
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/foods/{food.id}/").status_code == 404
    assert user_client.get(f"/foods/{food.id}/").status_code == 200
    assert client.get("/foods/999999/").status_code == 404


def test_pages_carry_no_inline_script_or_style(client, spinach):
    for url in ("/foods/?q=spinach", f"/foods/{spinach.id}/", "/foods/magnesium-rich/"):
        html = client.get(url).content.decode()
        assert " style=" not in html
        assert "<style" not in html
        assert "<script>" not in html  # every script has a src
        assert "/static/css/foods.css" in html


def test_page_query_counts(client, spinach, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/foods/", {"q": "spinach"})
    with django_assert_max_num_queries(3):
        client.get(f"/foods/{spinach.id}/")
    with django_assert_max_num_queries(3):
        client.get("/foods/magnesium-rich/")


def test_urls():
    assert reverse("foods:search") == "/foods/"
    assert reverse("foods:detail", args=[5]) == "/foods/5/"
    assert reverse("foods:magnesium-rich") == "/foods/magnesium-rich/"
