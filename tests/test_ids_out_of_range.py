"""Ids beyond what a bigint holds never reach the database: a 404 in an address, a 400 (or a
form error) in a body, never a 500. Checked on SQLite and PostgreSQL alike."""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from nutrition.diary import custom_foods
from nutrition.diary.models import DiaryEntry, FavouriteFood, RecipeIngredient, SupplementIntake
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import DiaryEntryFactory, spinach_boiled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # 20 digits
JUST_TOO_BIG = str(2**63)  # 19 digits, one more than a bigint holds
DAY = date(2026, 2, 3)

PAGES = [
    ("get", "/foods/{id}/"),
    ("get", "/diary/entries/{id}/"),
    ("post", "/diary/entries/{id}/"),
    ("post", "/diary/entries/{id}/delete/"),
    ("post", "/diary/doses/{id}/delete/"),
    ("post", "/diary/favourites/{id}/"),
    ("post", "/diary/supplements/{id}/delete/"),
    ("post", "/diary/foods/{id}/delete/"),
    ("get", "/diary/recipes/{id}/"),
    ("post", "/diary/recipes/{id}/"),
    ("post", "/diary/recipes/ingredients/{id}/delete/"),
    ("post", "/clinic/invitations/{id}/resend/"),
    ("post", "/clinic/invitations/{id}/cancel/"),
    ("post", "/clinic/care-team/{id}/revoke/"),
    ("get", "/clinic/clients/{id}/"),
    ("post", "/clinic/clients/{id}/notes/"),
    ("post", "/clinic/clients/{id}/target/"),
    ("get", "/clinic/clients/{id}/export.csv"),
]

API = [
    ("get", "/api/v1/foods/{id}/"),
    ("get", "/api/v1/diary/entries/{id}/"),
    ("patch", "/api/v1/diary/entries/{id}/"),
    ("delete", "/api/v1/diary/entries/{id}/"),
    ("get", "/api/v1/diary/supplement-intakes/{id}/"),
    ("delete", "/api/v1/diary/supplement-intakes/{id}/"),
    ("delete", "/api/v1/diary/favourites/{id}/"),
    ("get", "/api/v1/supplements/{id}/"),
    ("patch", "/api/v1/supplements/{id}/"),
    ("get", "/api/v1/me/foods/{id}/"),
    ("delete", "/api/v1/me/foods/{id}/"),
    ("get", "/api/v1/me/recipes/{id}/"),
    ("delete", "/api/v1/me/recipes/{id}/"),
    ("post", "/api/v1/me/recipes/{id}/ingredients/"),
    ("delete", "/api/v1/me/recipes/{id}/ingredients/{id}/"),
    ("get", "/api/v1/clinic/clients/{id}/days/2026-02-03/"),
    ("get", "/api/v1/clinic/clients/{id}/summary/?start=2026-02-01&end=2026-02-03"),
    ("get", "/api/v1/clinic/clients/{id}/notes/"),
    ("post", "/api/v1/clinic/clients/{id}/notes/"),
    ("put", "/api/v1/clinic/clients/{id}/target/"),
    ("delete", "/api/v1/me/care-team/{id}/"),
]


@pytest.fixture
def member():
    """A dietitian with two-factor authentication, who keeps a diary of their own too."""
    return make_dietitian()


@pytest.mark.parametrize("huge", [HUGE, JUST_TOO_BIG])
@pytest.mark.parametrize(("method", "route"), PAGES)
def test_page_with_a_huge_id_is_a_404(member, method, route, huge):
    client = HttpsClient()
    sign_in(client, member)
    response = getattr(client, method)(route.format(id=huge))
    assert response.status_code == 404


@pytest.mark.parametrize("huge", [HUGE, JUST_TOO_BIG])
@pytest.mark.parametrize(("method", "route"), API)
def test_api_with_a_huge_id_is_a_404(member, method, route, huge):
    api = HttpsAPIClient()
    sign_in(api, member)
    response = getattr(api, method)(route.format(id=huge), {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("value", [HUGE, "abc", "%C2%84", "1.5"])
def test_an_api_address_no_route_matches_is_a_json_404(member, value):
    api = HttpsAPIClient()
    sign_in(api, member)
    response = api.get(f"/api/v1/diary/entries/{value}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_no_route_matches_is_still_the_404_page(member):
    client = HttpsClient()
    sign_in(client, member)
    response = client.get(f"/diary/entries/{HUGE}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def _bodies(user) -> list[tuple[str, str, dict]]:
    food, _cup = spinach_boiled()
    entry = DiaryEntryFactory(user=user, food=food, date=DAY)
    recipe = custom_foods.recipe_create(user=user, name="Soup", servings=2)
    new_entry = {"date": "2026-02-03", "meal": "lunch"}
    return [
        ("post", "/api/v1/diary/entries/", {**new_entry, "food": HUGE, "grams": 100}),
        ("post", "/api/v1/diary/entries/", {**new_entry, "food": int(HUGE), "grams": 100}),
        ("post", "/api/v1/diary/entries/", {**new_entry, "food": food.pk, "portion": int(HUGE)}),
        ("patch", f"/api/v1/diary/entries/{entry.pk}/", {"food": int(HUGE), "grams": 10}),
        ("patch", f"/api/v1/diary/entries/{entry.pk}/", {"portion": int(JUST_TOO_BIG)}),
        (
            "post",
            "/api/v1/diary/supplement-intakes/",
            {"date": "2026-02-03", "supplement": int(HUGE)},
        ),
        ("post", "/api/v1/diary/favourites/", {"food": int(HUGE)}),
        ("post", "/api/v1/diary/favourites/", {"food": int(JUST_TOO_BIG)}),
        (
            "post",
            f"/api/v1/me/recipes/{recipe.food_id}/ingredients/",
            {"food": int(HUGE), "grams": 10},
        ),
        (
            "post",
            f"/api/v1/me/recipes/{recipe.food_id}/ingredients/",
            {"food": food.pk, "portion": int(HUGE)},
        ),
    ]


def test_api_bodies_with_huge_ids_are_400s_and_save_nothing(member):
    api = HttpsAPIClient()
    sign_in(api, member)
    for method, path, body in _bodies(member):
        response = getattr(api, method)(path, body, format="json")
        assert response.status_code == 400, (method, path, body, response.content)
    assert DiaryEntry.objects.filter(user=member).count() == 1
    assert not FavouriteFood.objects.filter(user=member).exists()
    assert not RecipeIngredient.objects.exists()
    assert not SupplementIntake.objects.exists()


def test_forms_with_huge_ids_are_form_errors(member):
    food, _cup = spinach_boiled()
    entry = DiaryEntryFactory(user=member, food=food, date=DAY)
    recipe = custom_foods.recipe_create(user=member, name="Soup", servings=2)
    client = HttpsClient()
    sign_in(client, member)
    add = "/diary/2026-02-03/entries/"
    posts = [
        (add, {"food": HUGE, "meal": "lunch", "amount": "1", "unit": "g"}),
        (add, {"food": food.pk, "meal": "lunch", "amount": "1", "unit": HUGE}),
        (add, {"food": food.pk, "meal": "lunch", "amount": "1", "unit": JUST_TOO_BIG}),
        (add, {"food": food.pk, "meal": "lunch", "amount": "1", "unit": "²"}),  # isdigit()
        (f"/diary/entries/{entry.pk}/", {"meal": "lunch", "amount": "1", "unit": HUGE}),
        ("/diary/2026-02-03/doses/", {"supplement": HUGE, "units": "1"}),
        (f"/diary/recipes/{recipe.food_id}/", {"food": HUGE, "amount": "1", "unit": "g"}),
        (f"/diary/recipes/{recipe.food_id}/", {"food": food.pk, "amount": "1", "unit": HUGE}),
    ]
    for path, data in posts:
        response = client.post(path, data)
        assert response.status_code == 400, (path, data)
    assert DiaryEntry.objects.filter(user=member).count() == 1
    assert not RecipeIngredient.objects.exists()


def test_clinic_routes_still_work_with_real_ids(member):
    """The converter still lets real ids through."""
    person = UserFactory()
    connect(member, person)
    client = HttpsClient()
    sign_in(client, member)
    assert client.get(f"/clinic/clients/{person.pk}/").status_code == 200
    api = HttpsAPIClient()
    sign_in(api, member)
    assert api.get(f"/api/v1/clinic/clients/{person.pk}/days/2026-02-03/").status_code == 200


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


# An id captured any other way: `<int:…>`, unbounded digits, or a DRF router's default lookup.
_LOOSE_ID = re.compile(r"<int:|\\d\+|\[0-9\]\+|\[\^/\.\]\+")


def test_every_id_in_the_project_urls_is_bounded():
    """Every route of the project's own apps takes ids with the `id` converter or the bounded
    regex: a new route written with `<int:pk>` fails here."""
    own = ("nutrition.", "accounts.", "mgsite.")
    loose = [
        route
        for route, pattern in _routes(get_resolver().url_patterns)
        if pattern.callback.__module__.startswith(own) and _LOOSE_ID.search(route)
    ]
    assert loose == []
