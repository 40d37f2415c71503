"""Packaged products in the diary's add rows: found by the barcode digits typed (or scanned)
into a meal's search, shown with brand and label serving."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition.foods import search
from tests.foods.factories import BrandedFoodFactory

pytestmark = pytest.mark.django_db
DAY_URL = "/diary/2026-02-03/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bar():
    food = BrandedFoodFactory(
        name="ALMOND & COCONUT BAR",
        brand="KIND",
        barcode="00722252100900",
        serving_size=Decimal("40"),
        household_serving="1 bar",
        magnesium_mg_per_100g=Decimal("125"),
    )
    search.refresh_index()
    return food


@pytest.mark.parametrize("code", ["722252100900", "0722252100900"])
def test_barcode_digits_in_a_meal_search_offer_the_product(user_client, bar, code):
    r = user_client.get(f"{DAY_URL}search/", {"q": code, "meal": "snack"}, **HTMX)
    html = r.content.decode()
    assert f'id="add-snack-{bar.pk}"' in html
    assert "KIND · serving 40 g (1 bar) · 125.0 mg per 100 g" in html
    assert html.count('<li class="result"') == 1


def test_barcode_digits_without_javascript_show_the_row_in_the_meal(user_client, bar):
    html = user_client.get(DAY_URL, {"q": "722252100900", "meal": "breakfast"}).content.decode()
    assert f'id="add-breakfast-{bar.pk}"' in html


def test_an_unknown_code_says_no_food_matches(user_client, bar):
    r = user_client.get(f"{DAY_URL}search/", {"q": "036000291452", "meal": "snack"}, **HTMX)
    assert "No food matches" in r.content.decode()


def test_the_scan_button_is_on_every_add_row_hidden_until_a_camera_api_is_found(user_client):
    html = user_client.get(DAY_URL).content.decode()
    for meal in ("breakfast", "lunch", "dinner", "snack"):
        assert f'data-scan data-scan-target="search-{meal}"' in html
        assert f'id="scan-status-{meal}" data-scan-status role="status"' in html
    assert html.count('aria-expanded="false" hidden>Scan') == 4
    assert 'src="/static/js/barcode.js" defer' in html
    assert "style=" not in html and "<script>" not in html


def test_adding_the_product_by_its_serving_weight(user_client, user, bar):
    r = user_client.post(
        f"{DAY_URL}entries/", {"food": bar.pk, "meal": "snack", "amount": "40", "unit": "g"}
    )
    assert r.status_code == 302
    assert user.diary_entries.get().grams == 40


def test_a_discontinued_product_is_marked_in_the_row(user_client, bar):
    bar.discontinued_on = date(2025, 10, 1)
    bar.save()
    r = user_client.get(f"{DAY_URL}search/", {"q": "722252100900", "meal": "snack"}, **HTMX)
    assert "KIND · serving 40 g (1 bar) · no longer listed · 125.0 mg" in r.content.decode()
