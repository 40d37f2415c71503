"""Every clinic page and endpoint against every role: only a consenting client's dietitian
(with two-factor) reads the data; everyone else gets 404 (or is asked to sign in)."""

import pytest

from nutrition.clinic.models import AccessLog
from nutrition.health.models import LabResult
from tests.clinic.conftest import as_role

ROLES = [
    "anonymous",
    "client",
    "stranger",
    "dietitian_without_consent",
    "dietitian_revoked",
    "staff",
    "dietitian_consented",
]


def page_urls(cid: int, day) -> list[str]:
    return [
        f"/clinic/clients/{cid}/",
        f"/clinic/clients/{cid}/?date={day.isoformat()}",
        f"/clinic/clients/{cid}/export.csv",
    ]


def api_urls(cid: int, day) -> list[str]:
    return [
        f"/api/v1/clinic/clients/{cid}/days/{day.isoformat()}/",
        f"/api/v1/clinic/clients/{cid}/summary/?start={day.isoformat()}&end={day.isoformat()}",
        f"/api/v1/clinic/clients/{cid}/notes/",
        f"/api/v1/clinic/clients/{cid}/labs/",
        f"/api/v1/clinic/clients/{cid}/metabolic/",
        f"/api/v1/clinic/clients/{cid}/metabolic/?date={day.isoformat()}",
    ]


def lab_result(day) -> dict:
    return {"analyte": "hba1c", "value": "6.1", "unit": "%", "taken_on": day.isoformat()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_client_pages_role_matrix(role, dietitian, client_user, relationship, logged_day):
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=False)
    for url in page_urls(client_user.pk, logged_day):
        status = c.get(url).status_code
        if role == "dietitian_consented":
            assert status == 200, url
        elif role == "anonymous":
            assert status == 302, url
        else:
            assert status == 404, (role, url)
    writes = [
        (f"/clinic/clients/{client_user.pk}/notes/", {"text": "Hello"}),
        (f"/clinic/clients/{client_user.pk}/target/", {"magnesium_mg": "300"}),
        (f"/clinic/clients/{client_user.pk}/labs/", lab_result(logged_day)),
    ]
    for url, data in writes:
        status = c.post(url, data).status_code
        assert status == (302 if role in ("dietitian_consented", "anonymous") else 404), url
    added = LabResult.objects.filter(user=client_user)
    assert added.count() == (1 if role == "dietitian_consented" else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_client_api_role_matrix(role, dietitian, client_user, relationship, logged_day):
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    for url in api_urls(client_user.pk, logged_day):
        status = c.get(url).status_code
        if role == "dietitian_consented":
            assert status == 200, url
        elif role in ("anonymous", "client", "stranger", "staff"):
            assert status == 403, (role, url)  # not a dietitian: the clinic API is closed
        else:
            assert status == 404, (role, url)
    target = c.put(
        f"/api/v1/clinic/clients/{client_user.pk}/target/", {"magnesium_mg": 300}, format="json"
    ).status_code
    expected = {"dietitian_consented": 200, "dietitian_without_consent": 404}
    assert target == expected.get(role, 404 if role == "dietitian_revoked" else 403)
    lab = c.post(
        f"/api/v1/clinic/clients/{client_user.pk}/labs/", lab_result(logged_day), format="json"
    ).status_code
    expected = {"dietitian_consented": 201, "dietitian_without_consent": 404}
    assert lab == expected.get(role, 404 if role == "dietitian_revoked" else 403)
    added = LabResult.objects.filter(user=client_user)
    assert added.count() == (1 if role == "dietitian_consented" else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_board_shows_only_consenting_clients(role, dietitian, client_user, relationship):
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=False)
    response = c.get("/clinic/")
    if role == "anonymous":
        assert response.status_code == 302
    elif role.startswith("dietitian"):
        assert response.status_code == 200
        assert (client_user.email in response.content.decode()) == (role == "dietitian_consented")
    else:
        assert response.status_code == 404


@pytest.mark.django_db
def test_dietitian_without_two_factor_is_sent_to_set_it_up(client, client_user):
    from tests.factories import UserFactory

    dietitian = UserFactory(is_dietitian=True)
    client.force_login(dietitian)
    response = client.get("/clinic/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    from tests.conftest import HttpsAPIClient

    api = HttpsAPIClient()
    api.force_login(dietitian)
    assert api.get("/api/v1/clinic/clients/").status_code == 403


@pytest.mark.django_db
def test_every_view_is_logged_without_the_data(dietitian, client_user, relationship, logged_day):
    c = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=True)
    c.get(f"/api/v1/clinic/clients/{client_user.pk}/days/{logged_day.isoformat()}/")
    c.get(f"/api/v1/clinic/clients/{client_user.pk}/notes/")
    rows = list(AccessLog.objects.filter(client=client_user))
    assert [r.what for r in rows] == ["notes", f"diary day {logged_day.isoformat()}"]
    assert all(r.dietitian == dietitian and dietitian.email in r.who for r in rows)
    assert not any("174" in r.what or "spinach" in r.what.lower() for r in rows)


@pytest.mark.django_db
def test_denied_probes_write_no_log(dietitian, client_user, logged_day):
    c = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=True)
    assert c.get(f"/api/v1/clinic/clients/{client_user.pk}/notes/").status_code == 404
    assert not AccessLog.objects.exists()
