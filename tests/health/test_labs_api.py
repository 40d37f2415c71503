"""The lab results API: entered in the report's unit, stored in SI, derived markers."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal

import pytest
from freezegun import freeze_time

from accounts.models import Profile, User
from nutrition import labs
from nutrition.health import services
from nutrition.health.models import LabResult
from tests.clinic.conftest import connect
from tests.conftest import HttpsAPIClient, throttle_queries
from tests.factories import UserFactory

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


# --- Helpers ---------------------------------------------------------------------------------

METABOLIC = "/api/v1/me/metabolic/"
DAY = date(2026, 1, 10)


def detail(result_id: int) -> str:
    return f"{LABS}{result_id}/"


def result(user, analyte, value, unit, taken_on=DAY, note="", **extra) -> LabResult:
    return services.lab_result_create(
        user=user,
        analyte=analyte,
        value=Decimal(str(value)),
        unit=unit,
        taken_on=taken_on,
        note=note,
        **extra,
    )


def api_for(person) -> HttpsAPIClient:
    api = HttpsAPIClient()
    api.force_authenticate(person)
    return api


def snapshot(pk: int) -> tuple:
    return tuple(
        LabResult.objects.filter(pk=pk).values_list(
            "user_id", "analyte", "value", "unit", "value_si", "taken_on", "note", "source"
        )
    )


def set_profile(user, **fields) -> None:
    Profile.objects.filter(user=user).update(**fields)


def metabolic(api, on="2026-01-31") -> dict:
    response = api.get(f"{METABOLIC}?date={on}")
    assert response.status_code == 200, response.json()
    return response.json()


# --- Who may see and change what ------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_refused_everywhere_and_change_nothing(api_client, user):
    mine = result(user, "hba1c", "5.5", "%")
    before = snapshot(mine.pk)
    answers = [
        api_client.get(LABS),
        api_client.post(
            LABS,
            {"analyte": "egfr", "value": 80, "unit": "mL/min/1.73m2", "taken_on": "2026-01-05"},
        ),
        api_client.get(detail(mine.pk)),
        api_client.patch(detail(mine.pk), {"value": 6}),
        api_client.delete(detail(mine.pk)),
        api_client.get(METABOLIC),
        api_client.get(f"{METABOLIC}?date=2026-01-31"),
    ]
    assert [r.status_code in (401, 403) for r in answers] == [True] * len(answers)
    assert snapshot(mine.pk) == before
    assert LabResult.objects.count() == 1


@pytest.mark.django_db
def test_the_owner_reads_their_own_results(user_api, user, other_user):
    mine = result(user, "magnesium_serum", "0.82", "mmol/L", note="morning")
    result(other_user, "magnesium_serum", "0.60", "mmol/L")
    listed = user_api.get(LABS).json()
    assert listed["count"] == 1
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    one = user_api.get(detail(mine.pk))
    assert one.status_code == 200
    assert one.json() == {
        "id": mine.pk,
        "analyte": "magnesium_serum",
        "value": 0.82,
        "unit": "mmol/L",
        "taken_on": "2026-01-10",
        "note": "morning",
        "loinc": "2601-3",
        "value_si": 0.82,
        "unit_si": "mmol/L",
        "category": {"code": "normal", "label": "normal magnesium"},
        "source": "self",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other", "staff", "dietitian", "dietitian_with_consent"])
def test_another_persons_result_is_a_404_and_stays_as_it_was(who, user, other_user, staff_user):
    theirs = result(user, "creatinine_serum", "80", "umol/L", note="kept")
    mine_before = snapshot(theirs.pk)
    if who == "other":
        person = other_user
    elif who == "staff":
        person = staff_user
    else:
        person = UserFactory(is_dietitian=True)
        if who == "dietitian_with_consent":
            connect(person, user)
    own = result(person, "egfr", "75", "mL/min/1.73m2")
    api = api_for(person)

    assert api.get(detail(theirs.pk)).status_code == 404
    assert api.patch(detail(theirs.pk), {"value": 120, "note": "changed"}).status_code == 404
    assert api.delete(detail(theirs.pk)).status_code == 404
    assert snapshot(theirs.pk) == mine_before
    # Their own list and picture hold only their own result.
    listed = api.get(LABS).json()
    assert [r["id"] for r in listed["results"]] == [own.pk]
    picture = metabolic(api)
    assert picture["egfr"]["value"] == 75
    assert picture["egfr"]["computed"] is False


@pytest.mark.django_db
def test_an_unknown_id_is_a_404(user_api):
    assert user_api.get(detail(987654)).status_code == 404
    assert user_api.patch(detail(987654), {"value": 1}).status_code == 404
    assert user_api.delete(detail(987654)).status_code == 404


# --- PATCH and DELETE -----------------------------------------------------------------------


@pytest.mark.django_db
def test_patch_changes_the_value_and_unit_and_recomputes_si_and_category(user_api, user):
    mine = result(user, "glucose_fasting", "5.2", "mmol/L", note="fasted 12 h")
    response = user_api.patch(detail(mine.pk), {"value": 126, "unit": "mg/dL"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["value"], body["unit"]) == (126, "mg/dL")
    assert body["value_si"] == pytest.approx(126 / 18.016, abs=1e-6)
    assert body["category"]["code"] == "diabetes"
    assert body["loinc"] == "1558-6"
    assert (body["note"], body["taken_on"]) == ("fasted 12 h", "2026-01-10")
    mine.refresh_from_db()
    assert (mine.value, mine.unit, mine.note) == (Decimal(126), "mg/dL", "fasted 12 h")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [{"note": "new note"}, {"taken_on": "2026-01-03"}, {"value": "5.9"}],
)
def test_a_partial_update_keeps_every_other_field(user_api, user, change):
    mine = result(user, "hba1c", "5.5", "%", note="first")
    before = {
        "analyte": "hba1c",
        "value": 5.5,
        "unit": "%",
        "taken_on": "2026-01-10",
        "note": "first",
    }
    response = user_api.patch(detail(mine.pk), change)
    assert response.status_code == 200, response.json()
    body = response.json()
    expected = {**before, **change}
    if "value" in change:
        expected["value"] = float(change["value"])
    assert {key: body[key] for key in before} == expected
    assert body["source"] == "self"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"analyte": "magnesium_serum"}, "unit"),  # % is not a unit of magnesium
        ({"analyte": "triglycerides"}, "unit"),
        ({"analyte": "magnesium_serum", "unit": "%"}, "unit"),
        ({"unit": "mg/dL"}, "unit"),
        ({"unit": "mmol/mol"}, "value"),  # 5.5 mmol/mol is under what HbA1c can be
        ({"value": 0}, "value"),
        ({"value": 25}, "value"),
        ({"taken_on": "2099-01-01"}, "taken_on"),
        ({"taken_on": None}, "taken_on"),
        ({"note": "x" * 201}, "note"),
    ],
)
def test_a_bad_patch_is_a_400_and_changes_nothing(user_api, user, change, field):
    mine = result(user, "hba1c", "5.5", "%", note="first")
    before = snapshot(mine.pk)
    response = user_api.patch(detail(mine.pk), change)
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(mine.pk) == before


@pytest.mark.django_db
def test_patch_to_another_analyte_with_its_unit(user_api, user):
    mine = result(user, "glucose_fasting", "5.5", "mmol/L")
    response = user_api.patch(detail(mine.pk), {"analyte": "triglycerides"})
    assert response.status_code == 400  # same unit code, but the analyte changed: say it
    response = user_api.patch(
        detail(mine.pk), {"analyte": "triglycerides", "unit": "mmol/L", "value": 1.2}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["loinc"] == "14927-8"
    assert response.json()["category"]["code"] == "normal"


@pytest.mark.django_db
def test_delete_removes_only_that_result(user_api, user):
    gone = result(user, "egfr", "80", "mL/min/1.73m2")
    kept = result(user, "egfr", "70", "mL/min/1.73m2", taken_on=date(2026, 1, 9))
    assert user_api.delete(detail(gone.pk)).status_code == 204
    assert list(LabResult.objects.values_list("pk", flat=True)) == [kept.pk]
    assert user_api.get(detail(gone.pk)).status_code == 404
    assert user_api.delete(detail(gone.pk)).status_code == 404


# --- Bad input saves nothing ----------------------------------------------------------------

GOOD = {"analyte": "glucose_fasting", "value": 5.4, "unit": "mmol/L", "taken_on": "2026-01-10"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"analyte": "cortisol"}, "analyte"),
        ({"analyte": ""}, "analyte"),
        ({"unit": "%"}, "unit"),
        ({"unit": "mEq/L"}, "unit"),  # a unit of magnesium, not of glucose
        ({"unit": "furlongs"}, "unit"),
        ({"value": 0}, "value"),
        ({"value": "0.00"}, "value"),
        ({"value": -5.4}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "nan"}, "value"),
        ({"value": "Infinity"}, "value"),
        ({"value": "-Infinity"}, "value"),
        ({"value": "1e400"}, "value"),
        ({"value": "1e-400"}, "value"),
        ({"value": "five"}, "value"),
        ({"value": ""}, "value"),
        ({"value": None}, "value"),
        ({"value": [5]}, "value"),
        ({"taken_on": "2026-02-30"}, "taken_on"),
        ({"taken_on": "1899-12-31"}, "taken_on"),
        ({"taken_on": "0001-01-01"}, "taken_on"),
        ({"taken_on": "2101-01-01"}, "taken_on"),
        ({"taken_on": "10/01/2026"}, "taken_on"),
        ({"taken_on": "2099-01-01"}, "taken_on"),
        ({"taken_on": None}, "taken_on"),
        ({"note": "x" * 201}, "note"),
        ({"note": "a\x00b"}, "note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(user_api, change, field):
    response = user_api.post(LABS, {**GOOD, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert LabResult.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["analyte", "value", "unit", "taken_on"])
def test_each_required_field_is_required(user_api, missing):
    body = {key: value for key, value in GOOD.items() if key != missing}
    response = user_api.post(LABS, body, format="json")
    assert response.status_code == 400
    assert missing in response.json()
    assert LabResult.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_json_nan_and_infinity_literals_are_refused(user_api, literal):
    body = (
        b'{"analyte": "glucose_fasting", "unit": "mmol/L", "taken_on": "2026-01-10", "value": '
        + literal
        + b"}"
    )
    response = user_api.post(LABS, body, content_type="application/json")
    assert response.status_code == 400
    assert LabResult.objects.count() == 0


def _unit_cases():
    for analyte in labs.ANALYTES.values():
        for unit in analyte.units:
            yield pytest.param(analyte.code, unit.code, id=f"{analyte.code}-{unit.code}")


def _in_unit(analyte, unit: str, value_si: Decimal, rounding) -> Decimal:
    return labs.from_si(analyte, value_si, unit).quantize(Decimal("0.0001"), rounding=rounding)


@pytest.mark.django_db
@pytest.mark.parametrize("analyte_code, unit", list(_unit_cases()))
def test_values_beyond_the_bounds_of_each_analyte_are_refused_in_every_unit(
    user_api, analyte_code, unit
):
    analyte = labs.ANALYTES[analyte_code]
    above = _in_unit(analyte, unit, analyte.si_max, ROUND_UP) + Decimal("0.001")
    below = _in_unit(analyte, unit, analyte.si_min, ROUND_DOWN) - Decimal("0.001")
    for value in (above, below, above * 1000):
        if value <= 0:
            continue  # the lowest bound in this unit is already tiny: zero is tested elsewhere
        body = {
            "analyte": analyte_code,
            "unit": unit,
            "value": str(value),
            "taken_on": "2026-01-10",
        }
        response = user_api.post(LABS, body, format="json")
        assert response.status_code == 400, (value, response.json())
        assert "value" in response.json()
    assert LabResult.objects.count() == 0
    # Just inside both bounds is taken.
    top = _in_unit(analyte, unit, analyte.si_max, ROUND_DOWN)
    bottom = _in_unit(analyte, unit, analyte.si_min, ROUND_UP)
    for value in (top, bottom):
        body = {
            "analyte": analyte_code,
            "unit": unit,
            "value": str(value),
            "taken_on": "2026-01-10",
        }
        assert user_api.post(LABS, body, format="json").status_code == 201, value
    assert LabResult.objects.count() == 2


@pytest.mark.django_db
def test_unknown_and_read_only_fields_are_ignored(user_api, user, other_user):
    response = user_api.post(
        LABS,
        {
            **GOOD,
            "id": 999_999,
            "user": other_user.pk,
            "source": "dietitian",
            "value_si": 123,
            "unit_si": "mg/dL",
            "loinc": "0000-0",
            "category": {"code": "diabetes", "label": "x"},
            "entered_by": other_user.pk,
            "colour": "blue",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    saved = LabResult.objects.get()
    assert body["id"] == saved.pk != 999_999
    assert (saved.user, saved.source, saved.entered_by) == (user, "self", None)
    assert body["value_si"] == 5.4 and body["unit_si"] == "mmol/L" and body["loinc"] == "14771-0"
    # The same on a PATCH.
    before = snapshot(saved.pk)
    response = user_api.patch(
        detail(saved.pk), {"user": other_user.pk, "source": "import", "value_si": 9, "colour": 1}
    )
    assert response.status_code == 200
    assert snapshot(saved.pk) == before


# --- The future, in the person's own time zone ----------------------------------------------

# 2026-03-10 12:00 UTC is 2026-03-11 02:00 on Kiritimati (UTC+14) and 2026-03-10 01:00 in
# Pago Pago (UTC-11).
NOON_UTC = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "zone, today",
    [
        ("Pacific/Kiritimati", date(2026, 3, 11)),
        ("UTC", date(2026, 3, 10)),
        ("Pacific/Pago_Pago", date(2026, 3, 10)),
    ],
)
def test_a_future_date_is_judged_in_the_persons_time_zone(user_api, user, zone, today):
    set_profile(user, timezone=zone)
    with freeze_time(NOON_UTC):
        tomorrow = {**GOOD, "taken_on": (today + timedelta(days=1)).isoformat()}
        response = user_api.post(LABS, tomorrow, format="json")
        assert response.status_code == 400
        assert response.json()["taken_on"] == [services.FUTURE_DAY]
        assert LabResult.objects.count() == 0
        response = user_api.post(LABS, {**GOOD, "taken_on": today.isoformat()}, format="json")
        assert response.status_code == 201, response.json()
        # PATCH holds the same rule.
        pk = response.json()["id"]
        response = user_api.patch(detail(pk), {"taken_on": tomorrow["taken_on"]})
        assert response.status_code == 400
        assert LabResult.objects.get(pk=pk).taken_on == today


@pytest.mark.django_db
def test_the_picture_defaults_to_the_persons_today(user_api, user):
    set_profile(user, timezone="Pacific/Kiritimati")
    with freeze_time(NOON_UTC):
        result(user, "egfr", "70", "mL/min/1.73m2", taken_on=date(2026, 3, 11))
        body = user_api.get(METABOLIC).json()
    assert body["date"] == "2026-03-11"
    assert body["egfr"]["taken_on"] == "2026-03-11"


# --- Query counts: the same with 1 and 200 results ------------------------------------------


def _bulk(user, how_many: int) -> None:
    rows = [
        ("glucose_fasting", "5.3", "mmol/L"),
        ("insulin_fasting", "60", "pmol/L"),
        ("triglycerides", "1.2", "mmol/L"),
        ("creatinine_serum", "75", "umol/L"),
        ("egfr", "85", "mL/min/1.73m2"),
        ("hba1c", "5.4", "%"),
        ("magnesium_serum", "0.8", "mmol/L"),
        ("hdl_cholesterol", "1.4", "mmol/L"),
    ]
    objects = []
    for i in range(how_many):
        analyte, value, unit = rows[i % len(rows)]
        objects.append(
            LabResult(
                user=user,
                analyte=analyte,
                value=Decimal(value),
                unit=unit,
                value_si=labs.to_si(labs.ANALYTES[analyte], Decimal(value), unit),
                taken_on=DAY - timedelta(days=i // len(rows)),
            )
        )
    LabResult.objects.bulk_create(objects)


# The verified-address check, then the page's count and the page itself.
LIST_QUERIES = 3
# The verified-address check, the profile, the results.
METABOLIC_QUERIES = 3


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [1, 200])
def test_the_list_costs_the_same_queries_with_1_and_200_results(
    user, other_user, django_assert_num_queries, how_many
):
    set_profile(user, sex="male", birth_date=date(1970, 1, 1))
    _bulk(user, how_many)
    _bulk(other_user, 30)
    # A fresh instance each time: the verified-address check is remembered on the user.
    api = api_for(User.objects.get(pk=user.pk))
    with django_assert_num_queries(LIST_QUERIES + throttle_queries()):
        response = api.get(f"{LABS}?page_size=100")
    assert response.status_code == 200
    assert response.json()["count"] == how_many
    api = api_for(User.objects.get(pk=user.pk))
    with django_assert_num_queries(METABOLIC_QUERIES + throttle_queries()):
        response = api.get(f"{METABOLIC}?date=2026-01-31")
    assert response.status_code == 200
    assert response.json()["glycaemia"] is not None


@pytest.mark.django_db
def test_the_list_is_newest_first(user_api, user):
    old = result(user, "egfr", "80", "mL/min/1.73m2", taken_on=date(2025, 6, 1))
    new = result(user, "egfr", "78", "mL/min/1.73m2", taken_on=date(2026, 1, 2))
    same_day_later = result(user, "egfr", "77", "mL/min/1.73m2", taken_on=date(2026, 1, 2))
    ids = [r["id"] for r in user_api.get(LABS).json()["results"]]
    assert ids == [same_day_later.pk, new.pk, old.pk]


# --- The metabolic picture ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_record_gives_an_empty_picture(user_api):
    body = metabolic(user_api)
    assert body["date"] == "2026-01-31"
    for key in ("homa_ir", "tyg_index", "egfr", "glycaemia", "magnesium_status"):
        assert body[key] is None
    assert body["warnings"] == []
    assert body["not_a_diagnosis"] == labs.NOT_A_DIAGNOSIS


@pytest.mark.django_db
def test_homa_ir_and_tyg_need_the_same_day(user_api, user):
    # Glucose on the 10th, insulin and triglycerides on the 11th: no pair.
    result(user, "glucose_fasting", "5.0", "mmol/L", taken_on=date(2026, 1, 10))
    result(user, "insulin_fasting", "10", "uIU/mL", taken_on=date(2026, 1, 11))
    result(user, "triglycerides", "150", "mg/dL", taken_on=date(2026, 1, 11))
    body = metabolic(user_api)
    assert body["homa_ir"] is None
    assert body["tyg_index"] is None
    # A glucose on the 11th makes both: 5.0 x 10 / 22.5 = 2.22; TyG with 90.08 mg/dL
    # glucose: ln(150 x 90.08 / 2) = ln(6756) = 8.82.
    result(user, "glucose_fasting", "5.0", "mmol/L", taken_on=date(2026, 1, 11))
    body = metabolic(user_api)
    assert body["homa_ir"] == {"value": 2.22, "taken_on": "2026-01-11"}
    assert body["tyg_index"] == {"value": 8.82, "taken_on": "2026-01-11"}
    # On the 10th there was no pair yet.
    body = metabolic(user_api, "2026-01-10")
    assert body["homa_ir"] is None and body["tyg_index"] is None


@pytest.mark.django_db
def test_the_latest_same_day_pair_is_used(user_api, user):
    for day, glucose, insulin in [(date(2026, 1, 3), "5.0", "10"), (date(2026, 1, 9), "6.3", "25")]:
        result(user, "glucose_fasting", glucose, "mmol/L", taken_on=day)
        result(user, "insulin_fasting", insulin, "uIU/mL", taken_on=day)
    assert metabolic(user_api)["homa_ir"] == {"value": 7.0, "taken_on": "2026-01-09"}
    assert metabolic(user_api, "2026-01-08")["homa_ir"] == {"value": 2.22, "taken_on": "2026-01-03"}


@pytest.mark.django_db
@pytest.mark.parametrize("reported_first", [True, False])
def test_a_reported_egfr_beats_a_computed_one_on_the_same_day(user_api, user, reported_first):
    set_profile(user, sex="female", birth_date=date(1976, 1, 10))
    entries = [("egfr", "58", "mL/min/1.73m2"), ("creatinine_serum", "0.6", "mg/dL")]
    for analyte, value, unit in entries if reported_first else entries[::-1]:
        result(user, analyte, value, unit)
    egfr = metabolic(user_api)["egfr"]
    assert egfr == {"value": 58, "stage": "G3a", "computed": False, "taken_on": "2026-01-10"}


@pytest.mark.django_db
def test_a_newer_creatinine_beats_an_older_reported_egfr(user_api, user):
    # Woman, 50 on 2026-01-10, Scr 1.2 mg/dL: 55 (worked in test_labs_reference).
    set_profile(user, sex="female", birth_date=date(1976, 1, 10))
    result(user, "egfr", "95", "mL/min/1.73m2", taken_on=date(2025, 12, 1))
    result(user, "creatinine_serum", "1.2", "mg/dL", taken_on=date(2026, 1, 10))
    body = metabolic(user_api)
    assert body["egfr"] == {"value": 55, "stage": "G3a", "computed": True, "taken_on": "2026-01-10"}
    assert [w["code"] for w in body["warnings"]] == ["low_egfr"]
    # Before the creatinine, the reported one.
    assert metabolic(user_api, "2026-01-09")["egfr"]["value"] == 95


@pytest.mark.django_db
@pytest.mark.parametrize(
    "profile",
    [
        {"sex": "", "birth_date": date(1970, 1, 1)},
        {"sex": "female", "birth_date": None},
        {"sex": "male", "birth_date": date(2010, 1, 1)},  # 16
    ],
)
def test_computing_egfr_needs_an_adult_of_known_sex(user_api, user, profile):
    set_profile(user, **profile)
    result(user, "creatinine_serum", "300", "umol/L")
    body = metabolic(user_api)
    assert body["egfr"] is None
    assert body["warnings"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hba1c, glucose, expected",
    [
        (("6.0", "%"), ("130", "mg/dL"), {"code": "diabetes", "basis": "glucose_fasting"}),
        (("6.6", "%"), ("90", "mg/dL"), {"code": "diabetes", "basis": "hba1c"}),
        (("40", "mmol/mol"), ("5.0", "mmol/L"), {"code": "prediabetes", "basis": "hba1c"}),
        (("5.0", "%"), ("110", "mg/dL"), {"code": "prediabetes", "basis": "glucose_fasting"}),
        # A tie names the HbA1c.
        (("6.0", "%"), ("110", "mg/dL"), {"code": "prediabetes", "basis": "hba1c"}),
        (("5.0", "%"), ("90", "mg/dL"), {"code": "normal", "basis": "hba1c"}),
        (None, ("126", "mg/dL"), {"code": "diabetes", "basis": "glucose_fasting"}),
        (("47", "mmol/mol"), None, {"code": "prediabetes", "basis": "hba1c"}),
    ],
)
def test_glycaemia_names_the_higher_result(user_api, user, hba1c, glucose, expected):
    if hba1c:
        result(user, "hba1c", *hba1c)
    if glucose:
        result(user, "glucose_fasting", *glucose, taken_on=date(2026, 1, 8))
    body = metabolic(user_api)
    assert body["glycaemia"] == expected
    assert ("diabetes_range" in [w["code"] for w in body["warnings"]]) == (
        expected["code"] == "diabetes"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "egfr, codes",
    [
        ("60", []),
        ("59.5", []),  # reported as 60
        ("59", ["low_egfr"]),
        ("30", ["low_egfr"]),
        ("29.5", ["low_egfr"]),  # 30
        ("29", ["very_low_egfr"]),
        ("10", ["very_low_egfr"]),
    ],
)
def test_kidney_warnings(user_api, user, egfr, codes):
    result(user, "egfr", egfr, "mL/min/1.73m2")
    assert [w["code"] for w in metabolic(user_api)["warnings"]] == codes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value, unit, code, mmol, warning",
    [
        ("0.74", "mmol/L", "low", 0.74, "low_serum_magnesium"),
        ("1.81", "mg/dL", "low", 0.74, "low_serum_magnesium"),
        ("0.75", "mmol/L", "normal", 0.75, None),
        ("1.05", "mmol/L", "normal", 1.05, None),
        ("2.12", "mEq/L", "high", 1.06, "high_serum_magnesium"),
    ],
)
def test_magnesium_status_and_its_warnings(user_api, user, value, unit, code, mmol, warning):
    result(user, "magnesium_serum", "1.00", "mmol/L", taken_on=date(2025, 12, 1))  # older
    result(user, "magnesium_serum", value, unit)
    body = metabolic(user_api)
    assert body["magnesium_status"] == {
        "code": code,
        "value_mmol_l": mmol,
        "taken_on": "2026-01-10",
    }
    assert [w["code"] for w in body["warnings"]] == ([warning] if warning else [])


@pytest.mark.django_db
def test_every_warning_at_once_has_a_message(user_api, user):
    for analyte, value, unit in [
        ("egfr", "25", "mL/min/1.73m2"),
        ("magnesium_serum", "0.5", "mmol/L"),
        ("hba1c", "7.0", "%"),
    ]:
        result(user, analyte, value, unit)
    warnings = metabolic(user_api)["warnings"]
    assert [w["code"] for w in warnings] == [
        "very_low_egfr",
        "low_serum_magnesium",
        "diabetes_range",
    ]
    assert all(w["message"] for w in warnings)


@pytest.mark.django_db
def test_results_after_the_date_are_ignored(user_api, user):
    result(user, "hba1c", "5.5", "%", taken_on=date(2026, 1, 5))
    result(user, "hba1c", "7.0", "%", taken_on=date(2026, 1, 20))
    result(user, "magnesium_serum", "0.6", "mmol/L", taken_on=date(2026, 1, 20))
    early = metabolic(user_api, "2026-01-19")
    assert early["date"] == "2026-01-19"
    assert early["glycaemia"] == {"code": "normal", "basis": "hba1c"}
    assert early["magnesium_status"] is None
    assert early["warnings"] == []
    late = metabolic(user_api, "2026-01-20")
    assert late["glycaemia"]["code"] == "diabetes"
    assert late["magnesium_status"]["code"] == "low"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-13-01", "1899-12-31", "2101-01-01", "yesterday", "", "20260110"]
)
def test_a_bad_date_is_a_400(user_api, value):
    response = user_api.get(METABOLIC, {"date": value})
    assert response.status_code == 400
    assert "date" in response.json()
