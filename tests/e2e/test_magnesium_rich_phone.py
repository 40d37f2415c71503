"""The magnesium-rich rankings on a 360 px phone: no sideways scrolling, every measure
readable, "show all foods" works without JavaScript, axe finds nothing serious."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.foods.factories import FoodFactory, FoodGroupFactory, PortionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def foods():
    seeds = FoodGroupFactory(code="1200", name="Nut and Seed Products")
    spices = FoodGroupFactory(code="0200", name="Spices and Herbs")
    legumes = FoodGroupFactory(code="1600", name="Legumes and Legume Products")
    rows = [
        ("Seeds, pumpkin and squash seed kernels, roasted, without salt", seeds, 550),
        ("Beans, black turtle, mature seeds, cooked, boiled, without salt", legumes, 49),
        ("Spices, coriander leaf, dried", spices, 694),
    ]
    for name, group, mg in rows:
        food = FoodFactory(
            name=name,
            food_group=group,
            magnesium_mg_per_100g=mg,
            energy_kcal_per_100g=Decimal(300),
            net_carbs_g_per_100g=Decimal(10),
        )
        PortionFactory(
            food=food, seq=1, amount=Decimal("0.5"), description="cup, seeds", gram_weight=64
        )


def _no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 360 px phone"


def _fits_and_accessible(browser, url: str) -> None:
    """axe needs the page's own timers, which never fire with JavaScript off (its promise
    would wait for ever), so the layout and axe checks look at the same URL with it on."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(url)
        _no_sideways_scrolling(page)
        assert_accessible(page)
    finally:
        context.close()


def test_rankings_fit_a_phone_and_show_all_works_without_js(browser, site, foods):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site}/foods/magnesium-rich/?sort=per_portion")
    table = page.locator(".ranking-table")
    expect(table).to_contain_text("Seeds, pumpkin")
    expect(table).not_to_contain_text("Spices, coriander")
    expect(table).to_contain_text("Mg per 100 kcal")  # each measure labelled on the card
    _no_sideways_scrolling(page)
    _fits_and_accessible(browser, page.url)

    page.get_by_role("link", name="Show all foods").click()
    page.wait_for_load_state()
    assert "all=1" in page.url and "sort=per_portion" in page.url
    expect(table).to_contain_text("Spices, coriander leaf, dried")
    _no_sideways_scrolling(page)

    # The checkbox in the filter form does the same and keeps the other filters.
    page.goto(f"{site}/foods/magnesium-rich/?sort=per_100kcal")
    page.get_by_label("Show all foods, with spices, brans, flours and supplements").check()
    page.get_by_role("button", name="Show foods").click()
    page.wait_for_load_state()
    assert "all=1" in page.url and "sort=per_100kcal" in page.url
    expect(table).to_contain_text("Spices, coriander leaf, dried")
    _no_sideways_scrolling(page)
    url = page.url
    context.close()
    _fits_and_accessible(browser, url)
