"""The report from the profile on a 360 px phone: choose a period, download the PDF and the CSV
(the browser receives each as an attachment), and a period the wrong way round is refused."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Profile
from nutrition.transfer import pdf
from tests.diary.factories import DiaryEntryFactory, spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="report.person@example.com", name="Rita Report")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1975, 5, 5), timezone="UTC"
    )
    food, _cup = spinach_boiled()
    DiaryEntryFactory(user=user, date=timezone.now().date() - timedelta(days=3), food=food)
    return user


@pytest.mark.skipif(not pdf.available(), reason=pdf.NEEDS)
def test_download_ones_report_from_the_profile_on_a_phone(page, site, sign_in, person):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/profile/")
    form = page.locator(".report-form")
    today = timezone.now().date()
    assert form.get_by_label("To").input_value() == today.isoformat()
    assert form.get_by_label("From").input_value() == (today - timedelta(days=29)).isoformat()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the profile is {width} px wide on a 360 px phone"
    assert_accessible(page)

    start = today - timedelta(days=6)
    form.get_by_label("From").fill(start.isoformat())
    with page.expect_download() as pdf_download:
        form.get_by_role("button", name="Download the PDF").click()
    name = f"magnesium-report-{start.isoformat()}-to-{today.isoformat()}"
    assert pdf_download.value.suggested_filename == f"{name}.pdf"
    with open(pdf_download.value.path(), "rb") as file:
        text = PdfReader(io.BytesIO(file.read())).pages[0].extract_text()
    assert "Rita Report" in text and "(7 days)" in text

    with page.expect_download() as csv_download:
        form.get_by_role("button", name="Download the CSV").click()
    assert csv_download.value.suggested_filename == f"{name}.csv"

    # The wrong way round: a page that says so, and the way back.
    form.get_by_label("From").fill((today + timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Download the CSV").click()
    page.get_by_text("The start comes after the end.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the form").click()
    page.locator(".report-form").wait_for()
