"""Copying yesterday on a 360 px phone: copied once, asked before a second copy, declined
(nothing added), then confirmed (added again). And one tap on the starter supplements."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Profile
from nutrition.diary import services
from nutrition.diary.models import DiaryEntry, Supplement, SupplementIntake
from tests.diary.factories import spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="copy.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1980, 4, 9), timezone="UTC"
    )
    return user


@pytest.fixture
def yesterday(person) -> date:
    """Yesterday's breakfast and lunch, and a dose (UTC is the person's zone)."""
    day = timezone.now().date() - timedelta(days=1)
    food, _cup = spinach_boiled()
    for meal in ("breakfast", "lunch"):
        services.diary_entry_create(user=person, day=day, meal=meal, food_id=food.pk, grams="90")
    supplement = services.supplement_create(
        user=person, name="Evening tablets", form="glycinate", elemental_mg_per_unit="100"
    )
    services.supplement_intake_create(user=person, day=day, supplement_id=supplement.pk)
    return day


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 360 px phone"


def _today(person) -> tuple[int, int]:
    today = timezone.now().date()
    return (
        DiaryEntry.objects.filter(user=person, date=today).count(),
        SupplementIntake.objects.filter(user=person, date=today).count(),
    )


def _copy(page) -> None:
    copy = page.locator("#copy")
    copy.get_by_label("Include supplements").check()
    copy.get_by_role("button", name="Copy to this day").click()


def test_copy_yesterday_then_ask_before_copying_again(page, site, sign_in, person, yesterday):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/")
    copy = page.locator("#copy")
    assert copy.get_by_label("Day to copy from").input_value() == yesterday.isoformat()
    _fits_the_phone(page)
    assert_accessible(page)

    _copy(page)
    page.get_by_text("Copied 2 entries and 1 supplement dose").wait_for()
    assert _today(person) == (2, 1)
    _fits_the_phone(page)

    # The same again: the page asks instead of copying.
    _copy(page)
    question = page.locator(".copy-ask")
    question.wait_for()
    assert "You copied this already on" in question.inner_text()
    assert "copy again?" in question.inner_text()
    assert _today(person) == (2, 1)
    _fits_the_phone(page)
    assert_accessible(page)

    # No: nothing is added, and the question is gone.
    question.get_by_role("link", name="No, keep this day as it is").click()
    page.locator(".copy-ask").wait_for(state="detached")
    assert _today(person) == (2, 1)

    # Asked again, and yes: the day gets the copy once more.
    _copy(page)
    page.locator(".copy-ask").get_by_role("button", name="Yes, copy again").click()
    page.get_by_text("Copied 2 entries and 1 supplement dose").wait_for()
    page.locator(".copy-ask").wait_for(state="detached")
    assert _today(person) == (4, 2)
    _fits_the_phone(page)
    assert_accessible(page)


def test_one_tap_on_a_common_supplement_on_a_phone(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/supplements/")
    assert "Magnesium glycinate 500 mg (≈ 70.5 mg elemental) per capsule" in page.content()
    _fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Add Magnesium glycinate 500 mg").click()
    page.get_by_text("Saved Magnesium glycinate 500 mg: 70.5 mg of magnesium per unit.").wait_for()
    supplement = Supplement.objects.get(user=person)
    assert supplement.elemental_mg_per_unit == Decimal("70.5")
    _fits_the_phone(page)
    assert_accessible(page)
