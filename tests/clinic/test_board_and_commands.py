import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import User
from nutrition.clinic import services
from nutrition.clinic.models import CareRelationship, Invitation
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import add_results, connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient, throttle_queries
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory, spinach_boiled
from tests.factories import UserFactory


def clients_with_days(dietitian, count: int, food, results: int = 1) -> None:
    """`count` clients, each with a logged day and `results` lab results of every kind the
    board's flags read (so every flag's path runs)."""
    today = timezone.localdate()
    for n in range(count):
        person = UserFactory()
        connect(dietitian, person)
        DiaryEntryFactory(user=person, food=food, date=today, grams=100 + n)
        SupplementIntakeFactory(supplement__user=person, date=today)
        add_results(
            person,
            ("egfr", 45, "mL/min/1.73m2", today),
            ("creatinine_serum", 90, "umol/L", today),
            ("magnesium_serum", "0.6", "mmol/L", today),
            ("hba1c", "7.0", "%", today),
            ("glucose_fasting", "5.5", "mmol/L", today),
            ("insulin_fasting", 90, "pmol/L", today),
            copies=results,
        )


# The board in a fixed number of queries whatever the number of clients and of their results
# (a fresh session's first request; the API's throttle aside): the lab flags are two of them.
BOARD_PAGE_QUERIES = 20
BOARD_API_QUERIES = 19


def board_queries(dietitian, django_assert_max_num_queries, count: int) -> int:
    c = HttpsClient()
    sign_in(c, dietitian)
    api = HttpsAPIClient()
    sign_in(api, dietitian)
    with django_assert_max_num_queries(BOARD_PAGE_QUERIES) as page:
        assert c.get("/clinic/?sort=-average").status_code == 200
    with django_assert_max_num_queries(BOARD_API_QUERIES + throttle_queries()) as endpoint:
        body = api.get("/api/v1/clinic/clients/?page_size=100").json()
    assert body["count"] == count
    assert all("homa_ir_rising" not in row["flags"] for row in body["results"])
    assert all("diabetes_range" in row["flags"] for row in body["results"])
    return len(page.captured_queries), len(endpoint.captured_queries)


@pytest.mark.django_db
def test_board_costs_the_same_queries_for_3_and_200_clients(django_assert_max_num_queries):
    small, large = make_dietitian(), make_dietitian()
    food, _cup = spinach_boiled()
    clients_with_days(small, 3, food)
    clients_with_days(large, 200, food)
    pinned = (BOARD_PAGE_QUERIES, BOARD_API_QUERIES + throttle_queries())
    assert board_queries(small, django_assert_max_num_queries, 3) == pinned
    assert board_queries(large, django_assert_max_num_queries, 200) == pinned


@pytest.mark.django_db
def test_board_costs_the_same_queries_for_1_and_200_results(django_assert_max_num_queries):
    few, many = make_dietitian(), make_dietitian()
    food, _cup = spinach_boiled()
    clients_with_days(few, 3, food, results=1)
    clients_with_days(many, 3, food, results=200)
    pinned = (BOARD_PAGE_QUERIES, BOARD_API_QUERIES + throttle_queries())
    assert board_queries(few, django_assert_max_num_queries, 3) == pinned
    assert board_queries(many, django_assert_max_num_queries, 3) == pinned


@pytest.mark.django_db
def test_board_flags_and_sorting(dietitian, client_user, relationship, logged_day):
    quiet = UserFactory(name="Quentin Quiet")
    connect(dietitian, quiet)
    api = HttpsAPIClient()
    sign_in(api, dietitian)
    rows = api.get("/api/v1/clinic/clients/?ordering=-average").json()["results"]
    assert [r["email"] for r in rows] == [client_user.email, quiet.email]
    assert rows[0]["average_magnesium_mg_7d"] == 574.0  # one logged day: 174 + 400
    assert rows[0]["last_logged"] == logged_day.isoformat()
    assert rows[1]["flags"] == ["nothing_logged"] and rows[1]["last_logged"] is None
    client_user.profile.kidney_disease = True
    client_user.profile.save()
    rows = api.get("/api/v1/clinic/clients/").json()["results"]
    assert set(rows[0]["flags"]) == {"supplement_above_ul", "kidney_disease_supplement"}


@pytest.mark.django_db
def test_grant_dietitian_command(user):
    out = StringIO()
    call_command("grant_dietitian", user.email.upper(), stdout=out)
    assert User.objects.get(pk=user.pk).is_dietitian
    assert "two-factor" in out.getvalue()
    call_command("grant_dietitian", user.email, "--revoke", stdout=out)
    assert not User.objects.get(pk=user.pk).is_dietitian
    with pytest.raises(CommandError, match="No account"):
        call_command("grant_dietitian", "nobody@example.com")


@pytest.mark.django_db
def test_admin_grants_the_role_and_the_profile_shows_it(client, user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, generate_totp_secret())
    sign_in(client, admin_user)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "grant_dietitian_role", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).is_dietitian
    me = HttpsClient()
    sign_in(me, user)
    assert "registered as a <strong>dietitian</strong>" in me.get("/profile/").content.decode()


@pytest.mark.django_db
def test_revoked_role_cuts_access_at_once(dietitian, client_user, relationship):
    api = HttpsAPIClient()
    sign_in(api, dietitian)
    assert api.get(f"/api/v1/clinic/clients/{client_user.pk}/notes/").status_code == 200
    call_command("grant_dietitian", dietitian.email, "--revoke", stdout=StringIO())
    assert api.get(f"/api/v1/clinic/clients/{client_user.pk}/notes/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_and_revoke_leave_one_consistent_relationship():
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers instead")
    dietitian = make_dietitian()
    person = UserFactory()
    issued = services.invitation_create(
        dietitian=dietitian, client_email=person.email, base_url="https://x/"
    )
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def accept():
        barrier.wait()
        try:
            services.invitation_accept(client=person, token=issued.token)
            outcomes.append("accepted")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    def revoke():
        barrier.wait()
        try:
            for relationship in CareRelationship.objects.active().filter(client=person):
                services.care_relationship_end(client=person, relationship_id=relationship.pk)
            outcomes.append("revoked")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    threads.append(threading.Thread(target=revoke))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("accepted") == 1
    assert CareRelationship.objects.filter(client=person).count() == 1
    assert CareRelationship.objects.active().filter(client=person).count() <= 1
    assert Invitation.objects.get(pk=issued.invitation.pk).accepted_at is not None
