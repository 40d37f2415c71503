"""The starter list of common products: each form at a usual strength, its elemental
magnesium worked out from the form's share (never typed twice), added in one tap on the
supplements page and through the API."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from nutrition import reference
from nutrition.diary.models import Supplement
from nutrition.reference import ELEMENTAL_PERCENT, STARTER_SUPPLEMENTS, STARTERS_BY_CODE
from tests.diary.factories import SupplementFactory

PAGE = "/diary/supplements/"
API = "/api/v1/supplements/"
STARTERS = "/api/v1/supplements/starters/"

NAMED_FORMS = {
    "glycinate",
    "citrate",
    "oxide",
    "malate",
    "chloride",
    "taurate",
    "threonate",
    "sulfate",
}


def _expected(form: str, compound_mg: int) -> Decimal:
    """The form's percentage from the table, applied by hand."""
    percent = ELEMENTAL_PERCENT[form][0]
    exact = Decimal(compound_mg) * percent / 100
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- The data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("starter", STARTER_SUPPLEMENTS, ids=lambda s: s.code)
def test_each_starter_states_the_elemental_amount_of_its_form(starter):
    assert starter.form in ELEMENTAL_PERCENT
    assert starter.elemental_mg == _expected(starter.form, starter.compound_mg)
    assert starter.elemental_mg == reference.elemental_mg(starter.form, starter.compound_mg)
    elemental = f"{starter.elemental_mg:f}".rstrip("0").rstrip(".")
    assert f"(≈ {elemental} mg elemental) per {starter.unit}" in starter.label
    assert starter.label.startswith(starter.name)
    assert len(starter.name) <= 120


def test_the_usual_products_are_there():
    assert {s.form for s in STARTER_SUPPLEMENTS} >= NAMED_FORMS
    glycinate = STARTERS_BY_CODE["glycinate-500"]
    assert glycinate.label == "Magnesium glycinate 500 mg (≈ 70.5 mg elemental) per capsule"
    assert STARTERS_BY_CODE["citrate-500"].elemental_mg == Decimal("81.0")
    assert STARTERS_BY_CODE["chloride-535"].elemental_mg == Decimal("64.2")
    assert len(STARTERS_BY_CODE) == len(STARTER_SUPPLEMENTS)  # codes are unique
    assert "not a recommendation" in reference.STARTER_SOURCE


# --- The page -------------------------------------------------------------------------------------


def test_the_page_lists_the_starters_with_one_button_each(user_client):
    html = user_client.get(PAGE).content.decode()
    assert "Add a common product" in html
    for starter in STARTER_SUPPLEMENTS:
        assert starter.label in html
        assert f'name="starter" value="{starter.code}"' in html
    assert "not a recommendation" in html


def test_one_tap_adds_the_product_with_its_computed_magnesium(user_client, user):
    r = user_client.post(PAGE, {"starter": "citrate-500"}, follow=True)
    assert r.status_code == 200
    assert "Saved Magnesium citrate 500 mg: 81 mg of magnesium per unit." in r.content.decode()
    supplement = Supplement.objects.get(user=user)
    assert supplement.name == "Magnesium citrate 500 mg" and supplement.form == "citrate"
    assert supplement.compound_mg_per_unit == Decimal("500.0")
    assert supplement.elemental_mg_per_unit == Decimal("81.0")


def test_a_second_tap_adds_no_second_product(user_client, user):
    user_client.post(PAGE, {"starter": "glycinate-500"})
    r = user_client.post(PAGE, {"starter": "glycinate-500"}, follow=True)
    assert "Magnesium glycinate 500 mg is on your list already." in r.content.decode()
    assert Supplement.objects.filter(user=user).count() == 1


def test_a_product_removed_from_the_list_can_be_added_again(user_client, user):
    user_client.post(PAGE, {"starter": "oxide-400"})
    Supplement.objects.filter(user=user).update(archived=True)
    user_client.post(PAGE, {"starter": "oxide-400"})
    assert Supplement.objects.filter(user=user, archived=False).count() == 1


@pytest.mark.parametrize("code", ["", "unobtanium-1", "citrate-500 ", "citrate-5000"])
def test_an_unknown_starter_adds_nothing(user_client, user, code):
    r = user_client.post(PAGE, {"starter": code}, follow=True)
    assert "Choose one of the listed products." in r.content.decode()
    assert not Supplement.objects.filter(user=user).exists()


def test_another_persons_product_does_not_count_as_yours(user_client, user, other_user):
    SupplementFactory(
        user=other_user,
        name="Magnesium citrate 500 mg",
        form="citrate",
        compound_mg_per_unit=Decimal("500.0"),
    )
    user_client.post(PAGE, {"starter": "citrate-500"})
    assert Supplement.objects.filter(user=user).count() == 1


# --- The API --------------------------------------------------------------------------------------


def test_the_api_lists_the_starters(user_api):
    r = user_api.get(STARTERS)
    assert r.status_code == 200
    rows = {row["code"]: row for row in r.json()}
    assert rows.keys() == STARTERS_BY_CODE.keys()
    glycinate = rows["glycinate-500"]
    assert glycinate["elemental_mg_per_unit"] == 70.5
    assert glycinate["compound_mg_per_unit"] == 500
    assert glycinate["form"] == "glycinate" and glycinate["unit"] == "capsule"


def test_the_api_needs_a_signed_in_person(api_client):
    assert api_client.get(STARTERS).status_code in (401, 403)


def test_the_api_adds_a_starter_once(user_api, user):
    r = user_api.post(API, {"starter": "malate-500"}, format="json")
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "Magnesium malate 500 mg"
    assert body["elemental_mg_per_unit"] == 77.5 and body["compound_mg_per_unit"] == 500
    again = user_api.post(API, {"starter": "malate-500"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Supplement.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starter": "nope"}, "starter"),
        ({"starter": "citrate-500", "name": "Mine"}, "name"),
        ({"starter": "citrate-500", "elemental_mg_per_unit": 10}, "elemental_mg_per_unit"),
        ({"name": "Mine"}, "form"),
        ({"form": "citrate", "elemental_mg_per_unit": 10}, "name"),
    ],
)
def test_the_api_refuses_a_mixed_or_unknown_starter(user_api, user, body, field):
    r = user_api.post(API, body, format="json")
    assert r.status_code == 400 and field in r.json()
    assert not Supplement.objects.filter(user=user).exists()


def test_a_starter_is_only_for_adding(user_api, user):
    supplement = SupplementFactory(user=user)
    r = user_api.patch(f"{API}{supplement.pk}/", {"starter": "citrate-500"}, format="json")
    assert r.status_code == 400 and "starter" in r.json()
    # An ordinary change still works without name and form.
    assert user_api.patch(f"{API}{supplement.pk}/", {"name": "Renamed"}).status_code == 200


def test_the_schema_documents_the_starters(user_api):
    schema = user_api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/supplements/starters/" in schema["paths"]
    create = schema["paths"]["/api/v1/supplements/"]["post"]
    assert "`starter`" in create["description"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "glycinate-500" in str(fields["starter"])
