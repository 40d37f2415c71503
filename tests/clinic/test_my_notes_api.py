"""`GET /api/v1/me/notes/`: a client reads their dietitians' notes through the API."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition.clinic import services
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import as_role
from tests.conftest import HttpsAPIClient, throttle_queries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOTES = "/api/v1/me/notes/"
DAY = date(2026, 2, 3)


@pytest.fixture
def notes(dietitian, client_user, relationship):
    general = services.note_create(dietitian=dietitian, client=client_user, text="Eat seeds")
    today = services.note_create(dietitian=dietitian, client=client_user, text="Good day", day=DAY)
    other = services.note_create(
        dietitian=dietitian, client=client_user, text="Earlier", day=DAY - timedelta(days=3)
    )
    return general, today, other


def _api(user) -> HttpsAPIClient:
    c = HttpsAPIClient()
    sign_in(c, user)
    return c


def test_client_reads_every_note_newest_first(client_user, notes):
    other = notes[2]
    r = _api(client_user).get(NOTES)
    assert r.status_code == 200 and r.json()["count"] == 3
    assert [n["text"] for n in r.json()["results"]] == ["Earlier", "Good day", "Eat seeds"]
    first = r.json()["results"][0]
    assert first == {
        "id": other.pk,
        "day": "2026-01-31",
        "text": "Earlier",
        "author": services.display_name(other.author),
        "created_at": first["created_at"],
    }
    assert first["author"].startswith("Dana Dietitian")


def test_a_day_brings_its_notes_and_the_general_ones(client_user, notes):
    r = _api(client_user).get(NOTES, {"date": DAY.isoformat()})
    assert [n["text"] for n in r.json()["results"]] == ["Good day", "Eat seeds"]


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", ""])
def test_a_bad_date_is_400(client_user, notes, value):
    r = _api(client_user).get(NOTES, {"date": value} if value else {"date": "x"})
    assert r.status_code == 400 and "date" in r.json()


@pytest.mark.parametrize(
    ("role", "status", "count"),
    [
        ("anonymous", 403, None),
        ("client", 200, 3),
        ("stranger", 200, 0),
        ("dietitian_consented", 200, 0),  # they wrote them; these are notes *to* a person
        ("dietitian_without_consent", 200, 0),
        ("staff", 200, 0),
    ],
)
def test_only_the_client_reads_their_notes(dietitian, client_user, notes, role, status, count):
    api = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    r = api.get(NOTES)
    assert r.status_code == status
    if count is not None:
        assert r.json()["count"] == count
    assert ("Eat seeds" in r.content.decode()) == (role == "client")


def test_unverified_person_is_refused(db):
    assert _api(UserFactory(verified=False)).get(NOTES).status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_query_count_is_constant(dietitian, client_user, relationship, n):
    for i in range(n):
        services.note_create(dietitian=dietitian, client=client_user, text=f"Note {i}")
    api = HttpsAPIClient()
    api.force_authenticate(client_user)
    with CaptureQueriesContext(connection) as queries:
        r = api.get(NOTES, {"page_size": 100})
    assert r.status_code == 200 and r.json()["count"] == n
    assert len(queries) == 3 + throttle_queries()  # verified e-mail, count, page
