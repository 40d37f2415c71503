"""Days outside 1900–2100 are refused wherever a request carries one: a 404 for a page
address, a 400 (or a form error) for the API and form posts, with a message saying so, and
nothing saved. 1900-01-01 and 2100-12-31 themselves still work where they make sense."""

from datetime import date

import pytest

from nutrition.clinic.models import ClientNote
from nutrition.diary.models import DiaryEntry
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import DiaryEntryFactory, spinach_boiled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTSIDE = ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"]
RANGE_MESSAGE = "between 1900 and 2100"


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def dietitian(person):
    member = make_dietitian()
    connect(member, person)
    return member


def _signed_in(user, api: bool = False):
    client = HttpsAPIClient() if api else HttpsClient()
    sign_in(client, user)
    return client


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", OUTSIDE)
@pytest.mark.parametrize(
    "route",
    [
        "/diary/{day}/",
        "/diary/{day}/search/?q=spinach&meal=lunch",
        "/clinic/clients/{cid}/?date={day}",
    ],
)
def test_a_page_for_a_day_outside_the_range_is_a_404(person, dietitian, route, day):
    user = dietitian if route.startswith("/clinic/") else person
    response = _signed_in(user).get(route.format(day=day, cid=person.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_first_and_last_day_still_open(person, dietitian, day):
    assert _signed_in(person).get(f"/diary/{day}/").status_code == 200
    page = _signed_in(dietitian).get(f"/clinic/clients/{person.pk}/?date={day}")
    assert page.status_code == 200


@pytest.mark.parametrize("day", OUTSIDE)
def test_the_date_picker_says_what_is_wrong(person, day):
    response = _signed_in(person).get("/diary/", {"date": day})
    assert response.status_code == 200  # today's page, with the message
    assert RANGE_MESSAGE in response.content.decode()


@pytest.mark.parametrize("day", OUTSIDE)
def test_a_favourite_from_a_strange_day_goes_back_to_today(person, day):
    food, _ = spinach_boiled()
    client = _signed_in(person)
    response = client.post(
        f"/diary/favourites/{food.pk}/",
        {"favourite": "1", "day": day},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("day", OUTSIDE)
def test_copying_from_a_day_outside_the_range_is_a_form_error(person, day):
    response = _signed_in(person).post("/diary/2026-02-04/copy/", {"source_day": day})
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.content.decode()
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("day", OUTSIDE)
def test_a_note_about_a_day_outside_the_range_is_a_form_error(person, dietitian, day):
    response = _signed_in(dietitian).post(
        f"/clinic/clients/{person.pk}/notes/", {"text": "Eat more seeds.", "day": day}
    )
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.content.decode()
    assert not ClientNote.objects.exists()


# --- The API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", OUTSIDE)
@pytest.mark.parametrize(
    ("route", "field"),
    [
        ("/api/v1/diary/entries/?date={day}", "date"),
        ("/api/v1/diary/entries/?start={day}", "start"),
        ("/api/v1/diary/entries/?end={day}", "end"),
        ("/api/v1/diary/supplement-intakes/?date={day}", "date"),
        ("/api/v1/diary/days/{day}/", "date"),
        ("/api/v1/diary/summary/?start={day}&end={day}", "start"),
        ("/api/v1/me/targets/?date={day}", "date"),
        ("/api/v1/me/notes/?date={day}", "date"),
    ],
)
def test_diary_api_refuses_a_day_outside_the_range(person, route, field, day):
    response = _signed_in(person, api=True).get(route.format(day=day))
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.json()[field][0]


@pytest.mark.parametrize("day", OUTSIDE)
@pytest.mark.parametrize(
    ("route", "field"),
    [
        ("/api/v1/clinic/clients/{cid}/days/{day}/", "date"),
        ("/api/v1/clinic/clients/{cid}/summary/?start={day}&end={day}", "start"),
    ],
)
def test_clinic_api_refuses_a_day_outside_the_range(person, dietitian, route, field, day):
    response = _signed_in(dietitian, api=True).get(route.format(cid=person.pk, day=day))
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.json()[field][0]


@pytest.mark.parametrize("day", OUTSIDE)
def test_clinic_api_note_about_a_day_outside_the_range_is_400(person, dietitian, day):
    api = _signed_in(dietitian, api=True)
    response = api.post(
        f"/api/v1/clinic/clients/{person.pk}/notes/", {"text": "Hello", "day": day}, format="json"
    )
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.json()["day"][0]
    assert not ClientNote.objects.exists()


@pytest.mark.parametrize("day", OUTSIDE)
def test_diary_api_writes_refuse_a_day_outside_the_range(person, day):
    food, _ = spinach_boiled()
    DiaryEntryFactory(user=person, food=food, date=date(2026, 2, 3))
    api = _signed_in(person, api=True)
    bodies = [
        ("/api/v1/diary/entries/", {"date": day, "meal": "lunch", "food": food.pk, "grams": 10}),
        ("/api/v1/diary/copy/", {"source_date": day, "target_date": "2026-02-04"}),
        ("/api/v1/diary/copy/", {"source_date": "2026-02-03", "target_date": day}),
    ]
    for path, body in bodies:
        response = api.post(path, body, format="json")
        assert response.status_code == 400, (path, body)
    assert DiaryEntry.objects.count() == 1


def test_the_api_reads_the_first_and_last_day(person):
    api = _signed_in(person, api=True)
    assert api.get("/api/v1/diary/days/1900-01-01/").status_code == 200
    assert api.get("/api/v1/diary/days/2100-12-31/").status_code == 200
    summary = api.get("/api/v1/diary/summary/", {"start": "2100-12-01", "end": "2100-12-31"})
    assert summary.status_code == 200
