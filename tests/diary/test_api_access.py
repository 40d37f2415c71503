"""Role matrix for the diary API: anonymous, unverified, owner, other user, staff."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import HttpsAPIClient
from tests.diary.factories import DiaryEntryFactory, SupplementFactory, SupplementIntakeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(user):
    return {
        "entry": DiaryEntryFactory(user=user),
        "supplement": SupplementFactory(user=user),
        "intake": SupplementIntakeFactory(supplement__user=user),
    }


def _client(role, user) -> APIClient:
    c = HttpsAPIClient()
    if role == "owner":
        c.force_authenticate(user)
    elif role == "other":
        c.force_authenticate(UserFactory())
    elif role == "staff":
        c.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    elif role == "unverified":
        c.force_authenticate(UserFactory(verified=False))
    return c


DETAIL = {
    "entry": "/api/v1/diary/entries/{}/",
    "supplement": "/api/v1/supplements/{}/",
    "intake": "/api/v1/diary/supplement-intakes/{}/",
}
EXPECTED = {"owner": 200, "other": 404, "staff": 404, "unverified": 403, "anonymous": 403}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("kind", list(DETAIL))
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_detail_matrix(user, objects, role, kind, method):
    c = _client(role, user)
    url = DETAIL[kind].format(objects[kind].pk)
    r = getattr(c, method)(url, {}) if method == "patch" else getattr(c, method)(url)
    expected = EXPECTED[role]
    if role == "owner" and method == "delete":
        expected = 204
    assert r.status_code == expected
    if role != "owner":
        assert type(objects[kind]).objects.filter(pk=objects[kind].pk).exists()


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/diary/entries/",
        "/api/v1/supplements/",
        "/api/v1/diary/supplement-intakes/",
        "/api/v1/diary/days/2026-02-03/",
        "/api/v1/diary/summary/?start=2026-02-01&end=2026-02-07",
        "/api/v1/me/targets/",
    ],
)
def test_lists_never_show_foreign_rows(user, objects, role, url):
    r = _client(role, user).get(url)
    if role in ("unverified", "anonymous"):
        assert r.status_code == 403
        return
    assert r.status_code == 200
    body = r.json()
    if "results" in body:
        assert (len(body["results"]) > 0) == (role == "owner")


def test_session_writes_need_csrf(user):
    c = HttpsAPIClient(enforce_csrf_checks=True)
    c.force_login(user)
    r = c.post("/api/v1/supplements/", {"name": "X", "form": "oxide", "elemental_mg_per_unit": 1})
    assert r.status_code == 403


def test_api_responses_are_not_stored(user_api):
    r = user_api.get("/api/v1/diary/days/2026-02-03/")
    assert "no-store" in r["Cache-Control"]
