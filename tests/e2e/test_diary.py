"""The diary journey in a browser: search, add by portion, a supplement, the UL warning, trends."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Profile
from nutrition.diary import services
from tests.diary.factories import spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="diary.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1990, 6, 15), timezone="UTC"
    )
    spinach_boiled()
    return user


def test_log_a_day_and_see_trends(page, site, sign_in, person):
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/")
    assert_accessible(page)
    assert "Nothing logged yet" in page.content()

    # Search as you type, then add half a cup with the portion pre-selected.
    search = page.get_by_label("Add to dinner")
    search.fill("spinach")
    result = page.locator("#results-dinner .result").first
    result.wait_for()
    assert "Spinach, cooked, boiled" in result.inner_text()
    assert_accessible(page)
    search.press("Enter")  # Enter in the search box moves to the first result's amount
    amount = result.locator("input.amount")
    assert amount.evaluate("el => el === document.activeElement")
    amount.fill("0.5")
    amount.press("Enter")
    page.locator("#meal-dinner .entry").first.wait_for()
    assert "0.5 cup (90 g)" in page.locator("#meal-dinner").inner_text()
    assert "78.3 mg" in page.locator(".summary").inner_text()
    assert_accessible(page)

    # A supplement product by the salt's weight, then five tablets: above the 350 mg UL.
    page.get_by_label("Product name").fill("Citrate tablets")
    page.get_by_label("Form on the label").select_option("citrate")
    page.get_by_label("Milligrams per tablet, capsule or scoop").fill("500")
    page.get_by_label("The weight of the magnesium salt").check()
    page.get_by_role("button", name="Save product").click()
    page.get_by_label("How many").wait_for()
    page.get_by_label("How many").fill("5")
    page.get_by_role("button", name="Log dose").click()
    page.locator('[data-code="supplement_above_ul"]').wait_for()
    summary = page.locator(".summary").inner_text()
    assert "483.3" in summary and "405.0 mg" in summary  # 78.3 + 405.0 mg
    assert "350 mg upper limit" in page.locator(".warnings").inner_text()
    assert_accessible(page)

    # Edit in place: the row turns into a form; saving updates the totals.
    dinner = page.locator("#meal-dinner")
    dinner.get_by_role("link", name="Edit").click()
    dinner.get_by_label("Amount").wait_for()
    assert_accessible(page)
    dinner.get_by_label("Amount").fill("1")
    dinner.get_by_role("button", name="Save").click()
    page.get_by_text("1 cup (180 g)").wait_for()
    assert "561.6" in page.locator(".summary").inner_text()  # 156.6 + 405.0 mg

    # Works on a small phone without sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the day page scrolls sideways on a 360 px phone"
    assert_accessible(page)

    page.get_by_role("link", name="See your trends").click()
    page.wait_for_load_state()
    assert "Your magnesium over the last 30 days" in page.content()
    assert page.locator("svg.trend-chart title").count() >= 1
    assert_accessible(page)
    page.get_by_role("link", name="7 days").click()
    page.wait_for_load_state()
    assert page.locator("svg.trend-chart .bar-food").count() == 7
    assert_accessible(page)


def test_the_day_works_without_javascript(browser, site, person):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{site}/diary/")
    page.get_by_label("Add to lunch").fill("spinach")
    page.locator("#meal-lunch").get_by_role("button", name="Search").click()
    result = page.locator("#results-lunch .result").first
    result.locator("select.unit").select_option("g")
    result.locator("input.amount").fill("100")
    result.get_by_role("button", name="Add").click()
    assert "87.0 mg" in page.locator("#meal-lunch").inner_text()
    page.locator("#meal-lunch").get_by_text("Edit").click()
    page.locator("#meal-lunch input.amount").first.fill("-5")
    page.locator("#meal-lunch").get_by_role("button", name="Save").click()
    assert "Enter an amount above 0 g." in page.content()
    assert Decimal(person.diary_entries.get().grams) == Decimal("100")
    context.close()


def test_favourite_and_carb_budget_stick(page, site, sign_in, person):
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/")
    gap = page.locator("section.gap")
    assert "Spinach, cooked, boiled" in gap.inner_text()  # the only food, so the only idea

    # A budget of 0 g rules spinach out, and it is still set on another day.
    page.get_by_label("Net carbohydrate budget (g)").fill("0")
    page.get_by_role("button", name="Save budget").click()
    page.get_by_text("Suggestions now stay within 0 g of net carbohydrate.").wait_for()
    assert "No single food fits that carbohydrate budget" in gap.inner_text()
    page.goto(f"{site}/diary/2026-01-01/")
    assert page.get_by_label("Net carbohydrate budget (g)").input_value() == "0"
    assert_accessible(page)

    # Log spinach, star it: it comes first among the quick picks, its star pressed.
    page.get_by_label("Add to lunch").fill("spinach")
    result = page.locator("#results-lunch .result").first
    result.wait_for()
    result.get_by_role("button", name="Add").click()
    page.locator("#meal-lunch .entry").first.wait_for()
    page.locator("#meal-lunch").get_by_role("button", name="Favourite").click()
    star = page.locator("#meal-lunch").get_by_role("button", name="Favourite")
    star.and_(page.locator('[aria-pressed="true"]')).wait_for()
    assert "Spinach, cooked, boiled" in page.locator("section.quick").inner_text()
    assert_accessible(page)

    # A long product name must not push the dose form wider than a small phone.
    services.supplement_create(
        user=person,
        name="Magnesium bisglycinate chelate, buffered, extended-release, 60 capsules",
        form="glycinate",
        elemental_mg_per_unit="100",
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the dose form scrolls sideways on a 360 px phone"
