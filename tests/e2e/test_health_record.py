"""The health record on a small phone: enter two results as on the report, see HOMA-IR."""

from datetime import date

import pytest

from accounts.models import Profile
from nutrition.health.models import LabResult
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="health.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1975, 3, 2), timezone="UTC"
    )
    return user


def _no_sideways_scrolling(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways on a 360 px phone"


def _enter(page, analyte: str, value: str, unit: str) -> None:
    page.locator("#id_analyte").select_option(analyte)
    page.locator("#id_value").fill(value)
    page.locator("#id_unit").select_option(f"{analyte}:{unit}")
    page.get_by_role("button", name="Save result").click()
    page.wait_for_load_state()


def test_enter_glucose_and_insulin_and_see_homa_ir_on_a_phone(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/health-record/")
    assert "No markers yet" in page.content()
    _no_sideways_scrolling(page)
    assert_accessible(page)

    # The date defaults to today; both results on the same morning.
    today = page.locator("#id_taken_on").input_value()
    _enter(page, "glucose_fasting", "100", "mg/dL")
    assert "Saved your Fasting glucose" in page.locator(".messages").inner_text()
    _enter(page, "insulin_fasting", "15", "uIU/mL")
    assert page.locator("#id_taken_on").input_value() == today
    assert LabResult.objects.filter(user=person).count() == 2

    homa = page.locator("#marker-homa-ir")
    assert homa.locator(".marker-value").inner_text() == "3.7"
    assert "Fasting glucose 100 mg/dL (5.6 mmol/L)" in homa.inner_text()
    assert "not a diagnosis" in page.locator(".not-a-diagnosis").first.inner_text()
    _no_sideways_scrolling(page)
    assert_accessible(page)

    # A mistake is a form error on the page, and nothing is saved.
    page.locator("#id_analyte").select_option("hba1c")
    page.locator("#id_value").fill("6.1")
    page.locator("#id_unit").select_option("glucose_fasting:mg/dL")
    page.get_by_role("button", name="Save result").click()
    page.wait_for_load_state()
    assert "HbA1c is given in mmol/mol, %." in page.locator(".field-invalid").inner_text()
    assert LabResult.objects.filter(user=person).count() == 2
    _no_sideways_scrolling(page)
    assert_accessible(page)

    page.get_by_role("link", name="Charts", exact=True).click()
    page.wait_for_load_state()
    assert page.locator('[data-series="homa_ir"] circle.point').count() == 1
    assert "Timing, not cause." in page.content()
    _no_sideways_scrolling(page)
    assert_accessible(page)
    page.locator('[data-series="glucose_fasting"]').locator("..").locator("summary").click()
    _no_sideways_scrolling(page)
    assert_accessible(page)

    # A kidney result under 60 reaches the diary: the dose form says so before a dose.
    page.goto(f"{site}/health-record/")
    _enter(page, "egfr", "45", "mL/min/1.73m2")
    assert page.locator("#marker-egfr").is_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page)
    page.goto(f"{site}/diary/")
    page.wait_for_load_state()
    caution = page.locator("#supplement-caution")
    assert caution.get_attribute("data-code") == "low_egfr_supplement"
    assert "eGFR" in caution.inner_text()
    _no_sideways_scrolling(page)
    assert_accessible(page)
