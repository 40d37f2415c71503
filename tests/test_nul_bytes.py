"""A NUL (or another control character) in anything a person sends never reaches a query:
PostgreSQL refuses NUL in text, which would be a 500. Searches drop control characters;
form fields and JSON strings refuse NUL with a 400 (or a form error) naming the field.
Run on PostgreSQL to make these mean something; on SQLite they check the answers."""

import pytest

from accounts.models import Profile
from mgsite.text import clean_query
from nutrition.clinic.models import ClientNote, Invitation
from nutrition.diary.models import Supplement
from nutrition.foods.models import Food
from nutrition.foods.search import search_foods
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import spinach_boiled
from tests.factories import UserFactory
from tests.test_access import all_routes

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def member(person):
    """A dietitian with two-factor authentication and one consenting client."""
    dietitian = make_dietitian()
    connect(dietitian, person)
    return dietitian


def _signed_in(user, api: bool = False):
    return sign_in(HttpsAPIClient() if api else HttpsClient(), user)


def test_clean_query_drops_control_characters():
    assert clean_query("spin\x00ach\x07") == "spinach"
    assert clean_query("red\twine\n") == "red wine "
    assert clean_query("a" * 500) == "a" * 200
    assert clean_query(None) == ""


def test_food_search_ignores_control_characters(spinach):
    food, _ = spinach
    assert search_foods("spin\x00ach") == search_foods("spinach") == [food]
    assert search_foods(NUL) == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/foods/", {"q": NUL}),
        ("/foods/", {"q": f"spin{NUL}ach"}),
        ("/api/v1/foods/", {"search": f"a{NUL}b"}),
        ("/diary/2026-02-03/", {"q": f"a{NUL}b", "meal": "lunch"}),
        ("/diary/2026-02-03/search/", {"q": f"a{NUL}b", "meal": "lunch"}),
        ("/articles/", {"q": f"a{NUL}b"}),
        ("/articles/", {"category": f"a{NUL}b"}),
        ("/articles/", {"tag": f"a{NUL}b"}),
        ("/api/v1/articles/", {"search": f"a{NUL}b"}),
        ("/api/v1/articles/", {"category": f"a{NUL}b"}),
        ("/api/v1/articles/", {"tag": f"a{NUL}b"}),
    ],
)
def test_searches_with_a_nul_answer(person, spinach, path, params):
    headers = {"HX-Request": "true"} if path.endswith("/search/") else {}
    response = _signed_in(person, api=path.startswith("/api/")).get(path, params, headers=headers)
    assert response.status_code in (200, 400, 404)


# Every query parameter name the code reads (`request.GET`, `query_params`).
PARAMETERS = [
    "carbs", "category", "date", "days", "end", "group", "meal", "ordering", "page",
    "portion", "q", "search", "sort", "source", "source_id", "start", "tag",
]  # fmt: skip


def test_every_page_survives_nul_in_its_parameters(person, member):
    """Each address of the site, with every query parameter the code reads set to a NUL:
    an answer, never a 500."""
    query = {name: f"x{NUL}" for name in PARAMETERS}
    paths = {route.path for route in all_routes()}
    pages, api = _signed_in(member), _signed_in(member, api=True)
    for path in sorted(paths):
        if path.startswith("/admin/") or "logout" in path:
            continue
        path = path.replace("/clients/1/", f"/clients/{person.pk}/")
        response = (api if path.startswith("/api/") else pages).get(path, query)
        assert response.status_code < 500, path


# --- Forms ----------------------------------------------------------------------------------------


def test_form_fields_refuse_a_nul(person, member):
    pages = _signed_in(person)
    posts = [
        (
            "/diary/supplements/",
            {"name": f"Mag{NUL}", "form": "citrate", "amount": "100", "amount_kind": "elemental"},
        ),
        (
            "/diary/foods/",
            {"add_food": "1", "name": f"Bar{NUL}", "serving_grams": "40", "magnesium": "10"},
        ),
        ("/diary/foods/", {"add_recipe": "1", "name": f"Soup{NUL}", "servings": "2"}),
        ("/profile/", {"timezone": f"Europe/Berlin{NUL}", "units": "metric"}),
    ]
    for path, data in posts:
        assert pages.post(path, data).status_code == 400, path
    clinic = _signed_in(member)
    note = clinic.post(f"/clinic/clients/{person.pk}/notes/", {"text": f"Hi{NUL}"})
    assert note.status_code == 400
    invite = clinic.post("/clinic/invitations/", {"client_email": f"a{NUL}@example.com"})
    assert invite.status_code == 400
    assert not Supplement.objects.exists() and not ClientNote.objects.exists()
    assert not Food.objects.filter(own_food__user=person).exists()
    assert not Invitation.objects.exists()
    assert Profile.objects.get(user=person).timezone != f"Europe/Berlin{NUL}"


# --- JSON -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/supplements/", {"name": f"M{NUL}", "form": "citrate"}, "name"),
        (
            "post",
            "/api/v1/me/foods/",
            {"name": f"B{NUL}", "serving_grams": 40, "magnesium": 10},
            "name",
        ),
        ("post", "/api/v1/me/recipes/", {"name": f"S{NUL}", "servings": 2}, "name"),
        ("patch", "/api/v1/me/profile/", {"timezone": f"UTC{NUL}"}, "timezone"),
        (
            "post",
            "/api/v1/diary/copy/",
            {"source_date": f"2026-02-03{NUL}", "target_date": "2026-02-04"},
            "source_date",
        ),
        ("post", "/api/v1/me/care-team/accept/", {"token": f"abc{NUL}"}, "token"),
        ("get", "/api/v1/diary/entries/", {"date": f"2026-02-03{NUL}"}, "date"),
    ],
)
def test_json_strings_with_a_nul_are_400s(person, method, path, body, field):
    api = _signed_in(person, api=True)
    response = (
        api.get(path, body) if method == "get" else getattr(api, method)(path, body, format="json")
    )
    assert response.status_code == 400
    assert field in response.json()


def test_clinic_json_with_a_nul_is_400(person, member):
    api = _signed_in(member, api=True)
    note = api.post(
        f"/api/v1/clinic/clients/{person.pk}/notes/", {"text": f"Hi{NUL}"}, format="json"
    )
    assert note.status_code == 400 and "text" in note.json()
    invite = api.post(
        "/api/v1/clinic/invitations/", {"client_email": f"a{NUL}@example.com"}, format="json"
    )
    assert invite.status_code == 400 and "client_email" in invite.json()
    assert not ClientNote.objects.exists() and not Invitation.objects.exists()


@pytest.fixture
def spinach(db):
    return spinach_boiled()
