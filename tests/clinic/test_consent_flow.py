import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from nutrition.clinic.models import (
    AccessLog,
    CareRelationship,
    ClientNote,
    Invitation,
    PersonalTarget,
)
from nutrition.clinic.services import BOARD_VIEW
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import as_role
from tests.conftest import HttpsAPIClient, HttpsClient


def api_for(user) -> HttpsAPIClient:
    c = HttpsAPIClient()
    sign_in(c, user)
    return c


def invite(dietitian, email):
    response = api_for(dietitian).post(
        "/api/v1/clinic/invitations/", {"client_email": email}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_invite_accept_review_revoke_through_the_api(dietitian, client_user, logged_day):
    body = invite(dietitian, client_user.email.upper())
    assert set(body) >= {"id", "token"}
    assert mail.outbox[-1].to == [client_user.email]
    assert f"/clinic/invitations/{body['token']}/" in mail.outbox[-1].body
    invitation = Invitation.objects.get(pk=body["id"])
    assert body["token"] not in invitation.token_hash  # only a digest is stored

    me = api_for(client_user)
    accepted = me.post("/api/v1/me/care-team/accept/", {"token": body["token"]}, format="json")
    assert accepted.status_code == 201
    assert accepted.json()["dietitian"] == {"name": "Dana Dietitian", "email": dietitian.email}
    team = me.get("/api/v1/me/care-team/").json()["results"]
    assert [m["dietitian"]["email"] for m in team] == [dietitian.email]

    diet = api_for(dietitian)
    clients = diet.get("/api/v1/clinic/clients/").json()["results"]
    assert clients[0]["email"] == client_user.email
    assert clients[0]["rda_mg"] == 320  # a woman of 36
    assert set(clients[0]["flags"]) == {"supplement_above_ul"}
    day = diet.get(f"/api/v1/clinic/clients/{client_user.pk}/days/{logged_day.isoformat()}/")
    assert day.json()["magnesium"]["total_mg"] == 574.0
    log = me.get("/api/v1/me/access-log/").json()["results"]
    assert [set(row) for row in log] == [{"who", "what", "when"}] * 2
    # The board read the client's fortnight, then the dietitian opened one day: both logged.
    assert [row["what"] for row in log] == [f"diary day {logged_day.isoformat()}", BOARD_VIEW]

    note = diet.post(
        f"/api/v1/clinic/clients/{client_user.pk}/notes/",
        {"text": "Try pumpkin seeds", "day": logged_day.isoformat()},
        format="json",
    )
    assert note.status_code == 201
    target = diet.put(
        f"/api/v1/clinic/clients/{client_user.pk}/target/", {"magnesium_mg": 350}, format="json"
    )
    assert target.json() == {"magnesium_mg": 350.0}
    targets = me.get(f"/api/v1/me/targets/?date={logged_day.isoformat()}").json()["magnesium"]
    assert targets["rda_mg"] == 350 and targets["set_by"] == "dietitian"
    assert targets["supplement_ul_mg"] == 350

    assert me.delete(f"/api/v1/me/care-team/{team[0]['id']}/").status_code == 204
    assert diet.get(f"/api/v1/clinic/clients/{client_user.pk}/notes/").status_code == 404
    assert diet.get("/api/v1/clinic/clients/").json()["results"] == []
    assert not PersonalTarget.objects.filter(client=client_user).exists()
    assert ClientNote.objects.filter(client=client_user).count() == 1  # the client keeps notes


@pytest.mark.django_db
def test_accepting_needs_the_invited_address(dietitian, client_user, other_user):
    body = invite(dietitian, client_user.email)
    response = api_for(other_user).post(
        "/api/v1/me/care-team/accept/", {"token": body["token"]}, format="json"
    )
    assert response.status_code == 400 and "token" in response.json()
    assert not CareRelationship.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "nonsense", "x" * 300])
def test_bad_tokens_are_refused(client_user, token):
    response = api_for(client_user).post(
        "/api/v1/me/care-team/accept/", {"token": token}, format="json"
    )
    assert response.status_code == 400
    assert not CareRelationship.objects.exists()


@pytest.mark.django_db
def test_invitations_expire_after_seven_days_and_can_be_sent_again(
    dietitian, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        body = invite(dietitian, client_user.email)
    with freeze_time(timezone.now() + timedelta(days=7, minutes=1)):
        response = api_for(client_user).post(
            "/api/v1/me/care-team/accept/", {"token": body["token"]}, format="json"
        )
        assert response.status_code == 400
    c = HttpsClient()
    sign_in(c, dietitian)
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/clinic/invitations/{body['id']}/resend/").status_code == 302
    assert len(mail.outbox) == 2
    new_token = re.search(r"/clinic/invitations/([\w-]+)/", mail.outbox[-1].body).group(1)
    assert new_token != body["token"]
    me = HttpsClient()
    sign_in(me, client_user)
    assert me.get(f"/clinic/invitations/{new_token}/").status_code == 200
    assert me.post(f"/clinic/invitations/{new_token}/").status_code == 302
    assert CareRelationship.objects.active().filter(client=client_user).count() == 1


@pytest.mark.django_db
def test_cancelled_invitation_cannot_be_accepted(dietitian, client_user):
    body = invite(dietitian, client_user.email)
    c = HttpsClient()
    sign_in(c, dietitian)
    assert c.post(f"/clinic/invitations/{body['id']}/cancel/").status_code == 302
    response = api_for(client_user).post(
        "/api/v1/me/care-team/accept/", {"token": body["token"]}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "field"), [("not-an-email", "client_email"), ("", "client_email")]
)
def test_invitation_bad_input(dietitian, email, field):
    response = api_for(dietitian).post(
        "/api/v1/clinic/invitations/", {"client_email": email}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Invitation.objects.exists()


# 255 characters, a valid address (each label at most 63), one more than the column holds.
TOO_LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 58]) + ".com"


@pytest.mark.django_db
def test_an_invitation_to_an_address_longer_than_254_characters_is_a_400(dietitian):
    assert len(TOO_LONG_EMAIL) == 255
    response = api_for(dietitian).post(
        "/api/v1/clinic/invitations/", {"client_email": TOO_LONG_EMAIL}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"client_email": ["An e-mail address has at most 254 characters."]}
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_invite_form_refuses_an_address_longer_than_254_characters(dietitian):
    page = HttpsClient()
    sign_in(page, dietitian)
    response = page.post("/clinic/invitations/", {"client_email": TOO_LONG_EMAIL})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_cannot_invite_yourself_or_an_existing_client(dietitian, client_user, relationship):
    for email in (dietitian.email, client_user.email):
        response = api_for(dietitian).post(
            "/api/v1/clinic/invitations/", {"client_email": email}, format="json"
        )
        assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, -5, 49, 1501, "lots"])
def test_personal_target_bad_input(dietitian, client_user, relationship, value):
    response = api_for(dietitian).put(
        f"/api/v1/clinic/clients/{client_user.pk}/target/", {"magnesium_mg": value}, format="json"
    )
    assert response.status_code == 400 and "magnesium_mg" in response.json()
    assert not PersonalTarget.objects.filter(client=client_user).exists()


@pytest.mark.django_db
def test_notes_bad_input_saves_nothing(dietitian, client_user, relationship):
    diet = api_for(dietitian)
    url = f"/api/v1/clinic/clients/{client_user.pk}/notes/"
    assert diet.post(url, {"text": ""}, format="json").status_code == 400
    assert diet.post(url, {"text": "x" * 2001}, format="json").status_code == 400
    assert diet.post(url, {"text": "ok", "day": "2026-02-30"}, format="json").status_code == 400
    assert not ClientNote.objects.exists()


@pytest.mark.django_db
def test_client_sees_care_team_log_and_can_revoke_on_the_profile(
    dietitian, client_user, relationship, logged_day
):
    diet = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=False)
    diet.get(f"/clinic/clients/{client_user.pk}/")
    me = HttpsClient()
    sign_in(me, client_user)
    page = me.get("/profile/").content.decode()
    assert "Dana Dietitian" in page and "diary page" in page and "Revoke access" in page
    assert me.post(f"/clinic/care-team/{relationship.pk}/revoke/").status_code == 302
    assert diet.get(f"/clinic/clients/{client_user.pk}/").status_code == 404


@pytest.mark.django_db
def test_revoking_someone_elses_relationship_is_404(dietitian, client_user, relationship):
    from tests.factories import UserFactory

    stranger = api_for(UserFactory())
    assert stranger.delete(f"/api/v1/me/care-team/{relationship.pk}/").status_code == 404
    assert CareRelationship.objects.active().count() == 1


@pytest.mark.django_db
def test_access_log_rows_cannot_be_changed_or_deleted(dietitian, client_user, relationship):
    from django.db import IntegrityError, connection, transaction
    from django.db.utils import DatabaseError

    row = AccessLog.objects.create(client=client_user, dietitian=dietitian, who="x", what="y")
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(what="changed")
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).delete()
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE clinic_accesslog SET what = 'forged' WHERE id = %s", [row.pk])
    assert AccessLog.objects.get(pk=row.pk).what == "y"


@pytest.mark.django_db
def test_access_log_is_read_only_in_the_admin(client, client_user, dietitian, relationship):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, generate_totp_secret())
    row = AccessLog.objects.create(client=client_user, dietitian=dietitian, who="x", what="y")
    sign_in(client, admin_user)
    assert client.get("/admin/clinic/accesslog/").status_code == 200
    assert client.get("/admin/clinic/accesslog/add/").status_code == 403
    assert client.post(f"/admin/clinic/accesslog/{row.pk}/delete/").status_code == 403
    change = client.post(f"/admin/clinic/accesslog/{row.pk}/change/", {"what": "z"})
    assert change.status_code in (200, 403)
    assert AccessLog.objects.get(pk=row.pk).what == "y"


@pytest.mark.django_db
def test_deleting_the_dietitian_keeps_the_clients_log(dietitian, client_user, relationship):
    from accounts.services import account_delete

    AccessLog.objects.create(client=client_user, dietitian=dietitian, who="Dana", what="diary")
    account_delete(user=dietitian)
    row = AccessLog.objects.get(client=client_user)
    assert row.dietitian is None and row.who == "Dana"


@pytest.mark.django_db
def test_client_reads_the_dietitians_notes_on_their_diary(
    dietitian, client_user, relationship, logged_day
):
    from nutrition.clinic import services

    services.note_create(dietitian=dietitian, client=client_user, text="General advice")
    services.note_create(
        dietitian=dietitian, client=client_user, text="About this day", day=logged_day
    )
    services.note_create(
        dietitian=dietitian,
        client=client_user,
        text="About another day",
        day=logged_day - timedelta(days=3),
    )
    me = HttpsClient()
    sign_in(me, client_user)
    page = me.get(f"/diary/{logged_day.isoformat()}/").content.decode()
    assert "From your dietitian" in page
    assert "General advice" in page and "About this day" in page
    assert "About another day" not in page
    services.note_create(dietitian=dietitian, client=client_user, text="<script>x</script>")
    page = me.get(f"/diary/{logged_day.isoformat()}/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page


@pytest.mark.django_db
def test_client_page_reuses_the_diary_components(dietitian, client_user, relationship, logged_day):
    diet = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=False)
    page = diet.get(f"/clinic/clients/{client_user.pk}/").content.decode()
    assert 'class="summary card"' in page and 'class="day-bar"' in page  # the day's summary
    assert 'class="trend-chart"' in page
    assert "574" in page  # 174 mg from food + 400 mg from supplements
    assert 'data-code="supplement_above_ul"' in page
