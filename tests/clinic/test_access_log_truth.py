"""The client's access log tells what happened: a refused change is logged as the view it was,
a change only when the value changed, one row per request; and the board, which reads every
client's last 14 days, is logged too (once a day per client and dietitian)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from nutrition.clinic.models import AccessLog, PersonalTarget
from nutrition.clinic.services import BOARD_VIEW, CLIENT_PAGE
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGED = "personal target (changed it)"
NOT_CHANGED = "personal target (not changed)"


def logged(client_user) -> list[str]:
    return list(AccessLog.objects.filter(client=client_user).values_list("what", flat=True))


def page_as(dietitian) -> HttpsClient:
    return sign_in(HttpsClient(), dietitian)


def api_as(dietitian) -> HttpsAPIClient:
    return sign_in(HttpsAPIClient(), dietitian)


def set_target(client_user, dietitian, mg: str) -> PersonalTarget:
    return PersonalTarget.objects.create(
        client=client_user,
        magnesium_mg=Decimal(mg),
        set_by=dietitian,
        set_at=timezone.now() - timedelta(days=30),
    )


# --- Personal targets and notes: what the request did -------------------------------------------


def test_page_refused_target_is_logged_as_a_view_of_the_page(dietitian, client_user, relationship):
    url = f"/clinic/clients/{client_user.pk}/target/"
    assert page_as(dietitian).post(url, {"magnesium_mg": "10"}).status_code == 400
    assert logged(client_user) == [CLIENT_PAGE]
    assert not PersonalTarget.objects.filter(client=client_user).exists()


def test_page_same_target_is_not_a_change(dietitian, client_user, relationship):
    before = set_target(client_user, dietitian, "320")
    url = f"/clinic/clients/{client_user.pk}/target/"
    assert page_as(dietitian).post(url, {"magnesium_mg": "320"}).status_code == 302
    assert logged(client_user) == [NOT_CHANGED]
    after = PersonalTarget.objects.get(client=client_user)
    assert after.set_at == before.set_at


def test_page_changed_target_is_logged_once_as_a_change(dietitian, client_user, relationship):
    url = f"/clinic/clients/{client_user.pk}/target/"
    assert page_as(dietitian).post(url, {"magnesium_mg": "330"}).status_code == 302
    assert logged(client_user) == [CHANGED]


def test_api_refused_and_same_targets_are_not_changes(dietitian, client_user, relationship):
    set_target(client_user, dietitian, "320")
    api = api_as(dietitian)
    url = f"/api/v1/clinic/clients/{client_user.pk}/target/"
    assert api.put(url, {"magnesium_mg": 49}).status_code == 400  # below the service's range
    assert logged(client_user) == [NOT_CHANGED]
    assert api.put(url, {"magnesium_mg": 320}).status_code == 200
    assert logged(client_user) == [NOT_CHANGED, NOT_CHANGED]
    assert api.put(url, {"magnesium_mg": 300}).json() == {"magnesium_mg": 300.0}
    assert logged(client_user) == [CHANGED, NOT_CHANGED, NOT_CHANGED]  # newest first
    assert api.put(url, {"magnesium_mg": None}).status_code == 200
    assert api.put(url, {"magnesium_mg": None}).status_code == 200  # nothing left to clear
    assert logged(client_user)[:2] == [NOT_CHANGED, CHANGED]


def test_page_refused_note_is_logged_as_a_view_of_the_page(dietitian, client_user, relationship):
    page = page_as(dietitian)
    url = f"/clinic/clients/{client_user.pk}/notes/"
    assert page.post(url, {"text": "   "}).status_code == 400
    assert logged(client_user) == [CLIENT_PAGE]
    assert page.post(url, {"text": "Well done this week"}).status_code == 302
    assert logged(client_user) == ["notes (added one)", CLIENT_PAGE]


# --- The board ------------------------------------------------------------------------------------


def test_the_board_logs_each_client_once_a_day(dietitian, client_user, relationship):
    other = UserFactory()
    connect(dietitian, other)
    stranger = UserFactory()  # not this dietitian's client
    connect(make_dietitian(), stranger)
    page, api = page_as(dietitian), api_as(dietitian)

    assert page.get("/clinic/").status_code == 200
    assert logged(client_user) == [BOARD_VIEW] and logged(other) == [BOARD_VIEW]
    row = AccessLog.objects.get(client=client_user)
    assert row.dietitian == dietitian and dietitian.email in row.who
    assert api.get("/api/v1/clinic/clients/").status_code == 200
    assert page.get("/clinic/?sort=-average").status_code == 200
    assert logged(client_user) == [BOARD_VIEW]  # the same day: already logged
    assert logged(stranger) == []

    with freeze_time(timezone.now() + timedelta(days=1)):
        assert api.get("/api/v1/clinic/clients/").status_code == 200
    assert logged(client_user) == [BOARD_VIEW, BOARD_VIEW]


def test_each_dietitian_board_is_logged_for_a_shared_client(dietitian, client_user, relationship):
    colleague = make_dietitian()
    connect(colleague, client_user)
    page_as(dietitian).get("/clinic/")
    page_as(colleague).get("/clinic/")
    who = set(AccessLog.objects.filter(client=client_user).values_list("dietitian", flat=True))
    assert who == {dietitian.pk, colleague.pk}


def test_a_board_without_clients_logs_nothing(dietitian):
    assert page_as(dietitian).get("/clinic/").status_code == 200
    assert not AccessLog.objects.exists()
