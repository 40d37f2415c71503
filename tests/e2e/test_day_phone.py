"""Logging on a small phone: a mistake is shown where it was made, an add does not move the
page, and Undo takes it back."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Profile
from nutrition.diary import services
from nutrition.diary.models import DiaryEntry
from nutrition.foods.models import Food
from tests.diary.factories import spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="day.phone@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1980, 4, 9), timezone="UTC"
    )
    spinach_boiled()
    return user


def _no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 360 px phone"


def _in_view(locator) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
    )


def _search_dinner(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/")
    search = page.get_by_label("Add to dinner")
    search.fill("spinach")
    row = page.locator("#results-dinner .result").first
    row.wait_for()
    return search, row


def test_a_mistake_is_shown_beside_the_field_with_the_search_kept(page, site, sign_in, person):
    search, row = _search_dinner(page, site, sign_in, person)
    amount = row.locator("input.amount")
    amount.fill("lots")
    row.get_by_role("button", name="Add").click()
    error = page.locator("#results-dinner .add-error")
    error.wait_for()
    assert "Enter a number" in error.inner_text()
    assert _in_view(error), "the error is outside the screen"
    assert search.input_value() == "spinach"
    row = page.locator("#results-dinner .result").first
    assert row.locator("input.amount").input_value() == "lots"
    assert row.locator("input.amount").get_attribute("aria-invalid") == "true"
    # The cursor is back in the amount, ready for the correction.
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg="amount-dinner-" + row.locator("input[name=food]").input_value(),
    )
    assert not DiaryEntry.objects.exists()
    _no_sideways_scrolling(page)
    assert_accessible(page)


def test_add_then_undo_without_the_page_moving(page, site, sign_in, person):
    _, row = _search_dinner(page, site, sign_in, person)
    row.locator("input.amount").fill("0.5")
    row.get_by_role("button", name="Add").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 0  # dinner is well down the page on a phone
    row.get_by_role("button", name="Add").click()

    entry = page.locator("#meal-dinner .entry.entry-new")
    entry.wait_for()
    assert "0.5 cup (90 g)" in entry.inner_text()
    assert "78.3" in page.locator(".summary .total-number").inner_text()
    assert abs(page.evaluate("window.scrollY") - before) <= 3
    status = page.locator("#day-status")
    assert "Added Spinach" in status.inner_text()
    assert _in_view(status)
    assert DiaryEntry.objects.count() == 1
    _no_sideways_scrolling(page)
    assert_accessible(page)

    status.get_by_role("button", name="Undo").click()
    page.locator("#day-status", has_text="Undone").wait_for()
    assert page.locator("#meal-dinner .entry").count() == 0
    assert page.locator(".summary .total-number").inner_text() == "0.0"
    assert abs(page.evaluate("window.scrollY") - before) <= 3
    assert page.get_by_label("Add to dinner").input_value() == "spinach"
    assert not DiaryEntry.objects.exists()
    _no_sideways_scrolling(page)
    assert_accessible(page)


def test_delete_then_undo_brings_the_entry_back(page, site, sign_in, person):
    food = Food.objects.get(name__startswith="Spinach")
    today = date.today()
    entry = services.diary_entry_create(
        user=person, day=today, meal="lunch", food_id=food.pk, grams=Decimal("90")
    )
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/{today.isoformat()}/")
    row = page.locator(f"#entry-{entry.pk}")
    row.get_by_role("button", name="Delete").click()
    status = page.locator("#day-status", has_text="Removed Spinach")
    status.wait_for()
    assert page.locator(f"#entry-{entry.pk}").count() == 0
    # The cursor waits on the Undo, the one thing likely wanted next.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.dataset.undo !== undefined"
    )
    page.keyboard.press("Enter")
    page.locator(f"#entry-{entry.pk}.entry-new").wait_for()
    assert DiaryEntry.objects.get().pk == entry.pk
    assert "78.3" in page.locator(".summary .total-number").inner_text()
    _no_sideways_scrolling(page)
    assert_accessible(page)
