"""Bringing a Cronometer diary over on a 360 px phone: upload, preview (one unmatched name
matched through the row's search box, htmx), commit, the day shows the file's figure, then
undo (confirmed) and the day is empty again."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Profile
from nutrition.diary.models import DiaryEntry
from nutrition.transfer.models import Import, Status
from tests.diary.factories import FoodFactory
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.transfer.helpers import servings

PHONE = {"width": 360, "height": 740}
FILE = servings(
    '2026-03-02,08:10 AM,Breakfast,"Oats, Rolled, Dry",80.00 g,303.2,110.37,Cereal Grains',
    "2026-03-02,,Uncategorized,Zzyzx root with a rather long name to wrap,10.00 g,5,,",
)


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="import.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1980, 4, 9), timezone="UTC"
    )
    return user


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 360 px phone"


def test_upload_preview_commit_and_undo_on_a_phone(page, site, sign_in, person, tmp_path):
    FoodFactory(name="Oats, rolled, dry", magnesium_mg_per_100g=Decimal("138"))
    muesli = FoodFactory(name="Muesli, plain", magnesium_mg_per_100g=Decimal("100"))
    export = tmp_path / "servings.csv"
    export.write_text(FILE, encoding="utf-8")
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)

    page.goto(f"{site}/profile/")
    page.get_by_role("link", name="Import its export").click()
    page.wait_for_url(f"{site}/diary/import/")
    _fits_the_phone(page)
    assert_accessible(page)
    page.get_by_label("The exported file").set_input_files(str(export))
    page.get_by_role("button", name="Read the file").click()
    page.wait_for_url(f"{site}/diary/import/*/")
    assert page.get_by_text("preview: nothing is in your diary yet").is_visible()
    _fits_the_phone(page)
    assert_accessible(page)
    assert not DiaryEntry.objects.filter(user=person).exists()

    # The unmatched root: search the foods in the row (htmx fills its select), choose one.
    batch = Import.objects.get(owner=person)
    row = page.locator("li.import-row", has_text="Zzyzx root")
    assert row.get_by_text("Not matched: left out").is_visible()
    row.get_by_label("Search the foods").fill("muesli")
    row.locator(f'select[name=food] option[value="{muesli.pk}"]').wait_for(state="attached")
    row.locator("select[name=food]").select_option(str(muesli.pk))
    row.get_by_role("button", name="Change").click()
    page.locator("li.import-row", has_text="Matched: Muesli, plain").wait_for()
    assert page.url.endswith(f"/diary/import/{batch.pk}/")  # no page load: htmx swapped it

    page.get_by_role("button", name="Import into my diary").click()
    page.wait_for_load_state()
    assert page.get_by_text("Imported 2 diary entries").is_visible()
    page.goto(f"{site}/diary/2026-03-02/")
    assert page.get_by_text("110.4 mg · imported from Cronometer").is_visible()
    assert page.get_by_text("10.0 mg · estimated (matched by name from Cronometer)").is_visible()
    _fits_the_phone(page)

    page.goto(f"{site}/diary/import/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo the import of servings.csv").click()
    page.wait_for_load_state()
    assert page.get_by_text("The import was undone").is_visible()
    batch.refresh_from_db()
    assert batch.status == Status.UNDONE
    assert not DiaryEntry.objects.filter(user=person).exists()
