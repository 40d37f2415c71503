"""The health record as the person's data: in their export (and nobody else's), gone with their
account, and counted, never shown, for support staff."""

from datetime import date
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import User
from nutrition.health import services
from nutrition.health.models import LabResult
from nutrition.health.personal_data import EXPORTED_FIELDS
from tests.accounts.helpers import log_in_with_two_factors, reauthenticate
from tests.accounts.test_export_and_delete import export_of
from tests.clinic.conftest import connect
from tests.conftest import HttpsClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def lab(user, analyte="magnesium_serum", value="0.81", unit="mmol/L", **extra) -> LabResult:
    return services.lab_result_create(
        user=user,
        analyte=analyte,
        value=Decimal(value),
        unit=unit,
        taken_on=extra.pop("taken_on", date(2026, 1, 10)),
        **extra,
    )


def test_the_export_holds_the_persons_results_with_the_listed_fields(client, user, other_user):
    first = lab(user, "hba1c", "6.1", "%", taken_on=date(2025, 11, 2), note="clinic visit")
    second = lab(user, "magnesium_serum", "1.9", "mg/dL")
    lab(other_user, "magnesium_serum", "0.6173", "mmol/L", note="Other person's zebra note")

    rows = export_of(client, user)["data"]["health.LabResult"]

    assert [row["id"] for row in rows] == [first.pk, second.pk]  # oldest first
    assert all(list(row) == EXPORTED_FIELDS for row in rows)
    assert set(EXPORTED_FIELDS) >= {
        "analyte",
        "value",
        "unit",
        "value_si",
        "unit_si",
        "loinc",
        "taken_on",
        "note",
        "source",
    }
    row = rows[1]
    assert (row["analyte"], row["unit"], row["unit_si"], row["loinc"], row["source"]) == (
        "magnesium_serum",
        "mg/dL",
        "mmol/L",
        "19123-9",
        "self",
    )
    assert Decimal(str(row["value"])) == Decimal("1.9")
    assert Decimal(str(row["value_si"])) == second.value_si
    assert str(row["taken_on"]) == "2026-01-10"
    assert rows[0]["note"] == "clinic visit"
    text = str(rows)
    assert "zebra" not in text and "0.6173" not in text


def test_a_dietitians_export_leaves_out_what_they_entered_for_a_client(client):
    dietitian = UserFactory(is_dietitian=True)
    person = UserFactory()
    connect(dietitian, person)
    entered = lab(
        person,
        "creatinine_serum",
        "93.7",
        "umol/L",
        note="Entered at the zebra clinic",
        source="dietitian",
        entered_by=dietitian,
    )

    dietitian_export = export_of(client, dietitian)
    assert dietitian_export["data"]["health.LabResult"] == []
    assert "zebra" not in str(dietitian_export) and "93.7" not in str(dietitian_export)

    # It is the client's: in their export, marked as entered by the dietitian.
    rows = export_of(HttpsClient(), person)["data"]["health.LabResult"]
    assert [(row["id"], row["source"]) for row in rows] == [(entered.pk, "dietitian")]


def test_deleting_the_account_removes_the_persons_results_only(client, user, other_user, password):
    lab(user)
    lab(user, "egfr", "64", "mL/min/1.73m2")
    theirs = lab(other_user)
    # A result the person entered for someone else as their dietitian stays with that person.
    entered = lab(other_user, "hba1c", "40", "mmol/mol", source="dietitian", entered_by=user)

    client.force_login(user)
    reauthenticate(client, password)
    response = client.post("/profile/delete/", {"confirm": "delete"})
    assert response.status_code == 302

    assert not User.objects.filter(pk=user.pk).exists()
    assert not LabResult.objects.filter(user_id=user.pk).exists()
    assert set(LabResult.objects.values_list("pk", flat=True)) == {theirs.pk, entered.pk}
    entered.refresh_from_db()
    assert (entered.source, entered.entered_by) == ("dietitian", None)


def test_support_sees_how_many_results_never_what(staff_user, user):
    lab(user, note="Private zebra note")
    lab(user, "hba1c", "7.3", "%")
    lab(user, "egfr", "44", "mL/min/1.73m2")
    TOTP.activate(staff_user, generate_totp_secret())
    admin = log_in_with_two_factors(HttpsClient(), staff_user)

    page = admin.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "lab results: 3" in html
    assert "zebra" not in html and "7.3" not in html
    # Nor is there an admin page of results to browse.
    assert admin.get("/admin/health/labresult/").status_code == 404
