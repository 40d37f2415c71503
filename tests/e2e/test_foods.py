"""Browser: search as you type, pick a result with the keyboard, read the food page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from nutrition.foods import search
from tests.e2e.conftest import assert_accessible
from tests.foods.factories import (
    DataSourceFactory,
    FoodFactory,
    FoodGroupFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def foods():
    veg = FoodGroupFactory(code="1100", name="Vegetables and Vegetable Products")
    sr28 = DataSourceFactory(slug="usda-sr28")
    spinach = FoodFactory(
        name="Spinach, raw", food_group=veg, data_source=sr28, magnesium_mg_per_100g=79
    )
    FoodNutrientFactory(
        food=spinach, nutrient=NutrientFactory(usda_number="304"), amount_per_100g=79
    )
    PortionFactory(food=spinach, seq=1, amount=Decimal("1"), description="cup", gram_weight=30)
    PortionFactory(food=spinach, seq=2, amount=Decimal("1"), description="bunch", gram_weight=340)
    FoodFactory(name="Spinach souffle", food_group=veg, data_source=sr28)
    FoodFactory(name="Spaghetti, spinach, dry", food_group=veg, data_source=sr28)
    FoodFactory(name="Kale, raw", food_group=veg, data_source=sr28)
    search.refresh_index()
    return spinach


def test_search_as_you_type_and_open_a_food(page, site, foods):
    page.goto(f"{site}/foods/")
    assert_accessible(page)
    box = page.get_by_label("Search foods")
    box.press_sequentially("spin", delay=40)
    results = page.locator("#food-results .food-result")
    expect(results.first).to_contain_text("Spinach, raw")
    expect(results).to_have_count(3)
    expect(page).to_have_url(f"{site}/foods/?q=spin")
    assert_accessible(page)

    box.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Spinach, raw")
    expect(page.locator(".magnesium-card")).to_contain_text("19% of the 420 mg Daily Value")
    page.get_by_label("Portion").select_option(label="1 bunch (340 g)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".magnesium-card")).to_contain_text("268.6")  # 340 g × 79 mg / 100 g
    assert_accessible(page)


def test_search_works_without_javascript(browser, site, foods):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/foods/")
    page.get_by_label("Search foods").fill("kale")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#food-results .food-result").first).to_contain_text("Kale, raw")
    context.close()


def test_rankings_page_is_accessible_at_phone_width(page, site, foods):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site}/foods/magnesium-rich/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foods rich in magnesium")
    expect(page.locator(".ranking-table")).to_contain_text("Spinach, raw")
    assert_accessible(page)
