"""Curating branded products in the admin: found by barcode in any form and by brand,
filtered by data type and listing, verified and edited with their history recorded."""

import datetime

import pytest

from nutrition.foods.models import Food
from tests.foods.factories import BrandedFoodFactory, FoodFactory
from tests.foods.test_admin_foods import CHANGELIST, change_url, form_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(db):
    return {
        "bar": BrandedFoodFactory(
            name="ALMOND & COCONUT BAR", brand="KIND", barcode="00722252100900"
        ),
        "old": BrandedFoodFactory(
            name="PEANUT BAR",
            brand="NATURE VALLEY",
            barcode="00016000275287",
            discontinued_on=datetime.date(2025, 10, 1),
        ),
        "generic": FoodFactory(name="Nuts, almonds", data_type=Food.DataType.SR_LEGACY),
    }


def names(client, query: str) -> list[str]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return sorted(food.name for food in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "code", ["722252100900", "0722252100900", "00722252100900", "0722-2521-00900"]
)
def test_search_by_any_form_of_the_barcode(admin_client, products, code):
    assert names(admin_client, f"?q={code}") == ["ALMOND & COCONUT BAR"]


def test_search_by_brand(admin_client, products):
    assert names(admin_client, "?q=nature+valley") == ["PEANUT BAR"]
    assert names(admin_client, "?q=kind") == ["ALMOND & COCONUT BAR"]


def test_filters_by_data_type_and_listing(admin_client, products):
    assert names(admin_client, "?data_type__exact=branded") == [
        "ALMOND & COCONUT BAR",
        "PEANUT BAR",
    ]
    assert names(admin_client, "?discontinued=yes") == ["PEANUT BAR"]
    assert "PEANUT BAR" not in names(admin_client, "?discontinued=no")


def test_list_shows_brand_and_the_printed_barcode(admin_client, products):
    html = admin_client.get(CHANGELIST + "?data_type__exact=branded").content.decode()
    assert "722252100900</td>" in html and "00722252100900</td>" not in html
    assert "NATURE VALLEY" in html


def test_verifying_a_product_records_history(admin_client, staff_user, products):
    bar = products["bar"]
    response = admin_client.post(
        CHANGELIST, {"action": "mark_verified", "_selected_action": [str(bar.pk)]}
    )
    assert response.status_code == 302
    bar.refresh_from_db()
    assert bar.verified
    record = bar.history.latest()
    assert (record.verified, record.history_user) == (True, staff_user)


def test_editing_a_products_label_keeps_the_barcode_canonical(admin_client, staff_user, products):
    bar = products["bar"]
    data = form_of(admin_client.get(change_url(bar)))
    assert data["barcode"] == "00722252100900"
    data["barcode"] = "0722252100900"  # as a scanner reads it
    data["household_serving"] = "1 bar (40 g)"
    response = admin_client.post(change_url(bar), data)
    assert response.status_code == 302, response.context["errors"]
    bar.refresh_from_db()
    assert (bar.barcode, bar.household_serving) == ("00722252100900", "1 bar (40 g)")
    assert bar.history.latest().history_user == staff_user


def test_a_barcode_that_is_no_barcode_is_refused(admin_client, products):
    bar = products["bar"]
    data = form_of(admin_client.get(change_url(bar)))
    data["barcode"] = "12AB"
    response = admin_client.post(change_url(bar), data)
    assert response.status_code == 200
    assert "Not a barcode" in response.content.decode()
    bar.refresh_from_db()
    assert bar.barcode == "00722252100900"


def test_changelist_query_count_with_products(
    admin_client, products, django_assert_max_num_queries
):
    BrandedFoodFactory.create_batch(20)
    with django_assert_max_num_queries(13):
        assert admin_client.get(CHANGELIST + "?data_type__exact=branded").status_code == 200
