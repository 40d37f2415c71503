"""The lab results API: entered in the report's unit, stored in SI, derived markers."""

from datetime import date

import pytest

from accounts.models import Profile
from nutrition.health.models import LabResult

LABS = "/api/v1/me/labs/"


def post(api, **body):
    return api.post(LABS, {"note": "", **body}, format="json")


@pytest.mark.django_db
def test_a_result_in_mg_dl_is_stored_in_mmol_l_with_its_category(user_api, user):
    response = post(
        user_api, analyte="glucose_fasting", value=126, unit="mg/dL", taken_on="2026-01-10"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit_si"] == "mmol/L"
    assert body["value_si"] == pytest.approx(6.993783, abs=1e-6)
    assert body["loinc"] == "1558-6"
    assert body["category"] == {"code": "diabetes", "label": "diabetes range"}
    assert body["source"] == "self"
    assert LabResult.objects.get().user == user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"analyte": "cortisol", "value": 5, "unit": "mmol/L"}, "analyte"),
        ({"analyte": "hba1c", "value": 5, "unit": "mg/dL"}, "unit"),
        ({"analyte": "hba1c", "value": -5, "unit": "%"}, "value"),
        ({"analyte": "hba1c", "value": 55, "unit": "%"}, "value"),
        ({"analyte": "glucose_fasting", "value": 900, "unit": "mmol/L"}, "value"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_saved(user_api, body, field):
    response = post(user_api, taken_on="2026-01-10", **body)
    assert response.status_code == 400
    assert field in response.json()
    assert LabResult.objects.count() == 0


@pytest.mark.django_db
def test_a_future_date_is_refused(user_api):
    response = post(user_api, analyte="egfr", value=70, unit="mL/min/1.73m2", taken_on="2099-01-01")
    assert response.status_code == 400
    assert "taken_on" in response.json()


@pytest.mark.django_db
def test_metabolic_picture(user_api, user):
    Profile.objects.filter(user=user).update(sex="female", birth_date=date(1970, 1, 1))
    for analyte, value, unit in [
        ("glucose_fasting", 100, "mg/dL"),
        ("insulin_fasting", 15, "uIU/mL"),
        ("triglycerides", 150, "mg/dL"),
        ("creatinine_serum", 1.0, "mg/dL"),
        ("hba1c", 6.0, "%"),
        ("magnesium_serum", 1.7, "mg/dL"),
    ]:
        assert (
            post(
                user_api, analyte=analyte, value=value, unit=unit, taken_on="2026-01-10"
            ).status_code
            == 201
        )
    body = user_api.get("/api/v1/me/metabolic/?date=2026-01-31").json()
    assert body["homa_ir"]["value"] == pytest.approx(3.7, abs=0.01)
    assert body["egfr"]["computed"] is True
    assert body["glycaemia"] == {"code": "prediabetes", "basis": "hba1c"}
    assert body["magnesium_status"]["code"] == "low"
    assert {w["code"] for w in body["warnings"]} == {"low_serum_magnesium"}
    assert user_api.get("/api/v1/me/metabolic/?date=2026-01-01").json()["homa_ir"] is None
