"""The record as a FHIR R5 Bundle: the person's own and a consenting client's for their
dietitian. Every bundle produced here is validated with the fhir.resources package (R5)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fhir.resources import get_fhir_model_class
from fhir.resources.bundle import Bundle

from accounts.models import Profile
from nutrition import labs
from nutrition.clinic import services as clinic_services
from nutrition.clinic.models import AccessLog
from nutrition.diary.models import DiaryEntry, Meal
from nutrition.health import services as health_services
from nutrition.health.models import LabResult
from nutrition.transfer import fhir
from nutrition.transfer.api import CLIENT_RECORD
from tests.clinic.conftest import as_role
from tests.conftest import throttle_queries
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory, spinach_boiled

ME = "/api/v1/me/fhir/"
DAY_1 = date(2025, 3, 1)
DAY_2 = date(2025, 3, 2)
FHIR_JSON = "application/fhir+json"


def client_url(client_id: int) -> str:
    return f"/api/v1/clinic/clients/{client_id}/fhir/"


def validated(response) -> dict:
    """The bundle of a 200 answer, validated as a whole and entry by entry."""
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    Bundle.model_validate(data)
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return data


def resources(data: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def add_result(person, analyte, value, unit, taken_on=DAY_1, note=""):
    return health_services.lab_result_create(
        user=person, analyte=analyte, value=Decimal(value), unit=unit, taken_on=taken_on, note=note
    )


def record_person(person):
    """Results in five units and two logged days: spinach and a supplement, then spinach."""
    Profile.objects.filter(user=person).update(sex="female", birth_date=date(1980, 3, 4))
    add_result(person, "glucose_fasting", "126", "mg/dL", note="Fasted 12 hours")
    add_result(person, "hba1c", "6.1", "%")
    add_result(person, "insulin_fasting", "90", "pmol/L")
    add_result(person, "magnesium_serum", "1.6", "mEq/L", taken_on=DAY_2)
    # eGFR can be computed from it, but only a reported eGFR is an Observation.
    add_result(person, "creatinine_serum", "1.0", "mg/dL", taken_on=DAY_2)
    food, _cup = spinach_boiled()
    DiaryEntryFactory(user=person, date=DAY_1, food=food, grams=200)  # 174 mg
    SupplementIntakeFactory(
        supplement__user=person, supplement__elemental_mg_per_unit=Decimal("120.5"), date=DAY_1
    )
    DiaryEntryFactory(user=person, date=DAY_2, food=food, grams=50)  # 43.5 mg


@pytest.fixture
def recorded(user):
    record_person(user)
    return user


@pytest.mark.django_db
def test_the_bundle_holds_the_patient_results_and_days(user_api, recorded, other_user):
    add_result(other_user, "egfr", "55", "mL/min/1.73m2")
    DiaryEntryFactory(user=other_user, date=date(2025, 4, 1), grams=100)

    data = validated(user_api.get(ME))

    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    assert data["timestamp"]
    patient_entry, *rest = data["entry"]
    subject = patient_entry["fullUrl"]
    assert subject.startswith("urn:uuid:")
    assert patient_entry["resource"] == {
        "resourceType": "Patient",
        "gender": "female",
        "birthDate": "1980-03-04",
    }
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in rest)
    assert len({e["fullUrl"] for e in data["entry"]}) == len(data["entry"])

    observations = resources(data, "Observation")
    sent = [
        (
            o["code"]["coding"][0]["code"],
            o["valueQuantity"]["value"],
            o["valueQuantity"]["unit"],
            o["valueQuantity"]["code"],
            o["effectiveDateTime"],
        )
        for o in observations
    ]
    assert sent == [
        ("1558-6", 126, "mg/dL", "mg/dL", "2025-03-01"),
        ("4548-4", 6.1, "%", "%", "2025-03-01"),
        ("20448-7", 15, "µIU/mL", "u[IU]/mL", "2025-03-01"),  # 90 pmol/L
        ("2601-3", 0.8, "mmol/L", "mmol/L", "2025-03-02"),  # 1.6 mEq/L
        ("2160-0", 1, "mg/dL", "mg/dL", "2025-03-02"),
    ]
    glucose = observations[0]
    assert glucose["status"] == "final"
    assert glucose["category"] == [
        {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "laboratory",
                    "display": "Laboratory",
                }
            ]
        }
    ]
    assert glucose["code"]["coding"][0]["system"] == "http://loinc.org"
    assert glucose["code"]["coding"][0]["display"] == (
        "Fasting glucose [Mass/volume] in Serum or Plasma"
    )
    assert glucose["valueQuantity"]["system"] == "http://unitsofmeasure.org"
    assert glucose["note"] == [{"text": "Fasted 12 hours"}]
    assert "note" not in observations[1]
    assert all(o["subject"] == {"reference": subject} for o in observations)
    assert "98979-8" not in {code for code, *_ in sent}  # eGFR computed, not reported

    intakes = resources(data, "NutritionIntake")
    assert [i["occurrenceDateTime"] for i in intakes] == ["2025-03-01", "2025-03-02"]
    first, second = intakes
    assert first["status"] == "completed" and first["subject"] == {"reference": subject}
    assert [(c["id"], c["type"]["text"]) for c in first["consumedItem"]] == [
        ("food", "food"),
        ("supplements", "dietary supplement"),
    ]
    mg = {"unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
    assert [(label["id"], label["amount"]) for label in first["ingredientLabel"]] == [
        ("magnesium-food", {"value": 174, **mg}),
        ("magnesium-supplements", {"value": 120.5, **mg}),
    ]
    assert [label["amount"]["value"] for label in second["ingredientLabel"]] == [43.5]
    assert [c["type"]["text"] for c in second["consumedItem"]] == ["food"]
    # The other person's eGFR and day are theirs alone.
    assert len(observations) == 5 and len(intakes) == 2


@pytest.mark.django_db
def test_a_supplement_only_day_lists_the_supplement(user_api, user):
    SupplementIntakeFactory(supplement__user=user, date=DAY_1, units=Decimal("2"))
    (intake,) = resources(validated(user_api.get(ME)), "NutritionIntake")
    assert [c["id"] for c in intake["consumedItem"]] == ["supplements"]
    assert intake["ingredientLabel"][0]["amount"]["value"] == 200


@pytest.mark.django_db
def test_an_empty_record_is_a_patient_of_unknown_gender(user_api, user):
    data = validated(user_api.get(ME))
    assert [e["resource"] for e in data["entry"]] == [
        {"resourceType": "Patient", "gender": "unknown"}
    ]


@pytest.mark.django_db
def test_no_name_or_email_unless_asked(user_api, recorded):
    plain = user_api.get(ME)
    text = plain.content.decode()
    assert recorded.email not in text and recorded.name not in text
    (patient,) = resources(validated(plain), "Patient")
    assert "name" not in patient and "telecom" not in patient

    (patient,) = resources(validated(user_api.get(ME, {"include": "identity"})), "Patient")
    assert patient["name"] == [{"text": recorded.name}]
    assert patient["telecom"] == [{"system": "email", "value": recorded.email}]


@pytest.mark.django_db
@pytest.mark.parametrize("include", ["", "name", "identity,email", "IDENTITY"])
def test_an_unknown_include_is_a_400(user_api, include):
    response = user_api.get(ME, {"include": include})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "include" in response.json()


@pytest.mark.django_db
def test_a_second_export_gives_the_same_ids(user_api, recorded):
    first = validated(user_api.get(ME))
    second = validated(user_api.get(ME))
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    # A result's id is its own: deleting another one leaves it as it was.
    LabResult.objects.filter(analyte="hba1c").delete()
    third = validated(user_api.get(ME))
    assert {e["fullUrl"] for e in third["entry"]} < {e["fullUrl"] for e in first["entry"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, FHIR_JSON),
        ("*/*", FHIR_JSON),
        (FHIR_JSON, FHIR_JSON),
        ("application/json", "application/json"),
    ],
)
def test_fhir_json_or_plain_json_as_asked(user_api, recorded, accept, media_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = user_api.get(ME, **headers)
    assert response["Content-Type"] == media_type
    assert validated(response)["resourceType"] == "Bundle"


@pytest.mark.django_db
def test_refusals_are_plain_json_even_when_fhir_is_asked_for(api_client):
    response = api_client.get(ME, HTTP_ACCEPT=FHIR_JSON)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# --- Queries: the same with 1 and 200 results and days ------------------------------------
def fill(person, count: int) -> None:
    food, _cup = spinach_boiled()
    LabResult.objects.bulk_create(
        LabResult(
            user=person,
            analyte="glucose_fasting",
            value=Decimal(90 + n % 30),
            unit="mg/dL",
            value_si=labs.to_si(labs.ANALYTES["glucose_fasting"], Decimal(90 + n % 30), "mg/dL"),
            taken_on=DAY_1 - timedelta(days=n),
        )
        for n in range(count)
    )
    # Spread over more than the 366 days a diary range may span.
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=person, date=DAY_1 - timedelta(days=3 * n), meal=Meal.LUNCH, food=food, grams=100
        )
        for n in range(count)
    )
    SupplementIntakeFactory(supplement__user=person, date=DAY_1)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 200])
def test_my_record_reads_in_constant_queries(django_assert_num_queries, user_api, user, count):
    fill(user, count)
    # The verified e-mail, the profile, the results, the diary's entries and doses.
    with django_assert_num_queries(5 + throttle_queries()):
        data = validated(user_api.get(ME))
    assert len(resources(data, "Observation")) == count
    assert len(resources(data, "NutritionIntake")) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 200])
def test_a_clients_record_reads_in_constant_queries(
    django_assert_num_queries, dietitian, client_user, relationship, count
):
    fill(client_user, count)
    c = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=True)
    c.get("/api/v1/me/care-team/")  # the session's first request records it (usersessions)
    # The session, the dietitian, the verified e-mail and the authenticator; the consent and
    # the access-log row; then the record's four.
    with django_assert_num_queries(4 + 2 + 4 + throttle_queries()):
        data = validated(c.get(client_url(client_user.pk)))
    assert len(resources(data, "Observation")) == count
    assert len(resources(data, "NutritionIntake")) == count


# --- Who may read whose record --------------------------------------------------------------
ROLES = [
    "anonymous",
    "client",
    "stranger",
    "dietitian_without_consent",
    "dietitian_revoked",
    "staff",
    "dietitian_consented",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_client_record_role_matrix(role, dietitian, client_user, relationship):
    record_person(client_user)
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    response = c.get(client_url(client_user.pk))
    if role == "dietitian_consented":
        data = validated(response)
        assert len(resources(data, "Observation")) == 5
        assert client_user.email not in response.content.decode()
        assert AccessLog.objects.filter(client=client_user, what=CLIENT_RECORD).count() == 1
        identity = validated(c.get(client_url(client_user.pk), {"include": "identity"}))
        (patient,) = resources(identity, "Patient")
        assert patient["telecom"] == [{"system": "email", "value": client_user.email}]
        return
    if role in ("anonymous", "client", "stranger", "staff"):
        assert response.status_code == 403  # not a dietitian: the clinic API is closed
    else:
        assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert not AccessLog.objects.filter(what=CLIENT_RECORD).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_my_record_role_matrix(role, dietitian, client_user, relationship):
    """Anyone signed in reads their own record, and only theirs."""
    record_person(client_user)
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    response = c.get(ME)
    if role == "anonymous":
        assert response.status_code == 403
        return
    observations = resources(validated(response), "Observation")
    assert len(observations) == (5 if role == "client" else 0)


@pytest.mark.django_db
def test_a_revoked_consent_closes_the_record_at_once(dietitian, client_user, relationship):
    c = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=True)
    assert c.get(client_url(client_user.pk)).status_code == 200
    clinic_services.care_relationship_end(client=client_user, relationship_id=relationship.pk)
    assert c.get(client_url(client_user.pk)).status_code == 404


# --- The tables behind the codes ------------------------------------------------------------
def test_every_loinc_code_has_its_display_and_conversions_keep_the_code():
    codes = {u.loinc for a in labs.ANALYTES.values() for u in a.units}
    assert codes == set(fhir.LOINC_DISPLAY)
    for (analyte, entered), sent in fhir.SENT_AS.items():
        info = labs.ANALYTES[analyte]
        assert info.unit(entered).loinc == info.unit(sent).loinc, analyte


def test_ids_are_per_kind_and_row():
    assert fhir.urn("Patient", 1) == fhir.urn("Patient", 1) != fhir.urn("Patient", 2)
    assert fhir.urn("Observation", 1) != fhir.urn("Patient", 1)
