"""The charts on a 360 px phone: every label at least 12 px tall, no sideways scrolling, no
serious axe findings, and a tap or keyboard focus on a day shows its numbers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.models import Profile
from nutrition.diary import services as diary
from nutrition.health import services as health
from tests.diary.factories import spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}

# For every text of every chart: its box's height and its font size as drawn (the computed
# size times the SVG's scale from its viewBox to the screen).
MEASURE = """
() => [...document.querySelectorAll("svg.trend-chart, svg.health-chart")].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("text")].map((t) => ({
    text: t.textContent.trim(),
    height: t.getBoundingClientRect().height,
    drawn: parseFloat(getComputedStyle(t).fontSize) * scale,
  }));
})
"""


@pytest.fixture
def person(transactional_db):
    """A month of spinach every other day (300 g: 261 mg), 200 mg of supplements today, and
    two fasting glucose results."""
    user = UserFactory(email="charts.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="male", birth_date=date(1970, 1, 20), timezone="UTC"
    )
    food, _ = spinach_boiled()
    today = date.today()
    for offset in range(0, 30, 2):
        diary.diary_entry_create(
            user=user,
            day=today - timedelta(days=offset),
            meal="lunch",
            food_id=food.pk,
            grams=Decimal(300),
        )
    tablet = diary.supplement_create(
        user=user, name="Citrate", form="citrate", elemental_mg_per_unit=Decimal(200)
    )
    diary.supplement_intake_create(user=user, supplement_id=tablet.pk, day=today, units=1)
    for offset, value in ((20, "101"), (1, "96")):
        health.lab_result_create(
            user=user,
            analyte="glucose_fasting",
            value=Decimal(value),
            unit="mg/dL",
            taken_on=today - timedelta(days=offset),
        )
    return user


def _check_phone_page(page) -> None:
    texts = page.evaluate(MEASURE)
    assert texts, f"no chart text on {page.url}"
    small = [t for t in texts if t["height"] < 12 or t["drawn"] < 12]
    assert not small, f"chart text under 12 px on {page.url}: {small[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_trend_charts_read_on_a_phone_and_show_a_days_numbers(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    for days in (7, 30, 90):
        page.goto(f"{site}/diary/trends/?days={days}")
        _check_phone_page(page)

    page.goto(f"{site}/diary/trends/?days=7")
    details = page.locator("[data-chart-details]")
    assert details.is_hidden()
    today = date.today()
    # Keyboard: focus today's bar.
    page.locator(".chart-day").last.focus()
    assert details.is_visible()
    text = details.inner_text()
    assert "Food: 261.0 mg" in text and "Supplements: 200.0 mg (limit 350 mg)" in text
    assert "Total: 461.0 mg of 420 mg" in text
    assert details.get_by_role("link").get_attribute("href") == f"/diary/{today.isoformat()}/"
    # A tap on another day shows that day instead, and stays on the page.
    page.locator(".chart-day").nth(5).click()
    assert page.url.endswith("/diary/trends/?days=7")
    assert "Nothing logged." in details.inner_text()
    assert page.locator(".chart-day.is-current").count() == 1
    assert page.locator("path.limit-line").count() == 1
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_health_record_charts_read_on_a_phone(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/health-record/charts/")
    _check_phone_page(page)
